// The embedded default store: one DuckDB file (plus its write-ahead log while
// open). DuckDB needs no server, commits atomically through its WAL (a crash
// mid-write loses only the uncommitted transaction) and scans large tables
// fast. Its own file encryption cannot write without the httpfs extension,
// which is not available from the npm registry, so every payload is sealed
// here with AES-256-GCM (cipher.ts) before it reaches DuckDB, each kind of
// data under its own key (keys.ts), so a credential opens only what its role
// may read. What stays in the clear: blind indexes (an HMAC of the
// pseudonym, never the pseudonym), times, row counts, credential ids and
// audit chain values — no id, pseudonym or coordinate.
// Hot-zone counts carry no identity but are sealed too: a count of 1 in a
// small room at night points at one person, and zone names describe the site.
import { blobValue, DuckDBBlobValue, DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CREATE_ACTION, decodeEntry, encodeEntry, GENESIS, nextChain, verifyChain, type AuditEntry, type AuditHead, type AuditInput, type AuditRow, type AuditVerdict } from './audit.ts';
import { groupBy } from '../pipeline/group-by.ts';
import { DAY_MS } from '../contract/privacy.ts';
import { InputError } from '../contract/input-error.ts';
import { CannotDecryptError, open, seal } from './cipher.ts';
import { masterAccess, MASTER_ID, MASTER_USER, newCredential, openGrant, openHolder, parseCredential, sealGrant, sealHolder, type Access, type Credential } from './credentials.ts';
import { hkdf, holderKeys, masterHolderSecret, type DataKeyName } from './keys.ts';
import type { Role } from './roles.ts';
import { decodeReportBlock, encodeReportBlock, sliceReports, timeSpan, type ReportBlock } from './report-codec.ts';
import { decodeTrackBlock, emptyTrack, encodeTrackBlock, sliceTrack } from './track-codec.ts';
import type { DeviceHistory, LocationStore, RowCounts, StoreBatch, StoredContact, StoredVisit, StoredZoneCount, TimeRange, Track } from './types.ts';

const BLIND_INDEX_BYTES = 16;
/** The largest time a JS Date holds: "no bound" for a time range. */
const MAX_TIME_MS = 8.64e15;
/** Known plaintext sealed under the registry key at creation: opening it proves the master key before anything is read or written. */
const KEY_CHECK = 'ctsim location store v2';

// Tables (device, a, b: 16-byte blind index; *_ms: ms since the Unix epoch;
// payload: sealed, its AAD naming the table and row owner; the key: keys.ts):
//   meta        key VARCHAR: 'key_check' (sealed, registry key), 'store_id', 'audit_head' (clear)
//   tracks      device, day_ms (UTC day), t_first_ms, t_last_ms, fixes, payload = track-codec block of that day (history key)
//   contacts    a, b, t_last_ms, payload = StoredContact JSON (history key)
//   journeys    device, t_first_ms, t_last_ms, visits, payload = StoredVisit[] JSON, one row per device per ingest (history key)
//   bindings    device, payload = IdentityBinding JSON (identity key)
//   hotzones    t_start_ms, t_end_ms, zones, payload = StoredZoneCount[] JSON, every zone over one interval (zones key)
//   reports     device, t_first_ms, t_last_ms, reports, payload = report-codec block: one device's RSSI reports of one live POST (history key)
//   credentials id (hex), holder, grant: credentials.ts
//   audit       seq, credential (hex id), chain (HMAC chain value), payload = audit entry (the credential's audit seal key)
/** Added with the live server: a store made before it gets the table when next opened for writing. */
const REPORTS_TABLE = 'CREATE TABLE IF NOT EXISTS reports (device BLOB, t_first_ms BIGINT, t_last_ms BIGINT, reports INTEGER, payload BLOB)';
const SCHEMA = [
  'CREATE TABLE meta (key VARCHAR, value BLOB)',
  'CREATE TABLE tracks (device BLOB, day_ms BIGINT, t_first_ms BIGINT, t_last_ms BIGINT, fixes INTEGER, payload BLOB)',
  'CREATE TABLE contacts (a BLOB, b BLOB, t_last_ms BIGINT, payload BLOB)',
  'CREATE TABLE journeys (device BLOB, t_first_ms BIGINT, t_last_ms BIGINT, visits INTEGER, payload BLOB)',
  'CREATE TABLE bindings (device BLOB, payload BLOB)',
  'CREATE TABLE hotzones (t_start_ms BIGINT, t_end_ms BIGINT, zones INTEGER, payload BLOB)',
  REPORTS_TABLE,
  'CREATE TABLE credentials (id VARCHAR, holder BLOB, grant_ BLOB)',
  'CREATE TABLE audit (seq BIGINT, credential VARCHAR, chain BLOB, payload BLOB)',
];

