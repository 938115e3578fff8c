// The live server's privacy store: every accepted POST's reports go through
// the store's ingest rules (consent, pseudonyms, retention; store/ingest.ts
// liveReportBlocks) into one transaction, and the POST answers only once it
// has committed. Bearer credentials are the store's own (verifyCredential):
// the role is what the credential unwraps. One DuckDB connection, so every
// store operation runs in turn, in the order asked.
import { createHash } from 'node:crypto';
import { InputError } from '../../contract/input-error.ts';
import { retentionCutoffMs, type PrivacyRules } from '../../contract/privacy.ts';
import { CannotDecryptError } from '../../store/cipher.ts';
import { verifyCredential, type DuckStore } from '../../store/duckdb-store.ts';
import { liveReportBlocks, type LiveReports } from '../../store/ingest.ts';
import type { Role } from '../../store/roles.ts';

export interface LiveStoreOptions {
  rules: PrivacyRules;
  /** Wall-clock time the stream's t = 0 stands for, ms since the Unix epoch. */
  startMs: number;
  /** Site AP ids, by AP index. */
  apIds: readonly string[];
  /** Wall clock, ms since the Unix epoch (tests pass their own). */
  now?: () => number;
}

/**
 * History past retention is purged when the server starts and then at most
 * this often (a purge scans every table: not once per POST as a batch ingest does).
 * Reports already past retention when they arrive are never written.
 */
const PURGE_EVERY_MS = 3_600_000;
/** A verified credential is trusted this long before the store is asked again (ms). */
const CREDENTIAL_TTL_MS = 60_000;
/** Caches are dropped whole past this many entries (randomized MACs never repeat). */
const CACHE_MAX = 100_000;

export class LiveStore {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly pseudonyms = new Map<string, string>();
  private readonly verified = new Map<string, { role: Role; atMs: number }>();
  private readonly optedIn: ReadonlySet<string>;
  private readonly now: () => number;
  private nextPurgeMs = -Infinity;
  stored = 0;

  constructor(readonly store: DuckStore, private readonly opts: LiveStoreOptions) {
    this.optedIn = new Set(opts.rules.optedIn);
    this.now = opts.now ?? Date.now;
  }

  /**
   * Writes the reports with accepted[i] of one POST; resolves, once committed,
   * with how many were stored (the others lacked consent or were past retention).
   */
  write(reports: LiveReports, accepted: Uint8Array): Promise<number> {
    return this.inTurn(async () => {
      const nowMs = this.now();
      const cutoffMs = retentionCutoffMs(nowMs, this.opts.rules.retentionDays);
      if (this.pseudonyms.size > CACHE_MAX) this.pseudonyms.clear();
      const blocks = liveReportBlocks(reports, accepted, { ...this.opts, optedIn: this.optedIn, orgSecret: this.store.key('pseudonym') }, cutoffMs, this.pseudonyms);
      const n = await this.store.appendReports(blocks);
      this.stored += n;
      if (nowMs >= this.nextPurgeMs) {
        this.nextPurgeMs = nowMs + PURGE_EVERY_MS;
        await this.store.purge(cutoffMs);
      }
      return n;
    });
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

  private inTurn<T>(op: () => Promise<T>): Promise<T> {
    const p = this.tail.then(op);
    this.tail = p.catch(() => {});
    return p;
  }
}
