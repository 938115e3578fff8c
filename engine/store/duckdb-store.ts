// The embedded default store: one DuckDB file (plus its write-ahead log while
// open). DuckDB needs no server, commits atomically through its WAL (a crash
// mid-write loses only the uncommitted transaction) and scans large tables
// fast. Its own file encryption cannot write without the httpfs extension,
// which is not available from the npm registry, so every payload is sealed
// here with AES-256-GCM (cipher.ts) before it reaches DuckDB. What stays in
// the clear: blind indexes (an HMAC of the pseudonym, never the pseudonym),
// times, row counts and audit chain values — no id, pseudonym or coordinate.
// Hot-zone counts carry no identity but are sealed too: a count of 1 in a
// small room at night points at one person, and zone names describe the site.
import { blobValue, DuckDBBlobValue, DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { createHmac } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { decodeEntry, encodeEntry, GENESIS, nextChain, verifyChain, type AuditEntry, type AuditHead, type AuditInput, type AuditRow, type AuditVerdict } from './audit.ts';
import { groupBy } from '../pipeline/group-by.ts';
import { DAY_MS } from '../contract/privacy.ts';
import { CannotDecryptError, open, seal } from './cipher.ts';
import { deriveKeys, type StoreKeys } from './keys.ts';
import { decodeTrackBlock, emptyTrack, encodeTrackBlock, sliceTrack } from './track-codec.ts';
import type { DeviceHistory, LocationStore, RowCounts, StoreBatch, StoredContact, StoredVisit, StoredZoneCount, TimeRange, Track } from './types.ts';

const BLIND_INDEX_BYTES = 16;
/** The largest time a JS Date holds: "no bound" for a time range. */
const MAX_TIME_MS = 8.64e15;
/** Known plaintext sealed at creation: opening it proves the key before anything is read or written. */
const KEY_CHECK = 'ctsim location store v1';

// Tables (device, a, b: 16-byte blind index; *_ms: ms since the Unix epoch;
// payload: sealed, its AAD naming the table and row owner):
//   meta      key VARCHAR ('key_check', 'audit_head'), value sealed
//   tracks    device, day_ms (UTC day), t_first_ms, t_last_ms, fixes, payload = track-codec block of that day
//   contacts  a, b, t_last_ms, payload = StoredContact JSON
//   journeys  device, t_first_ms, t_last_ms, visits, payload = StoredVisit[] JSON (one row per device per ingest)
//   bindings  device, payload = IdentityBinding JSON
//   audit     seq, chain (HMAC chain value), payload = audit entry
//   hotzones  t_start_ms, t_end_ms, zones, payload = StoredZoneCount[] JSON (every zone over one interval)
// IF NOT EXISTS: stores written before hot zones were kept gain the table on open.
const HOTZONES_TABLE = 'CREATE TABLE IF NOT EXISTS hotzones (t_start_ms BIGINT, t_end_ms BIGINT, zones INTEGER, payload BLOB)';
const SCHEMA = [
  'CREATE TABLE meta (key VARCHAR, value BLOB)',
  'CREATE TABLE tracks (device BLOB, day_ms BIGINT, t_first_ms BIGINT, t_last_ms BIGINT, fixes INTEGER, payload BLOB)',
  'CREATE TABLE contacts (a BLOB, b BLOB, t_last_ms BIGINT, payload BLOB)',
  'CREATE TABLE journeys (device BLOB, t_first_ms BIGINT, t_last_ms BIGINT, visits INTEGER, payload BLOB)',
  'CREATE TABLE bindings (device BLOB, payload BLOB)',
  'CREATE TABLE audit (seq BIGINT, chain BLOB, payload BLOB)',
  HOTZONES_TABLE,
];

export class StoreError extends Error {}

export class DuckStore implements LocationStore {
  private constructor(
    readonly path: string,
    readonly keys: StoreKeys,
    private instance: DuckDBInstance,
    private conn: DuckDBConnection,
  ) {}

  /** Opens (or creates) the store at `path`; a wrong key fails before anything is written. */
  static async open(path: string, masterKey: Uint8Array): Promise<DuckStore> {
    const keys = deriveKeys(masterKey);
    const exists = existsSync(path);
    if (exists) {
      // Read-only first, so a wrong key cannot even trigger a checkpoint.
      const ro = await connect(path, true);
      try {
        await checkKey(ro.conn, keys, path);
      } finally {
        ro.conn.closeSync();
        ro.instance.closeSync();
      }
    }
    const { instance, conn } = await connect(path, false);
    const store = new DuckStore(path, keys, instance, conn);
    if (!exists) {
      await store.transaction(async () => {
        for (const sql of SCHEMA) await conn.run(sql);
        await store.putMeta('key_check', new TextEncoder().encode(KEY_CHECK));
      });
    } else await conn.run(HOTZONES_TABLE);
    return store;
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
  }

  /** How the audit log names a device: recomputable from its pseudonym, yet not the pseudonym. */
  auditRef(device: string): string {
    return `ref-${createHmac('sha256', this.keys.auditSubject).update(device, 'utf8').digest('hex').slice(0, 32)}`;
  }

  /** The blind index of a pseudonym: finds its rows without storing it. */
  blind(device: string): Uint8Array {
    return new Uint8Array(createHmac('sha256', this.keys.blindIndex).update(device, 'utf8').digest().subarray(0, BLIND_INDEX_BYTES));
  }

  async ingest(batch: StoreBatch): Promise<RowCounts> {
    const counts: RowCounts = { fixes: 0, contacts: 0, visits: 0, bindings: 0, zoneCounts: 0 };
    await this.transaction(async () => {
      for (const { device, track } of batch.tracks) counts.fixes += await this.insertTrack(this.blind(device), track);
      const contacts = await this.conn.prepare('INSERT INTO contacts VALUES ($1, $2, $3, $4)');
      for (const c of batch.contacts) {
        const a = this.blind(c.a);
        contacts.bind([blobValue(a), blobValue(this.blind(c.b)), c.lastTMs, blobValue(this.sealJson(c, 'contacts', a))]);
        await contacts.run();
        counts.contacts++;
      }
      const journeys = await this.conn.prepare('INSERT INTO journeys VALUES ($1, $2, $3, $4, $5)');
      for (const [device, visits] of groupBy(batch.journeys ?? [], (v) => v.device)) {
        const blind = this.blind(device);
        const first = Math.min(...visits.map((v) => v.enterTMs));
        const last = Math.max(...visits.map((v) => v.exitTMs));
        journeys.bind([blobValue(blind), first, last, visits.length, blobValue(this.sealJson(visits, 'journeys', blind))]);
        await journeys.run();
        counts.visits += visits.length;
      }
      for (const b of batch.bindings ?? []) {
        const blind = this.blind(b.device);
        await this.conn.run('DELETE FROM bindings WHERE device = $1', [blobValue(blind)]);
        await this.conn.run('INSERT INTO bindings VALUES ($1, $2)', [blobValue(blind), blobValue(this.sealJson(b, 'bindings', blind))]);
        counts.bindings++;
      }
      for (const zones of groupBy(batch.zoneCounts ?? [], (c) => String(c.startMs)).values()) {
        await this.conn.run('INSERT INTO hotzones VALUES ($1, $2, $3, $4)', [zones[0].startMs, zones[0].endMs, zones.length, blobValue(this.sealJson(zones, 'hotzones'))]);
        counts.zoneCounts += zones.length;
      }
    });
    return counts;
  }

  /** Inserts a device's fixes as one sealed block per UTC day; returns the fixes written. */
  private async insertTrack(blind: Uint8Array, track: Track): Promise<number> {
    for (let start = 0; start < track.length; ) {
      const dayMs = Math.floor(track.tMs[start] / DAY_MS) * DAY_MS;
      let end = start;
      while (end < track.length && track.tMs[end] < dayMs + DAY_MS) end++;
      const payload = this.seal(encodeTrackBlock(track, start, end, dayMs), 'tracks', blind);
      await this.conn.run('INSERT INTO tracks VALUES ($1, $2, $3, $4, $5, $6)', [blobValue(blind), dayMs, track.tMs[start], track.tMs[end - 1], end - start, blobValue(payload)]);
      start = end;
    }
    return track.length;
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
    for (const [dayMs, , payload] of blocks) at += decodeTrackBlock(this.open(payload, 'tracks', blind), Number(dayMs), all, at);
    const track = range.fromMs === undefined && range.toMs === undefined ? all : sliceTrack(all, fromMs, toMs);

    const contactRows = await this.rows('SELECT a, payload FROM contacts WHERE a = $1 OR b = $1', [blobValue(blind)]);
    const contacts = contactRows
      .map(([a, payload]) => this.openJson<StoredContact>(payload, 'contacts', bytesOf(a)))
      .filter((c) => c.lastTMs >= fromMs && c.firstTMs <= toMs)
      .sort((p, q) => p.firstTMs - q.firstTMs || (p.a < q.a ? -1 : 1));
    const visitRows = await this.rows('SELECT payload FROM journeys WHERE device = $1 ORDER BY t_first_ms', [blobValue(blind)]);
    const journeys = visitRows
      .flatMap(([payload]) => this.openJson<StoredVisit[]>(payload, 'journeys', blind))
      .filter((v) => v.exitTMs >= fromMs && v.enterTMs <= toMs);
    return { device, track, contacts, journeys };
  }

  async identity(device: string): Promise<string | null> {
    const blind = this.blind(device);
    const rows = await this.rows('SELECT payload FROM bindings WHERE device = $1', [blobValue(blind)]);
    return rows.length === 0 ? null : this.openJson<{ personId: string }>(rows[0][0], 'bindings', blind).personId;
  }

  async zoneCounts(range: TimeRange = {}, zoneId?: string): Promise<StoredZoneCount[]> {
    const rows = await this.rows('SELECT payload FROM hotzones WHERE t_end_ms > $1 AND t_start_ms < $2 ORDER BY t_start_ms', [range.fromMs ?? -MAX_TIME_MS, range.toMs ?? MAX_TIME_MS]);
    const all = rows.flatMap(([payload]) => this.openJson<StoredZoneCount[]>(payload, 'hotzones'));
    return zoneId === undefined ? all : all.filter((c) => c.zoneId === zoneId);
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
      // A day's block that straddles the cutoff keeps only its newer fixes.
      const straddling = await this.rows('SELECT rowid, device, day_ms, fixes, payload FROM tracks WHERE t_first_ms < $1', c);
      for (const [rowid, device, dayMs, fixes, payload] of straddling) {
        const blind = bytesOf(device);
        const block = emptyTrack(Number(fixes));
        decodeTrackBlock(this.open(payload, 'tracks', blind), Number(dayMs), block, 0);
        const kept = sliceTrack(block, cutoffMs, MAX_TIME_MS);
        await this.conn.run('DELETE FROM tracks WHERE rowid = $1', [rowid]);
        await this.insertTrack(blind, kept);
        counts.fixes += block.length - kept.length;
      }
    });
    if (opts.compact) await this.compact();
    return counts;
  }

  async appendAudit(input: AuditInput, atMs = Date.now()): Promise<AuditEntry> {
    let entry!: AuditEntry;
    await this.transaction(async () => {
      const head = await this.auditHead();
      entry = { ...input, seq: (head?.seq ?? 0) + 1, atMs };
      const chain = nextChain(this.keys.audit, head?.chain ?? GENESIS, encodeEntry(entry));
      await this.conn.run('INSERT INTO audit VALUES ($1, $2, $3)', [entry.seq, blobValue(chain), blobValue(this.seal(encodeEntry(entry), 'audit', chain))]);
      await this.putMeta('audit_head', new TextEncoder().encode(JSON.stringify({ seq: entry.seq, chain: Buffer.from(chain).toString('hex') })));
    });
    return entry;
  }

  async auditLog(): Promise<AuditRow[]> {
    const rows = await this.rows('SELECT seq, chain, payload FROM audit ORDER BY seq');
    return rows.map(([seq, chain, payload]) => {
      const c = bytesOf(chain);
      let entry: AuditEntry | null = null;
      try {
        entry = decodeEntry(this.open(payload, 'audit', c));
      } catch (err) {
        if (!(err instanceof CannotDecryptError)) throw err;
      }
      return { seq: Number(seq), chain: c, entry };
    });
  }

  async verifyAudit(): Promise<AuditVerdict> {
    return verifyChain(this.keys.audit, await this.auditLog(), await this.auditHead());
  }

  /**
   * Rewrites the file without its free blocks, so deleted (sealed) rows are
   * gone from disk too; the new file replaces the old by an atomic rename.
   */
  async compact(): Promise<void> {
    const tmp = `${this.path}.compact.tmp`;
    rmSync(tmp, { force: true });
    rmSync(`${tmp}.wal`, { force: true });
    await this.conn.run('CHECKPOINT');
    const name = String((await this.rows('SELECT current_database()'))[0][0]);
    await this.conn.run(`ATTACH '${tmp.replaceAll("'", "''")}' AS compacted`);
    await this.conn.run(`COPY FROM DATABASE "${name.replaceAll('"', '""')}" TO compacted`);
    await this.conn.run('DETACH compacted');
    await this.close();
    renameSync(tmp, this.path);
    ({ instance: this.instance, conn: this.conn } = await connect(this.path, false));
  }

  private async auditHead(): Promise<AuditHead | null> {
    const raw = await this.getMeta('audit_head');
    if (raw === null) return null;
    const { seq, chain } = JSON.parse(new TextDecoder().decode(raw));
    return { seq, chain: Uint8Array.from(Buffer.from(chain, 'hex')) };
  }

  /** Fixes, contacts and visits the WHERE clauses select (bindings and zone counts left at 0). */
  private async counts(deviceWhere: string, contactWhere: string, params: DuckDBValue[]): Promise<RowCounts> {
    const one = async (sql: string): Promise<number> => Number((await this.rows(sql, params))[0][0] ?? 0);
    return {
      fixes: await one(`SELECT COALESCE(SUM(fixes), 0) FROM tracks ${deviceWhere}`),
      contacts: await one(`SELECT COUNT(*) FROM contacts ${contactWhere}`),
      visits: await one(`SELECT COALESCE(SUM(visits), 0) FROM journeys ${deviceWhere}`),
      bindings: 0,
      zoneCounts: 0,
    };
  }

  private async putMeta(key: string, value: Uint8Array): Promise<void> {
    await this.conn.run('DELETE FROM meta WHERE key = $1', [key]);
    await this.conn.run('INSERT INTO meta VALUES ($1, $2)', [key, blobValue(this.seal(value, `meta:${key}`))]);
  }

  private async getMeta(key: string): Promise<Uint8Array | null> {
    const rows = await this.rows('SELECT value FROM meta WHERE key = $1', [key]);
    return rows.length === 0 ? null : this.open(rows[0][0], `meta:${key}`);
  }

  private async transaction(body: () => Promise<void>): Promise<void> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      await body();
      await this.conn.run('COMMIT');
    } catch (err) {
      await this.conn.run('ROLLBACK');
      throw err;
    }
  }

  private async rows(sql: string, params?: DuckDBValue[]): Promise<DuckDBValue[][]> {
    return (await this.conn.runAndReadAll(sql, params)).getRows();
  }

  private seal(plain: Uint8Array, table: string, blind?: Uint8Array): Uint8Array {
    return seal(this.keys.encryption, plain, aad(table, blind));
  }

  private open(value: DuckDBValue, table: string, blind?: Uint8Array): Uint8Array {
    return open(this.keys.encryption, bytesOf(value), aad(table, blind), `${this.path} (${table})`);
  }

  private sealJson(value: unknown, table: string, blind?: Uint8Array): Uint8Array {
    return this.seal(new TextEncoder().encode(JSON.stringify(value)), table, blind);
  }

  private openJson<T>(value: DuckDBValue, table: string, blind?: Uint8Array): T {
    return JSON.parse(new TextDecoder().decode(this.open(value, table, blind))) as T;
  }
}