/** A failure of the store itself (not of the input): one line, exit 1. */
export class StoreError extends Error {}

/** The master key (admin, may create the store) or an issued credential. */
export type StoreSecret = { master: Uint8Array } | { credential: Credential };

export class DuckStore implements LocationStore {
  private constructor(
    readonly path: string,
    readonly access: Access,
    private instance: DuckDBInstance,
    private conn: DuckDBConnection,
  ) {}

  /**
   * Opens the store at `path` with the master key or a credential; a wrong
   * one fails before anything is written. Only `create` (with the master
   * key) makes a new store: a mistyped path is an input error.
   */
  static async open(path: string, secret: StoreSecret, opts: { create?: boolean } = {}): Promise<DuckStore> {
    // DuckDB would take '' for an in-memory database: nothing written would be kept.
    if (path === '') throw new InputError('--store must name a file, got an empty path');
    const exists = existsSync(path);
    if (!exists && !opts.create) throw new InputError(`no store at ${path} (only run --store or serve --store create one; check the path)`);
    if (exists && !statSync(path).isFile()) throw new InputError(`--store ${path} is not a file`);
    if (exists && !isDuckDbFile(path)) throw new InputError(`--store ${path} is not a ctsim store (not a DuckDB database file)`);
    if (!exists && !existsSync(dirname(resolve(path)))) throw new InputError(`--store ${path}: its folder does not exist`);
    let access: Access;
    if (exists) {
      // Read-only first, so a wrong key cannot even trigger a checkpoint.
      const ro = await connect(path, true);
      try {
        access = await accessOf(ro.conn, secret, path);
      } finally {
        ro.conn.closeSync();
        ro.instance.closeSync();
      }
    } else {
      if (!('master' in secret)) throw new InputError(`no store at ${path}: a new store is created with the store key, not a credential`);
      access = masterAccess(secret.master);
    }
    const { instance, conn } = await connect(path, false);
    const store = new DuckStore(path, access, instance, conn);
    if (!exists) await store.create();
    else await store.transaction(async () => void (await conn.run(REPORTS_TABLE)));
    return store;
  }

  /** Schema, key check, store id and audit entry 1; on failure no half-made store is left behind. */
  private async create(): Promise<void> {
    try {
      await this.transaction(async () => {
        for (const sql of SCHEMA) await this.conn.run(sql);
        await this.putMeta('key_check', this.seal(new TextEncoder().encode(KEY_CHECK), 'registry', 'meta:key_check'));
        await this.putMeta('store_id', randomBytes(16));
      });
      await this.appendAudit({ action: CREATE_ACTION, device: null, outcome: 'allowed', detail: '' });
    } catch (err) {
      await this.close();
      for (const f of [this.path, `${this.path}.wal`]) rmSync(f, { force: true });
      throw err;
    }
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
  }

  /** The data key `name`, or "cannot decrypt" if this credential's role was not given it. */
  key(name: DataKeyName): Uint8Array {
    const key = this.access.keys[name];
    if (key === undefined) throw new CannotDecryptError(`cannot decrypt: a ${this.access.role} credential holds no ${name} key`);
    return key;
  }

  /** How the audit log names a device: recomputable from its pseudonym, yet not the pseudonym; null for a role that cannot find the device. */
  auditRef(device: string): string | null {
    const blind = this.access.keys.blindIndex;
    if (blind === undefined) return null;
    return `ref-${createHmac('sha256', hkdf(blind, 'audit subject')).update(device, 'utf8').digest('hex').slice(0, 32)}`;
  }

  /** The blind index of a pseudonym: finds its rows without storing it. */
  blind(device: string): Uint8Array {
    return new Uint8Array(createHmac('sha256', this.key('blindIndex')).update(device, 'utf8').digest().subarray(0, BLIND_INDEX_BYTES));
  }

