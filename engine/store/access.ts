// Role-checked, audited access to the store: every trace query, export,
// erase, identity lookup, purge, audit check, credential issue and hot-zone
// read is logged (the credential's user and role, what, when) before it
// runs, and a refusal is logged as such and then thrown. The actor is the
// store's credential, never a claim: and what the check allows, the
// credential's keys must still be able to decrypt.
import type { AuditVerdict } from './audit.ts';
import { InputError } from '../contract/input-error.ts';
import { quote } from '../contract/quote.ts';
import { checkUser, formatCredential } from './credentials.ts';
import type { DuckStore } from './duckdb-store.ts';
import { isPseudonym, pseudonymOf } from '../privacy/pseudonym.ts';
import { AccessRefused, mayDo, refusal, type Action, type Actor, type Role } from './roles.ts';
import type { ReportBlock } from './report-codec.ts';
import type { DeviceHistory, RowCounts, StoredZoneCount, TimeRange } from './types.ts';

export interface DeviceRecord extends DeviceHistory {
  /** Bound person, present only for roles that may see identities. */
  personId?: string | null;
  /** The raw reports the live server stored (export only). */
  reports?: ReportBlock[];
}

export class GovernedStore {
  readonly actor: Actor;

  constructor(readonly store: DuckStore) {
    this.actor = { user: store.access.user, role: store.access.role };
  }

  /** Where a device (raw id or pseudonym) was and whom it met; admins also get the bound person. */
  async trace(id: string, range: TimeRange = {}): Promise<DeviceRecord> {
    const device = await this.authorizeDevice('trace', id, rangeText(range));
    const history = await this.store.history(device, range);
    if (!mayDo(this.actor.role, 'identity')) return history;
    return { ...history, personId: await this.identity(device) };
  }

  async identity(id: string): Promise<string | null> {
    return this.store.identity(await this.authorizeDevice('identity', id, ''));
  }

  /** Everything held about one device, identity binding included. */
  async export(id: string): Promise<DeviceRecord> {
    const device = await this.authorizeDevice('export', id, '');
    return { ...(await this.store.history(device)), personId: await this.store.identity(device), reports: await this.store.reports(device) };
  }

  /** Occupancy counts per zone per interval: no device, so every role may ask. */
  async zoneCounts(range: TimeRange = {}, zoneId?: string): Promise<StoredZoneCount[]> {
    await this.authorize('hot-zone-counts', null, `${rangeText(range)}${zoneId === undefined ? '' : `, zone ${zoneId}`}`);
    return this.store.zoneCounts(range, zoneId);
  }

  /** Removes a device everywhere; returns its pseudonym and what was removed. */
  async erase(id: string): Promise<{ device: string; counts: RowCounts }> {
    const device = await this.authorizeDevice('erase', id, '');
    return { device, counts: await this.store.erase(device) };
  }

  async purge(cutoffMs: number): Promise<RowCounts> {
    await this.authorize('purge', null, `older than ${new Date(cutoffMs).toISOString()}`);
    return this.store.purge(cutoffMs, { compact: true });
  }

  async verifyAudit(): Promise<AuditVerdict> {
    await this.authorize('audit', null, 'verify');
    return this.store.verifyAudit();
  }

  /** A new credential for `user` in `role`, as the text to hand over. */
  async issueCredential(role: Role, user: string): Promise<string> {
    await this.authorize('issue-credential', null, `${role} for ${checkUser(user)}`);
    return formatCredential(await this.store.issueCredential(role, user));
  }

  /** The pseudonym of `id` (a raw id needs the organisation secret: admins only), once `action` is allowed. */
  async authorizeDevice(action: Action, id: string, detail: string): Promise<string> {
    if (!mayDo(this.actor.role, action)) await this.authorize(action, isPseudonym(id) ? this.store.auditRef(id) : null, detail);
    if (!isPseudonym(id) && !mayDo(this.actor.role, 'raw-id')) await this.authorize('raw-id', null, action);
    const device = isPseudonym(id) ? id : pseudonymOf(id, this.store.key('pseudonym'));
    await this.authorize(action, this.store.auditRef(device), detail);
    // A mistyped id would read as a device with no history (and an erase as done): said, once the attempt is in the audit log.
    if (!(await this.store.holds(device))) throw new InputError(`no device ${quote(id)} in the store (a raw id as the log named it, or its ps-… pseudonym; erased and purged devices are gone)`);
    return device;
  }

  private async authorize(action: Action, device: string | null, detail: string): Promise<void> {
    const allowed = mayDo(this.actor.role, action);
    await this.store.appendAudit({ action, device, outcome: allowed ? 'allowed' : 'refused', detail });
    if (!allowed) throw new AccessRefused(refusal(this.actor, action));
  }
}

function rangeText(r: TimeRange): string {
  const iso = (ms: number | undefined): string => (ms === undefined ? '…' : new Date(ms).toISOString());
  return r.fromMs === undefined && r.toMs === undefined ? 'all history' : `${iso(r.fromMs)} to ${iso(r.toMs)}`;
}