/** A payload is bound to its table and row owner: moved elsewhere, it no longer opens. */
function aad(table: string, blind?: Uint8Array): string {
  return blind === undefined ? table : `${table}:${Buffer.from(blind).toString('hex')}`;
}

async function connect(path: string, readOnly: boolean): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY' } : {});
  } catch (err) {
    throw new StoreError(`cannot open store ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  return { instance, conn: await instance.connect() };
}

async function checkKey(conn: DuckDBConnection, keys: StoreKeys, path: string): Promise<void> {
  let sealed: DuckDBValue;
  try {
    const rows = (await conn.runAndReadAll("SELECT value FROM meta WHERE key = 'key_check'")).getRows();
    if (rows.length !== 1) throw new Error('no key check');
    sealed = rows[0][0];
  } catch {
    throw new StoreError(`${path} is not a ctsim store (no key check in its meta table)`);
  }
  try {
    open(keys.encryption, bytesOf(sealed), 'meta:key_check', path);
  } catch (err) {
    if (err instanceof CannotDecryptError) throw new CannotDecryptError(`cannot decrypt store ${path}: wrong key`);
    throw err;
  }
}

function bytesOf(v: DuckDBValue): Uint8Array {
  if (!(v instanceof DuckDBBlobValue)) throw new StoreError(`expected a BLOB in the store, got ${typeof v}`);
  return v.bytes;
}