  async ingest(batch: StoreBatch): Promise<RowCounts> {
    const counts = noRows();
    await this.transaction(() => this.insertBatch(batch, counts));
    return counts;
  }

  /**
   * One live POST: its reports (one row per device, through one appender) and
   * the engine outputs it released, in one transaction: when this resolves
   * they are committed.
   */
  async ingestLive(reports: readonly ReportBlock[], batch: StoreBatch): Promise<RowCounts> {
    const counts = noRows();
    await this.transaction(async () => {
      counts.reports = await this.appendReports(reports);
      await this.insertBatch(batch, counts);
    });
    return counts;
  }

  private async insertBatch(batch: StoreBatch, counts: RowCounts): Promise<void> {
    counts.fixes += await this.insertTracks(batch.tracks.map(({ device, track }) => ({ blind: this.blind(device), track })));
    const contacts = await this.conn.prepare('INSERT INTO contacts VALUES ($1, $2, $3, $4)');
    for (const c of batch.contacts) {
      const a = this.blind(c.a);
      contacts.bind([blobValue(a), blobValue(this.blind(c.b)), c.lastTMs, blobValue(this.sealJson(c, 'history', 'contacts', a))]);
      await contacts.run();
      counts.contacts++;
    }
    const journeys = await this.conn.prepare('INSERT INTO journeys VALUES ($1, $2, $3, $4, $5)');
    for (const [device, visits] of groupBy(batch.journeys ?? [], (v) => v.device)) {
      const blind = this.blind(device);
      const first = Math.min(...visits.map((v) => v.enterTMs));
      const last = Math.max(...visits.map((v) => v.exitTMs));
      journeys.bind([blobValue(blind), first, last, visits.length, blobValue(this.sealJson(visits, 'history', 'journeys', blind))]);
      await journeys.run();
      counts.visits += visits.length;
    }
    for (const b of batch.bindings ?? []) {
      const blind = this.blind(b.device);
      await this.conn.run('DELETE FROM bindings WHERE device = $1', [blobValue(blind)]);
      await this.conn.run('INSERT INTO bindings VALUES ($1, $2)', [blobValue(blind), blobValue(this.sealJson(b, 'identity', 'bindings', blind))]);
      counts.bindings++;
    }
    for (const zones of groupBy(batch.zoneCounts ?? [], (c) => String(c.startMs)).values()) {
      await this.conn.run('INSERT INTO hotzones VALUES ($1, $2, $3, $4)', [zones[0].startMs, zones[0].endMs, zones.length, blobValue(this.sealJson(zones, 'zones', 'hotzones'))]);
      counts.zoneCounts += zones.length;
    }
  }

  /** Inserts each device's fixes as one sealed block per UTC day, through one appender (a live POST writes a few fixes of many devices); returns the fixes written. */
  private async insertTracks(tracks: readonly { blind: Uint8Array; track: Track }[]): Promise<number> {
    let n = 0;
    if (tracks.every(({ track }) => track.length === 0)) return n;
    const app = await this.conn.createAppender('tracks');
    try {
      for (const { blind, track } of tracks) {
        for (let start = 0; start < track.length; ) {
          const dayMs = Math.floor(track.tMs[start] / DAY_MS) * DAY_MS;
          let end = start;
          while (end < track.length && track.tMs[end] < dayMs + DAY_MS) end++;
          app.appendBlob(blind);
          app.appendBigInt(BigInt(dayMs));
          app.appendBigInt(BigInt(Math.round(track.tMs[start])));
          app.appendBigInt(BigInt(Math.round(track.tMs[end - 1])));
          app.appendInteger(end - start);
          app.appendBlob(this.seal(encodeTrackBlock(track, start, end, dayMs), 'history', aad('tracks', blind)));
          app.endRow();
          start = end;
        }
        n += track.length;
      }
      app.flushSync();
    } finally {
      app.closeSync();
    }
    return n;
  }

