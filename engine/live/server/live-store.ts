// The live server's privacy store: every accepted POST's reports go through
// the store's ingest rules (consent, pseudonyms, retention; store/ingest.ts
// liveReportBlocks) into one transaction, and the POST answers only once it
// has committed. The engine's outputs in their final form (fixes, closed
// visits, ended contacts, hot-zone interval counts) go into the transaction
// of the write after them, under the same rules; those of the stream's end
// with flush(). Bearer credentials are the store's own (verifyCredential):
// the role is what the credential unwraps. One DuckDB connection, so every
// store operation runs in turn, in the order asked.
import { createHash } from 'node:crypto';
import { InputError } from '../../contract/input-error.ts';
import { retentionCutoffMs, type PrivacyRules } from '../../contract/privacy.ts';
import type { Site } from '../../contract/site.ts';
import { CannotDecryptError } from '../../store/cipher.ts';
import { verifyCredential, type DuckStore } from '../../store/duckdb-store.ts';
import { liveReportBlocks, type LiveReports } from '../../store/ingest.ts';
import type { Role } from '../../store/roles.ts';
import { emptyTrack } from '../../store/track-codec.ts';
import type { DeviceTrack, StoreBatch, StoredContact, StoredVisit, StoredZoneCount } from '../../store/types.ts';
import type { IntervalCounts } from '../hotzones.ts';
import type { ContactEvent, FixEvent, LiveEvent, ZoneExitEvent } from '../events.ts';

export interface LiveStoreOptions {
  rules: PrivacyRules;
  /** Wall-clock time the stream's t = 0 stands for, ms since the Unix epoch. */
  startMs: number;
  /** The site served (its AP and zone ids). */
  site: Site;
  /** Wall clock, ms since the Unix epoch (tests pass their own). */
  now?: () => number;
}

/**
 * History past retention is purged after the first write and then at most
 * this often (a purge scans every table: not once per POST as a batch ingest does).
 * Reports already past retention when they arrive are never written.
 */
const PURGE_EVERY_MS = 3_600_000;
/** A verified credential is trusted this long before the store is asked again (ms). */
const CREDENTIAL_TTL_MS = 60_000;
/** Caches are dropped whole past this many entries (randomized MACs never repeat). */
const CACHE_MAX = 100_000;

/** Engine outputs waiting for the next write. */
interface Outputs {
  fixes: FixEvent[];
  visits: ZoneExitEvent[];
  contacts: ContactEvent[];
  zoneCounts: StoredZoneCount[];
}

const noOutputs = (): Outputs => ({ fixes: [], visits: [], contacts: [], zoneCounts: [] });

export class LiveStore {
  private tail: Promise<unknown> = Promise.resolve();
  /** Raw id → pseudonym, null without consent (liveReportBlocks). */
  private readonly kept = new Map<string, string | null>();
  private outputs = noOutputs();
  private readonly verified = new Map<string, { role: Role; atMs: number }>();
  private readonly optedIn: ReadonlySet<string>;
  private readonly apIds: readonly string[];
  private readonly zoneIds: readonly string[];
  private readonly now: () => number;
  private nextPurgeMs = -Infinity;
  stored = 0;

  constructor(readonly store: DuckStore, private readonly opts: LiveStoreOptions) {
    this.optedIn = new Set(opts.rules.optedIn);
    this.apIds = opts.site.aps.map((ap) => ap.id);
    this.zoneIds = opts.site.zones.map((z) => z.id);
    this.now = opts.now ?? Date.now;
  }

  /**
   * Writes the reports with accepted[i] of one POST; resolves, once committed,
   * with how many were stored (the others lacked consent or were past retention).
   */
  write(reports: LiveReports, accepted: Uint8Array): Promise<number> {
    const outputs = this.outputs;
    this.outputs = noOutputs();
    const written = this.inTurn(async () => {
      const nowMs = this.now();
      const cutoffMs = retentionCutoffMs(nowMs, this.opts.rules.retentionDays);
      // Dropped whole, a device's later outputs wait for its next report to be kept again.
      if (this.kept.size > CACHE_MAX) this.kept.clear();
      const blocks = liveReportBlocks(reports, accepted, { rules: this.opts.rules, startMs: this.opts.startMs, apIds: this.apIds, optedIn: this.optedIn, orgSecret: this.store.key('pseudonym') }, cutoffMs, this.kept);
      try {
        const n = (await this.store.ingestLive(blocks, this.outputBatch(outputs, cutoffMs))).reports;
        this.stored += n;
        return n;
      } catch (err) {
        // Rolled back: the outputs go with the next write (the caller is told its reports were not kept).
        for (const k of Object.keys(outputs) as (keyof Outputs)[]) (this.outputs[k] as unknown[]).unshift(...outputs[k]);
        throw err;
      }
    });
    const nowMs = this.now();
    if (nowMs >= this.nextPurgeMs) {
      this.nextPurgeMs = nowMs + PURGE_EVERY_MS;
      // Its own turn after the write: a failed purge does not make a committed POST look refused.
      void this.inTurn(() => this.store.purge(retentionCutoffMs(nowMs, this.opts.rules.retentionDays))).catch((err: Error) => process.emitWarning(`retention purge failed (retried in an hour): ${err.message}`));
    }
    return written;
  }

