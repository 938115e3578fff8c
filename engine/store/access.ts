// Role-checked, audited access to the store: every trace query, export,
// erase, identity lookup, purge, audit check and hot-zone read is logged (who, role, what,
// when) before it runs, and a refusal is logged as such and then thrown.
import type { AuditVerdict } from './audit.ts';
import type { DuckStore } from './duckdb-store.ts';
import { AccessRefused, mayDo, refusal, type Action, type Actor } from './roles.ts';
import type { DeviceHistory, RowCounts, StoredZoneCount, TimeRange } from './types.ts';

export interface DeviceRecord extends DeviceHistory {
  /** Bound person, present only for roles that may see identities. */
  personId?: string | null;
}

export class GovernedStore {
  constructor(
    readonly store: DuckStore,
    readonly actor: Actor,
  ) {}

  /** Where a device was and whom it met; admins also get the bound person. */
  async trace(device: string, range: TimeRange = {}): Promise<DeviceRecord> {
    await this.authorize('trace', device, rangeText(range));
    const history = await this.store.history(device, range);
    if (!mayDo(this.actor.role, 'identity')) return history;
    return { ...history, personId: await this.identity(device) };
  }

  async identity(device: string): Promise<string | null> {
    await this.authorize('identity', device, '');
    return this.store.identity(device);
  }

  /** Everything held about one device, identity binding included. */
  async export(device: string): Promise<DeviceRecord> {
    await this.authorize('export', device, '');
    return { ...(await this.store.history(device)), personId: await this.store.identity(device) };
  }

  /** Occupancy counts per zone per interval: no device, so every role may ask. */
  async zoneCounts(range: TimeRange = {}, zoneId?: string): Promise<StoredZoneCount[]> {
    await this.authorize('hot-zone-counts', null, `${rangeText(range)}${zoneId === undefined ? '' : `, zone ${zoneId}`}`);
    return this.store.zoneCounts(range, zoneId);
  }

  async erase(device: string): Promise<RowCounts> {
    await this.authorize('erase', device, '');
    return this.store.erase(device);
  }

  async purge(cutoffMs: number): Promise<RowCounts> {
    await this.authorize('purge', null, `older than ${new Date(cutoffMs).toISOString()}`);
    return this.store.purge(cutoffMs, { compact: true });
  }

  async verifyAudit(): Promise<AuditVerdict> {
    await this.authorize('audit', null, 'verify');
    return this.store.verifyAudit();
  }

  private async authorize(action: Action, device: string | null, detail: string): Promise<void> {
    const allowed = mayDo(this.actor.role, action);
    await this.store.appendAudit({ ...this.actor, action, device: device === null ? null : this.store.auditRef(device), outcome: allowed ? 'allowed' : 'refused', detail });
    if (!allowed) throw new AccessRefused(refusal(this.actor, action));
  }
}

function rangeText(r: TimeRange): string {
  const iso = (ms: number | undefined): string => (ms === undefined ? '…' : new Date(ms).toISOString());
  return r.fromMs === undefined && r.toMs === undefined ? 'all history' : `${iso(r.fromMs)} to ${iso(r.toMs)}`;
}