  /** Reports, one row per device, through one appender (inside the caller's transaction); returns the reports written. */
  private async appendReports(blocks: readonly ReportBlock[]): Promise<number> {
    let n = 0;
    const app = await this.conn.createAppender('reports');
    try {
      for (const b of blocks) {
        if (b.length === 0) continue;
        const blind = this.blind(b.device);
        const [first, last] = timeSpan(b);
        app.appendBlob(blind);
        app.appendBigInt(BigInt(first));
        app.appendBigInt(BigInt(last));
        app.appendInteger(b.length);
        app.appendBlob(this.seal(encodeReportBlock(b), 'history', aad('reports', blind)));
        app.endRow();
        n += b.length;
      }
      app.flushSync();
    } finally {
      app.closeSync();
    }
    return n;
  }

  /** A device's stored reports with fromMs ≤ tMs ≤ toMs, block by block in the order they were written. */
  async reports(device: string, range: TimeRange = {}): Promise<ReportBlock[]> {
    const blind = this.blind(device);
    const fromMs = range.fromMs ?? -MAX_TIME_MS, toMs = range.toMs ?? MAX_TIME_MS;
    const rows = await this.rows('SELECT payload FROM reports WHERE device = $1 AND t_last_ms >= $2 AND t_first_ms <= $3 ORDER BY rowid', [blobValue(blind), fromMs, toMs]);
    return rows.map(([payload]) => sliceReports(decodeReportBlock(this.open(payload, 'history', aad('reports', blind)), device), fromMs, toMs));
  }

  /** Reports held, all devices (counts are in the clear). */
  async reportCount(): Promise<number> {
    return Number((await this.rows('SELECT COALESCE(SUM(reports), 0) FROM reports'))[0][0]);
  }

  async history(device: string, range: TimeRange = {}): Promise<DeviceHistory> {
    const blind = this.blind(device);
    const fromMs = range.fromMs ?? -MAX_TIME_MS;
    const toMs = range.toMs ?? MAX_TIME_MS;
    const blocks = await this.rows(
      'SELECT day_ms, fixes, payload FROM tracks WHERE device = $1 AND t_last_ms >= $2 AND t_first_ms <= $3 ORDER BY t_first_ms',
      [blobValue(blind), fromMs, toMs],
    );
    const all = emptyTrack(blocks.reduce((n, r) => n + Number(r[1]), 0));
    let at = 0;
    for (const [dayMs, , payload] of blocks) at += decodeTrackBlock(this.open(payload, 'history', aad('tracks', blind)), Number(dayMs), all, at);
    const track = range.fromMs === undefined && range.toMs === undefined ? all : sliceTrack(all, fromMs, toMs);

    const contactRows = await this.rows('SELECT a, payload FROM contacts WHERE a = $1 OR b = $1', [blobValue(blind)]);
    const contacts = contactRows
      .map(([a, payload]) => this.openJson<StoredContact>(payload, 'history', 'contacts', bytesOf(a)))
      .filter((c) => c.lastTMs >= fromMs && c.firstTMs <= toMs)
      .sort((p, q) => p.firstTMs - q.firstTMs || (p.a < q.a ? -1 : 1));
    const visitRows = await this.rows('SELECT payload FROM journeys WHERE device = $1 ORDER BY t_first_ms', [blobValue(blind)]);
    const journeys = visitRows
      .flatMap(([payload]) => this.openJson<StoredVisit[]>(payload, 'history', 'journeys', blind))
      .filter((v) => v.exitTMs >= fromMs && v.enterTMs <= toMs);
    return { device, track, contacts, journeys };
  }

  async identity(device: string): Promise<string | null> {
    const blind = this.blind(device);
    const rows = await this.rows('SELECT payload FROM bindings WHERE device = $1', [blobValue(blind)]);
    return rows.length === 0 ? null : this.openJson<{ personId: string }>(rows[0][0], 'identity', 'bindings', blind).personId;
  }

  async zoneCounts(range: TimeRange = {}, zoneId?: string): Promise<StoredZoneCount[]> {
    const rows = await this.rows('SELECT payload FROM hotzones WHERE t_end_ms > $1 AND t_start_ms < $2 ORDER BY t_start_ms', [range.fromMs ?? -MAX_TIME_MS, range.toMs ?? MAX_TIME_MS]);
    const all = rows.flatMap(([payload]) => this.openJson<StoredZoneCount[]>(payload, 'zones', 'hotzones'));
    return zoneId === undefined ? all : all.filter((c) => c.zoneId === zoneId);
  }