  /** Keeps an engine output for the next write: a fix, a closed visit (zone-exit), a contact's final totals (contact-end). */
  take(e: LiveEvent): void {
    if (e.type === 'fix') this.outputs.fixes.push(e);
    else if (e.type === 'zone-exit') this.outputs.visits.push(e);
    else if (e.type === 'contact-end') this.outputs.contacts.push(e);
  }

  /** Keeps a closed hot-zone interval's counts (every device counted, consent or not: no identity) for the next write. */
  takeCounts(c: IntervalCounts): void {
    const startMs = this.opts.startMs + c.startTMs, endMs = this.opts.startMs + c.endTMs;
    this.zoneIds.forEach((zoneId, z) => this.outputs.zoneCounts.push({ zoneId, startMs, endMs, count: c.counts[z], baseline: c.baselines[z], hot: c.hot[z] }));
  }

  /** Writes the outputs taken since the last write (the stream's end). */
  async flush(): Promise<void> {
    await this.write({ length: 0, tMs: new Float64Array(0), deviceId: [], tech: [], apIdx: new Uint16Array(0), rssiDbm: new Float32Array(0) }, new Uint8Array(0));
  }

  /** The organisation's pseudonym key: what the store files devices under, so the live streams' pseudonyms match. */
  pseudonymKey(): Uint8Array {
    return this.store.key('pseudonym');
  }

  /** The outputs of devices that may be kept, under their pseudonyms, absolute times, within retention. */
  private outputBatch(o: Outputs, cutoffMs: number): StoreBatch {
    const startMs = this.opts.startMs;
    const byDevice = new Map<string, FixEvent[]>();
    for (const f of o.fixes) {
      if (startMs + f.tMs < cutoffMs) continue;
      const list = byDevice.get(f.deviceId);
      if (list === undefined) byDevice.set(f.deviceId, [f]);
      else list.push(f);
    }
    const tracks: DeviceTrack[] = [];
    for (const [id, fixes] of byDevice) {
      const device = this.kept.get(id);
      if (device == null) continue;
      const track = emptyTrack(fixes.length);
      fixes.forEach((f, i) => {
        track.tMs[i] = startMs + f.tMs;
        track.x[i] = f.x;
        track.y[i] = f.y;
        track.floor[i] = f.floor;
        track.errorRadiusM[i] = f.errorRadiusM;
      });
      tracks.push({ device, track });
    }
    const journeys: StoredVisit[] = o.visits.flatMap((v) => {
      const device = this.kept.get(v.deviceId);
      return device == null || startMs + v.tMs < cutoffMs ? [] : [{ device, zoneId: v.zone, enterTMs: startMs + v.enterTMs, exitTMs: startMs + v.tMs }];
    });
    const contacts: StoredContact[] = o.contacts.flatMap((c) => {
      const a = this.kept.get(c.a), b = this.kept.get(c.b);
      if (a == null || b == null || startMs + c.tMs < cutoffMs) return [];
      const [lo, hi] = a < b ? [a, b] : [b, a];
      // The pair's totals closed at c.tMs (a device idle, or the stream's end): its last time as stored.
      return [{ a: lo, b: hi, tech: c.tech, exposureS: c.exposureS, minDistanceM: c.minDistanceM, firstTMs: startMs + c.firstTMs, lastTMs: startMs + c.tMs, zones: c.zones }];
    });
    return { tracks, contacts, journeys, zoneCounts: o.zoneCounts.filter((c) => c.endMs >= cutoffMs) };
  }

  /** The role a bearer credential (store issue-credential's text) opens in this store; null if it opens nothing. */
  async verify(token: string | undefined): Promise<Role | null> {
    if (token === undefined || token === '') return null;
    const key = createHash('sha256').update(token).digest('hex');
    const hit = this.verified.get(key);
    const nowMs = this.now();
    if (hit !== undefined && nowMs - hit.atMs < CREDENTIAL_TTL_MS) return hit.role;
    let role: Role;
    try {
      role = (await this.inTurn(() => verifyCredential(this.store, token))).role;
    } catch (err) {
      if (err instanceof InputError || err instanceof CannotDecryptError) return null;
      throw err;
    }
    if (this.verified.size > CACHE_MAX) this.verified.clear();
    this.verified.set(key, { role, atMs: nowMs });
    return role;
  }

  /** Waits for every write asked so far, then closes the store. */
  async close(): Promise<void> {
    await this.inTurn(() => this.store.close());
  }

  /** Resolves once every write and purge queued so far has finished (the purge after a write is not awaited by it). */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  private inTurn<T>(op: () => Promise<T>): Promise<T> {
    const p = this.tail.then(op);
    this.tail = p.catch(() => {});
    return p;
  }
}