  /** Whether the store holds anything about `device`: a fix, contact, visit, identity binding or live report. */
  async holds(device: string): Promise<boolean> {
    const b = [blobValue(this.blind(device))];
    for (const where of ['tracks WHERE device = $1', 'contacts WHERE a = $1 OR b = $1', 'journeys WHERE device = $1', 'bindings WHERE device = $1', 'reports WHERE device = $1']) {
      if ((await this.rows(`SELECT 1 FROM ${where} LIMIT 1`, b)).length > 0) return true;
    }
    return false;
  }

  async erase(device: string): Promise<RowCounts> {
    const b = [blobValue(this.blind(device))];
    const counts = await this.counts('WHERE device = $1', 'WHERE a = $1 OR b = $1', b);
    counts.bindings = Number((await this.rows('SELECT COUNT(*) FROM bindings WHERE device = $1', b))[0][0]);
    await this.transaction(async () => {
      await this.conn.run('DELETE FROM tracks WHERE device = $1', b);
      await this.conn.run('DELETE FROM contacts WHERE a = $1 OR b = $1', b);
      await this.conn.run('DELETE FROM journeys WHERE device = $1', b);
      await this.conn.run('DELETE FROM bindings WHERE device = $1', b);
      await this.conn.run('DELETE FROM reports WHERE device = $1', b);
    });
    await this.compact();
    return counts;
  }

  async purge(cutoffMs: number, opts: { compact?: boolean } = {}): Promise<RowCounts> {
    const c = [cutoffMs];
    const where = 'WHERE t_last_ms < $1';
    const counts = await this.counts(where, where, c); // identity bindings are not history: kept
    counts.zoneCounts = Number((await this.rows('SELECT COALESCE(SUM(zones), 0) FROM hotzones WHERE t_end_ms < $1', c))[0][0]);
    await this.transaction(async () => {
      await this.conn.run('DELETE FROM hotzones WHERE t_end_ms < $1', c);
      await this.conn.run(`DELETE FROM tracks ${where}`, c);
      await this.conn.run(`DELETE FROM contacts ${where}`, c);
      await this.conn.run(`DELETE FROM journeys ${where}`, c);
      await this.conn.run(`DELETE FROM reports ${where}`, c);
      // A block of reports that straddles the cutoff keeps only its newer ones.
      const reportBlocks = await this.rows('SELECT rowid, device, payload FROM reports WHERE t_first_ms < $1', c);
      for (const [rowid, device, payload] of reportBlocks) {
        const blind = bytesOf(device);
        const block = decodeReportBlock(this.open(payload, 'history', aad('reports', blind)), '');
        const kept = sliceReports(block, cutoffMs, MAX_TIME_MS);
        await this.conn.run('DELETE FROM reports WHERE rowid = $1', [rowid]);
        counts.reports += block.length - kept.length;
        if (kept.length > 0) {
          const [first, last] = timeSpan(kept);
          await this.conn.run('INSERT INTO reports VALUES ($1, $2, $3, $4, $5)', [blobValue(blind), first, last, kept.length, blobValue(this.seal(encodeReportBlock(kept), 'history', aad('reports', blind)))]);
        }
      }
      // A day's block that straddles the cutoff keeps only its newer fixes.
      const straddling = await this.rows('SELECT rowid, device, day_ms, fixes, payload FROM tracks WHERE t_first_ms < $1', c);
      const keptTracks: { blind: Uint8Array; track: Track }[] = [];
      for (const [rowid, device, dayMs, fixes, payload] of straddling) {
        const blind = bytesOf(device);
        const block = emptyTrack(Number(fixes));
        decodeTrackBlock(this.open(payload, 'history', aad('tracks', blind)), Number(dayMs), block, 0);
        const kept = sliceTrack(block, cutoffMs, MAX_TIME_MS);
        await this.conn.run('DELETE FROM tracks WHERE rowid = $1', [rowid]);
        keptTracks.push({ blind, track: kept });
        counts.fixes += block.length - kept.length;
      }
      await this.insertTracks(keptTracks);
    });
    if (opts.compact) await this.compact();
    return counts;
  }

  /** Issues a credential for `user` in `role` (needs the registry key and every key of the role); returns it. */
  async issueCredential(role: Role, user: string, atMs = Date.now()): Promise<Credential> {
    const c = newCredential();
    const holder = sealHolder(c, role, user, this.access.keys);
    const grant = sealGrant(this.key('registry'), c, role, user, atMs);
    await this.transaction(async () => {
      await this.conn.run('INSERT INTO credentials VALUES ($1, $2, $3)', [c.id, blobValue(holder), blobValue(grant)]);
    });
    return c;
  }

  /** Appends an entry in the name of this store's credential. */
  async appendAudit(input: AuditInput, atMs = Date.now()): Promise<AuditEntry> {
    let entry!: AuditEntry;
    await this.transaction(async () => {
      const head = await this.auditHead();
      entry = { ...input, user: this.access.user, role: this.access.role, seq: (head?.seq ?? 0) + 1, atMs };
      const chain = nextChain(this.access.holder.auditChain, head?.chain ?? GENESIS, encodeEntry(entry));
      const payload = seal(this.access.holder.auditSeal, encodeEntry(entry), aad('audit', chain));
      await this.conn.run('INSERT INTO audit VALUES ($1, $2, $3, $4)', [entry.seq, this.access.credentialId, blobValue(chain), blobValue(payload)]);
      await this.putMeta('audit_head', new TextEncoder().encode(JSON.stringify({ seq: entry.seq, chain: Buffer.from(chain).toString('hex') })));
    });
    return entry;
  }

  /** Every entry, opened with the key of the credential that wrote it (needs the registry key). */
  async auditLog(): Promise<AuditRow[]> {
    const grants = new Map<string, AuditRow['grant'] & { seal: Uint8Array }>();
    const grantOf = async (id: string): Promise<(AuditRow['grant'] & { seal: Uint8Array }) | null> => {
      if (!grants.has(id)) {
        const g = await this.grant(id);
        if (g === null) return null;
        const keys = holderKeys(g.secret);
        grants.set(id, { role: g.role, user: g.user, chainKey: keys.auditChain, seal: keys.auditSeal });
      }
      return grants.get(id)!;
    };
    const rows = await this.rows('SELECT seq, credential, chain, payload FROM audit ORDER BY seq');
    const out: AuditRow[] = [];
    for (const [seq, credential, chain, payload] of rows) {
      const c = bytesOf(chain);
      const grant = await grantOf(String(credential));
      let entry: AuditEntry | null = null;
      if (grant !== null) {
        try {
          entry = decodeEntry(open(grant.seal, bytesOf(payload), aad('audit', c), 'audit entry'));
        } catch (err) {
          if (!(err instanceof CannotDecryptError)) throw err;
        }
      }
      out.push({ seq: Number(seq), credential: String(credential), chain: c, entry, grant: grant && { role: grant.role, user: grant.user, chainKey: grant.chainKey } });
    }
    return out;
  }

  async verifyAudit(): Promise<AuditVerdict> {
    return verifyChain(await this.auditLog(), await this.auditHead());
  }

  /** What the registry says of credential `id` (hex), the master key's own included; null if no admin issued it. Needs the registry key. */
  async grant(id: string): Promise<{ role: Role; user: string; secret: Uint8Array } | null> {
    const registry = this.key('registry');
    if (id === MASTER_ID) return { role: 'admin', user: MASTER_USER, secret: masterHolderSecret(registry) };
    const rows = await this.rows('SELECT grant_ FROM credentials WHERE id = $1', [id]);
    if (rows.length === 0) return null;
    try {
      return openGrant(registry, id, bytesOf(rows[0][0]), this.path);
    } catch (err) {
      if (err instanceof CannotDecryptError) return null;
      throw err;
    }
  }

  /** What `secret` opens in this store (see verifyCredential). */
  async accessFor(secret: StoreSecret): Promise<Access> {
    return accessOf(this.conn, secret, this.path);
  }

  /** The store's random id, for anchors. */
  async storeId(): Promise<string> {
    const rows = await this.rows("SELECT value FROM meta WHERE key = 'store_id'");
    if (rows.length !== 1) throw new StoreError(`${this.path}: its store id is missing (meta table altered)`);
    return Buffer.from(bytesOf(rows[0][0])).toString('hex');
  }

  /** Entries in the log and the chain value stored at entry `seq` (any credential may read both). */
  async auditPosition(seq: number): Promise<{ entries: number; chainAt: Uint8Array | null }> {
    const entries = Number((await this.rows('SELECT COUNT(*) FROM audit'))[0][0]);
    const at = await this.rows('SELECT chain FROM audit WHERE seq = $1', [seq]);
    return { entries, chainAt: at.length === 1 ? bytesOf(at[0][0]) : null };
  }

  async auditHead(): Promise<AuditHead | null> {
    const rows = await this.rows("SELECT value FROM meta WHERE key = 'audit_head'");
    if (rows.length === 0) return null;
    const { seq, chain } = JSON.parse(new TextDecoder().decode(bytesOf(rows[0][0])));
    return { seq, chain: Uint8Array.from(Buffer.from(chain, 'hex')) };
  }

  /**
   * Rewrites the file without its free blocks, so deleted (sealed) rows are
   * gone from disk too; the new file replaces the old by an atomic rename.
   * If the copy fails (a full disk), the partial copy is removed and the
   * store stays as it was.
   */
  async compact(): Promise<void> {
    const tmp = `${this.path}.compact.tmp`;
    const removeTmp = (): void => {
      for (const f of [tmp, `${tmp}.wal`]) rmSync(f, { force: true });
    };
    removeTmp();
    const name = String((await this.rows('SELECT current_database()'))[0][0]);
    try {
      await this.conn.run('CHECKPOINT');
      await this.conn.run(`ATTACH '${tmp.replaceAll("'", "''")}' AS compacted`);
      try {
        await this.conn.run(`COPY FROM DATABASE "${name.replaceAll('"', '""')}" TO compacted`);
      } catch (err) {
        // The copy's own error is the one to report, not a detach failing after it.
        await this.conn.run('DETACH compacted').catch(() => {});
        throw err;
      }
      await this.conn.run('DETACH compacted');
    } catch (err) {
      removeTmp();
      throw new StoreError(`cannot compact store ${this.path}: ${firstLine(err)}`);
    }
    await this.close();
    renameSync(tmp, this.path);
    ({ instance: this.instance, conn: this.conn } = await connect(this.path, false));
  }

  /** Fixes, contacts, visits and reports the WHERE clauses select (bindings and zone counts left at 0). */
  private async counts(deviceWhere: string, contactWhere: string, params: DuckDBValue[]): Promise<RowCounts> {
    const one = async (sql: string): Promise<number> => Number((await this.rows(sql, params))[0][0] ?? 0);
    return {
      fixes: await one(`SELECT COALESCE(SUM(fixes), 0) FROM tracks ${deviceWhere}`),
      contacts: await one(`SELECT COUNT(*) FROM contacts ${contactWhere}`),
      visits: await one(`SELECT COALESCE(SUM(visits), 0) FROM journeys ${deviceWhere}`),
      bindings: 0,
      zoneCounts: 0,
      reports: await one(`SELECT COALESCE(SUM(reports), 0) FROM reports ${deviceWhere}`),
    };
  }

  private async putMeta(key: string, value: Uint8Array): Promise<void> {
    await this.conn.run('DELETE FROM meta WHERE key = $1', [key]);
    await this.conn.run('INSERT INTO meta VALUES ($1, $2)', [key, blobValue(value)]);
  }

  /**
   * One DuckDB transaction. When a statement or the commit fails, DuckDB may
   * already have rolled back (a failed commit, a full disk): the original
   * error is the one reported, never the rollback's.
   */
  private async transaction(body: () => Promise<void>): Promise<void> {
    try {
      await this.conn.run('BEGIN TRANSACTION');
      try {
        await body();
        await this.conn.run('COMMIT');
      } catch (err) {
        await this.conn.run('ROLLBACK').catch(() => {});
        throw err;
      }
    } catch (err) {
      if (err instanceof CannotDecryptError || err instanceof StoreError || err instanceof InputError) throw err;
      throw new StoreError(`cannot write store ${this.path}: ${firstLine(err)}`);
    }
  }

  private async rows(sql: string, params?: DuckDBValue[]): Promise<DuckDBValue[][]> {
    try {
      return (await this.conn.runAndReadAll(sql, params)).getRows();
    } catch (err) {
      throw new StoreError(`cannot read store ${this.path}: ${firstLine(err)}`);
    }
  }

  private seal(plain: Uint8Array, key: DataKeyName, aadText: string): Uint8Array {
    return seal(this.key(key), plain, aadText);
  }

  private open(value: DuckDBValue, key: DataKeyName, aadText: string): Uint8Array {
    return open(this.key(key), bytesOf(value), aadText, `${this.path} (${aadText.split(':')[0]})`);
  }

  private sealJson(value: unknown, key: DataKeyName, table: string, blind?: Uint8Array): Uint8Array {
    return this.seal(new TextEncoder().encode(JSON.stringify(value)), key, aad(table, blind));
  }

  private openJson<T>(value: DuckDBValue, key: DataKeyName, table: string, blind?: Uint8Array): T {
    return JSON.parse(new TextDecoder().decode(this.open(value, key, aad(table, blind)))) as T;
  }
}

function noRows(): RowCounts {
  return { fixes: 0, contacts: 0, visits: 0, bindings: 0, zoneCounts: 0, reports: 0 };
}

/** A payload is bound to its table and row owner: moved elsewhere, it no longer opens. */
function aad(table: string, blind?: Uint8Array): string {
  return blind === undefined ? table : `${table}:${Buffer.from(blind).toString('hex')}`;
}

/** DuckDB's message on one line (it may continue the reason on the next). */
function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
}

/** DuckDB's files carry 'DUCK' at bytes 8-11 (its storage header); an empty or other file does not. */
function isDuckDbFile(path: string): boolean {
  const head = Buffer.alloc(12);
  const fd = openSync(path, 'r');
  try {
    return readSync(fd, head, 0, 12, 0) === 12 && head.toString('latin1', 8, 12) === 'DUCK';
  } finally {
    closeSync(fd);
  }
}

async function connect(path: string, readOnly: boolean): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY' } : {});
  } catch (err) {
    throw new StoreError(`cannot open store ${path}: ${firstLine(err)}`);
  }
  return { instance, conn: await instance.connect() };
}

/**
 * Who a credential (its text, as issue-credential printed it) belongs to and
 * what it unwraps, checked against the registry of an open store: for a
 * server that holds the store and authenticates each request. Throws
 * InputError for malformed text, CannotDecryptError for a credential not
 * issued for this store or a wrong secret.
 */
export async function verifyCredential(store: DuckStore, text: string): Promise<Access> {
  return store.accessFor({ credential: parseCredential(text, 'credential') });
}

/** Proves the master key (the key check opens) or unwraps the credential's grant. */
async function accessOf(conn: DuckDBConnection, secret: StoreSecret, path: string): Promise<Access> {
  const one = async (sql: string, params: DuckDBValue[] = []): Promise<DuckDBValue[][]> => {
    try {
      return (await conn.runAndReadAll(sql, params)).getRows();
    } catch {
      throw new InputError(`${path} is not a ctsim store of this version (no ${sql.includes('credentials') ? 'credential registry' : 'key check in its meta table'})`);
    }
  };
  // Stores from before credentials (v1) have no registry: their single key cannot be split into roles after the fact.
  await one('SELECT COUNT(*) FROM credentials');
  if ('credential' in secret) {
    const { credential } = secret;
    const rows = await one('SELECT holder FROM credentials WHERE id = $1', [credential.id]);
    if (rows.length === 0) throw new CannotDecryptError(`cannot decrypt store ${path}: credential ${credential.id} was not issued for it`);
    return openHolder(credential, bytesOf(rows[0][0]), path);
  }
  const access = masterAccess(secret.master);
  const rows = await one("SELECT value FROM meta WHERE key = 'key_check'");
  if (rows.length !== 1) throw new InputError(`${path} is not a ctsim store (no key check in its meta table)`);
  try {
    open(access.keys.registry!, bytesOf(rows[0][0]), 'meta:key_check', path);
  } catch (err) {
    if (err instanceof CannotDecryptError) throw new CannotDecryptError(`cannot decrypt store ${path}: wrong key`);
    throw err;
  }
  return access;
}

function bytesOf(v: DuckDBValue): Uint8Array {
  if (!(v instanceof DuckDBBlobValue)) throw new StoreError(`expected a BLOB in the store, got ${typeof v}`);
  return v.bytes;
}
