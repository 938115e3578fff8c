import { DuckDBInstance } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../engine/config.ts';
import type { DeviceInfo } from '../engine/contract/observations.ts';
import type { Contact, Estimates } from '../engine/outputs.ts';
import { consentMask } from '../engine/privacy/consent.ts';
import { isPseudonym, pseudonymOf } from '../engine/privacy/pseudonym.ts';
import { DEFAULT_PRIVACY } from '../engine/contract/privacy.ts';
import { GovernedStore } from '../engine/store/access.ts';
import { CannotDecryptError } from '../engine/store/cipher.ts';
import { parseCredential, type Credential } from '../engine/store/credentials.ts';
import { DuckStore } from '../engine/store/duckdb-store.ts';
import { deriveDataKeys } from '../engine/store/keys.ts';
import { ingestWithRetention, storeBatch } from '../engine/store/ingest.ts';
import { AccessRefused, mayDo, type Action } from '../engine/store/roles.ts';
import { emptyTrack } from '../engine/store/track-codec.ts';
import { validateScenario } from '../scenarios/validate.ts';
import type { DeviceTrack, StoreBatch } from '../engine/store/types.ts';

const KEY = Uint8Array.from(Buffer.from('11'.repeat(32), 'hex'));
const OTHER_KEY = Uint8Array.from(Buffer.from('22'.repeat(32), 'hex'));
const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 10, 2); // 2 Nov 2026, 00:00 UTC

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ctsim-store-'));

/** Files a store leaves next to its path (the database, its WAL, temporaries). */
function storeFiles(path: string): string[] {
  const dir = join(path, '..');
  const base = path.slice(dir.length + 1);
  return readdirSync(dir).filter((f) => f.startsWith(base)).map((f) => join(dir, f));
}

/** A track of `n` fixes every `stepMs` from `fromMs`, at distinctive coordinates. */
function track(device: string, fromMs: number, n: number, stepMs: number, x0: number): DeviceTrack {
  const t = emptyTrack(n);
  for (let i = 0; i < n; i++) {
    t.tMs[i] = fromMs + i * stepMs;
    t.x[i] = x0 + i * 0.01;
    t.y[i] = 7.25 + i * 0.02;
    t.floor[i] = 1;
    t.errorRadiusM[i] = 2.5;
  }
  return { device, track: t };
}

const A = pseudonymOf('badge-0001', KEY);
const B = pseudonymOf('badge-0002', KEY);
const C = pseudonymOf('badge-0003', KEY);

function sampleBatch(): StoreBatch {
  return {
    tracks: [track(A, T0 + 8 * 3_600_000, 200, 5000, 13.37), track(B, T0 + 8 * 3_600_000, 150, 5000, 21.5), track(C, T0 + 9 * 3_600_000, 50, 5000, 3.5)],
    contacts: [
      { a: A < B ? A : B, b: A < B ? B : A, tech: 'ble-badge', exposureS: 950, minDistanceM: 0.8, firstTMs: T0 + 8.1 * 3_600_000, lastTMs: T0 + 8.3 * 3_600_000, zones: ['meeting-1'] },
      { a: B < C ? B : C, b: B < C ? C : B, tech: 'ble-badge', exposureS: 1200, minDistanceM: 1.1, firstTMs: T0 + 9 * 3_600_000, lastTMs: T0 + 9.1 * 3_600_000, zones: [] },
    ],
    journeys: [{ device: A, zoneId: 'meeting-1', enterTMs: T0 + 8 * 3_600_000, exitTMs: T0 + 8.25 * 3_600_000 }],
    bindings: [{ device: A, personId: 'person-0001' }, { device: B, personId: 'person-0002' }],
  };
}

async function storeWith(batch: StoreBatch): Promise<{ path: string; store: DuckStore }> {
  const path = join(tmp(), 'history.db');
  const store = await DuckStore.open(path, { master: KEY }, { create: true });
  await store.ingest(batch);
  return { path, store };
}

describe('pseudonymous ids', () => {
  it('are the HMAC-SHA-256 of the raw id under the organisation secret (RFC 4231-style vector)', () => {
    const key = new TextEncoder().encode('key');
    // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog") = f7bc83f4 3053 8424 b132 98e6 aa6f b143 ...
    expect(pseudonymOf('The quick brown fox jumps over the lazy dog', key)).toBe('ps-f7bc83f430538424b13298e6aa6fb143');
    expect(pseudonymOf('badge-0001', KEY)).not.toBe(pseudonymOf('badge-0001', OTHER_KEY));
    expect(isPseudonym(A)).toBe(true);
    expect(isPseudonym('badge-0001')).toBe(false);
  });
});

describe('consent rules', () => {
  const devices: DeviceInfo[] = [
    { id: 'wifi-aa', tech: 'wifi' }, { id: 'probe-bb', tech: 'wifi-probe' }, { id: 'badge-cc', tech: 'ble-badge' },
    { id: 'app-in', tech: 'ble-app' }, { id: 'app-out', tech: 'ble-app' },
  ];
  const rules = { ...DEFAULT_PRIVACY, optedIn: ['app-in'] };

  it('keep connected Wi-Fi and badges, count probing phones only, and keep app phones only with opt-in', () => {
    expect(consentMask(devices, rules)).toEqual([true, false, true, true, false]);
    expect(consentMask(devices, { ...rules, collection: { ...rules.collection, 'ble-badge': 'count-only' } })).toEqual([true, false, false, true, false]);
  });

  it('are engine config with defaults that overrides replace key by key', () => {
    expect(DEFAULT_CONFIG.privacy).toEqual(DEFAULT_PRIVACY);
    const cfg = resolveConfig({ privacy: { retentionDays: 7, optedIn: ['app-1', 'app-2'] } });
    expect(cfg.privacy).toEqual({ ...DEFAULT_PRIVACY, retentionDays: 7, optedIn: ['app-1', 'app-2'] });
  });

  it('leave no track, contact or binding of a device without consent in the batch, and no raw id', () => {
    const n = devices.length;
    const est: Estimates = {
      length: n, tMs: new Float64Array(n).fill(2500), deviceIdx: Uint32Array.from({ length: n }, (_, i) => i),
      x: new Float32Array(n).fill(4), y: new Float32Array(n).fill(5), floor: new Int16Array(n), errorRadiusM: new Float32Array(n).fill(2), apsUsed: new Uint8Array(n).fill(4),
    };
    const contact = (a: string, b: string): Contact => ({ a, b, tech: 'ble-app', exposureS: 900, minDistanceM: 1, firstTMs: 0, lastTMs: 900_000, zones: [] });
    const batch = storeBatch(
      { estimates: est, contacts: [contact('app-in', 'app-out'), contact('app-in', 'badge-cc')], devices, bindings: new Map([['probe-bb', 'p1'], ['badge-cc', 'p2']]) },
      T0, rules, KEY,
    );
    const kept = ['wifi-aa', 'badge-cc', 'app-in'].map((id) => pseudonymOf(id, KEY));
    expect(batch.tracks.map((t) => t.device)).toEqual(kept);
    expect(batch.tracks[0].track.tMs[0]).toBe(T0 + 2500);
    expect(batch.contacts).toHaveLength(1);
    expect([batch.contacts[0].a, batch.contacts[0].b].sort()).toEqual([kept[1], kept[2]].sort());
    expect(batch.bindings).toEqual([{ device: kept[1], personId: 'p2' }]);
    expect(JSON.stringify(batch.contacts) + JSON.stringify(batch.bindings)).not.toMatch(/wifi-aa|badge-cc|app-in/);
  });
});

describe('scenario privacy section', () => {
  const office = JSON.parse(readFileSync(new URL('../scenarios/office.json', import.meta.url), 'utf8'));

  it('defaults to the engine rules and takes per-technology overrides and an opt-in list', () => {
    expect(validateScenario(office, 'office.json').privacy).toEqual(DEFAULT_PRIVACY);
    const p = validateScenario({ ...office, privacy: { retentionDays: 14, collection: { 'ble-badge': 'count-only' }, optedIn: ['app-0001'] } }, 'x.json').privacy!;
    expect(p).toEqual({ retentionDays: 14, collection: { ...DEFAULT_PRIVACY.collection, 'ble-badge': 'count-only' }, optedIn: ['app-0001'] });
  });

  it('names the bad field', () => {
    expect(() => validateScenario({ ...office, privacy: { collection: { wifi: 'maybe' } } }, 'x.json')).toThrow(/privacy\.collection\.wifi.*must be one of keep, count-only, opt-in, got "maybe"/);
    expect(() => validateScenario({ ...office, privacy: { retentionDays: 0 } }, 'x.json')).toThrow(/privacy\.retentionDays/);
    expect(() => validateScenario({ ...office, privacy: { optin: [] } }, 'x.json')).toThrow(/privacy\.optin.*unknown field/);
  });
});

describe('location store', () => {
  it('answers a trace with the track, contacts (either side) and journeys it was given', async () => {
    const { store } = await storeWith(sampleBatch());
    const h = await store.history(A);
    expect(h.track.length).toBe(200);
    expect(h.track.tMs[199]).toBe(T0 + 8 * 3_600_000 + 199 * 5000);
    expect(h.track.x[10]).toBeCloseTo(13.47, 4);
    expect(h.contacts.map((c) => c.exposureS)).toEqual([950]);
    expect(h.journeys).toEqual([{ device: A, zoneId: 'meeting-1', enterTMs: T0 + 8 * 3_600_000, exitTMs: T0 + 8.25 * 3_600_000 }]);
    expect((await store.history(B)).contacts.map((c) => c.exposureS)).toEqual([950, 1200]);
    const part = await store.history(A, { fromMs: T0 + 8 * 3_600_000 + 100 * 5000, toMs: T0 + 8 * 3_600_000 + 149 * 5000 });
    expect(part.track.length).toBe(50);
    expect(await store.identity(A)).toBe('person-0001');
    await store.close();
  });

  it('holds no device id, pseudonym or coordinate in plain text, in the database or its WAL', async () => {
    const { path, store } = await storeWith(sampleBatch());
    const a = sampleBatch().tracks[0].track;
    const needles: Buffer[] = [
      ...['badge-0001', 'person-0001', 'meeting-1', A, B, C, A.slice(3)].map((s) => Buffer.from(s)),
      ...['13.37', '13.38', '7.25', '21.5'].map((s) => Buffer.from(s)),
      Buffer.from(a.x.buffer, 0, 16), // four consecutive x values as they would be packed
      Buffer.from(a.y.buffer, 8, 16),
      Buffer.from(new Float64Array([a.x[0]]).buffer),
    ];
    const scan = (): string[] => {
      const files = storeFiles(path);
      expect(files.length).toBeGreaterThan(0);
      return files.flatMap((f) => needles.filter((n) => readFileSync(f).includes(n)).map((n) => `${f}: ${n.toString('hex')}`));
    };
    expect(existsSync(`${path}.wal`)).toBe(true); // committed, not yet checkpointed: the WAL is checked too
    expect(scan()).toEqual([]);
    await store.close();
    expect(scan()).toEqual([]);
  });

  it('refuses a wrong key with "cannot decrypt" and writes nothing', async () => {
    const { path, store } = await storeWith(sampleBatch());
    await store.close();
    const before = storeFiles(path).map((f) => [f, createHash('sha256').update(readFileSync(f)).digest('hex')]);
    await expect(DuckStore.open(path, { master: OTHER_KEY })).rejects.toThrow(CannotDecryptError);
    await expect(DuckStore.open(path, { master: OTHER_KEY })).rejects.toThrow(/cannot decrypt store .*history\.db: wrong key/);
    expect(storeFiles(path).map((f) => [f, createHash('sha256').update(readFileSync(f)).digest('hex')])).toEqual(before);
  });

  it('loses nothing committed when the process dies in the middle of a write', async () => {
    const path = join(tmp(), 'crash.db');
    const script = fileURLToPath(new URL('./helpers/crash-ingest.ts', import.meta.url));
    const runTs = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));
    const r = spawnSync(process.execPath, [runTs, script, path, Buffer.from(KEY).toString('hex')], { encoding: 'utf8' });
    expect(r.stdout).toContain('committed first batch');
    expect(r.signal).toBe('SIGKILL'); // killed itself halfway through the second batch
    const store = await DuckStore.open(path, { master: KEY });
    const first = await store.history(pseudonymOf('crash-dev-0', deriveDataKeys(KEY).pseudonym));
    expect(first.track.length).toBe(720);
    expect(first.track.x[719]).toBeCloseTo(1 + 719 * 0.01, 3);
    // Nothing of the interrupted batch: its devices were written before the kill, but never committed.
    expect((await store.history(pseudonymOf('crash-dev-1', deriveDataKeys(KEY).pseudonym))).track.length).toBe(0);
    await store.close();
  });

  it('purges history older than the retention period: a 40-day history keeps exactly its last 30 days', async () => {
    const path = join(tmp(), 'retention.db');
    const store = await DuckStore.open(path, { master: KEY }, { create: true });
    const nowMs = T0 + 40 * DAY_MS + 12 * 3_600_000;
    // One fix an hour for 40 days before now, and a contact per day.
    const hist = track(A, nowMs - 40 * DAY_MS, 40 * 24, 3_600_000, 1);
    const contacts = Array.from({ length: 40 }, (_, d) => ({ a: A < B ? A : B, b: A < B ? B : A, tech: 'ble-badge' as const, exposureS: 900 + d, minDistanceM: 1, firstTMs: nowMs - (40 - d) * DAY_MS, lastTMs: nowMs - (40 - d) * DAY_MS + 900_000, zones: [] }));
    // And an hour of hot-zone counts per day in two zones, the count telling the day apart.
    const zoneCounts = Array.from({ length: 40 }, (_, d) => ['lobby', 'meeting-1'].map((zoneId) => ({ zoneId, startMs: nowMs - (40 - d) * DAY_MS, endMs: nowMs - (40 - d) * DAY_MS + 3_600_000, count: d, baseline: 8, hot: d > 35 }))).flat();
    const { purged } = await ingestWithRetention(store, { tracks: [hist], contacts, zoneCounts }, DEFAULT_PRIVACY, nowMs);
    const cutoff = nowMs - 30 * DAY_MS;
    const h = await store.history(A);
    expect(h.track.length).toBe(30 * 24);
    expect(h.track.tMs[0]).toBe(cutoff);
    expect(h.track.tMs[h.track.length - 1]).toBe(nowMs - 3_600_000);
    expect(Array.from(h.track.tMs)).toEqual(Array.from(hist.track.tMs).filter((t) => t >= cutoff));
    expect(Array.from(h.track.x)).toEqual(Array.from(hist.track.x.subarray(10 * 24)));
    expect(h.contacts.map((c) => c.exposureS)).toEqual(Array.from({ length: 30 }, (_, i) => 910 + i));
    expect(purged).toEqual({ fixes: 10 * 24, contacts: 10, visits: 0, bindings: 0, zoneCounts: 2 * 10, reports: 0 });
    const kept = await store.zoneCounts();
    expect(kept).toEqual(zoneCounts.slice(2 * 10));
    expect((await store.zoneCounts({ fromMs: nowMs - 2 * DAY_MS }, 'lobby')).map((c) => [c.count, c.hot])).toEqual([[38, true], [39, true]]);
    await store.close();
  });

  it('erases a device everywhere: the store holds nothing of it (an export says so) and no file holds its blind index any more', async () => {
    const { path, store } = await storeWith(sampleBatch());
    const admin = new GovernedStore(store);
    const blindA = Buffer.from(store.blind(A));
    expect(storeFiles(path).some((f) => readFileSync(f).includes(blindA))).toBe(true);
    expect(await admin.erase(A)).toEqual({ device: A, counts: { fixes: 200, contacts: 1, visits: 1, bindings: 1, zoneCounts: 0, reports: 0 } });
    expect([await store.holds(A), await store.holds(B)]).toEqual([false, true]);
    await expect(admin.export(A)).rejects.toThrow(/^no device '.+' in the store/);
    // B keeps its own history but not the contact with A.
    const b = await store.history(B);
    expect([b.track.length, b.contacts.length]).toEqual([150, 1]);
    // Nothing decrypted from any table names A: the audit log (which records the erase) refers to it by audit ref only.
    const everything = JSON.stringify([await store.history(B), await store.history(C), await store.identity(B), (await store.auditLog()).map((r) => r.entry)]);
    expect(everything).toContain(store.auditRef(A));
    expect(everything).not.toContain(A);
    await store.close();
    expect(storeFiles(path).filter((f) => readFileSync(f).includes(blindA))).toEqual([]);
  });

  it('gives traces to admins (with identity) and analysts (without, by pseudonym only), refuses viewers and audits all of it under the credential user', async () => {
    const { path, store } = await storeWith(sampleBatch());
    const admin = new GovernedStore(store);
    const ana = parseCredential(await admin.issueCredential('analyst', 'ana'), 'test');
    const vic = parseCredential(await admin.issueCredential('viewer', 'vic'), 'test');
    expect((await admin.trace(A)).personId).toBe('person-0001');
    const refA = store.auditRef(A);
    await store.close();
    const as = async (credential: Credential, f: (g: GovernedStore) => Promise<unknown>): Promise<void> => {
      const s = await DuckStore.open(path, { credential });
      try {
        await f(new GovernedStore(s));
      } finally {
        await s.close();
      }
    };
    await as(ana, async (g) => {
      const analystView = await g.trace(A);
      expect(analystView.track.length).toBe(200);
      expect(analystView.personId).toBeUndefined();
      await expect(g.identity(A)).rejects.toThrow(AccessRefused);
      await expect(g.trace('badge-0001')).rejects.toThrow("role 'analyst' may not look up a raw device id (give its ps- pseudonym) (allowed: admin)");
    });
    await as(vic, (g) => expect(g.trace(A)).rejects.toThrow("role 'viewer' may not trace (allowed: admin, analyst)"));
    const reopened = await DuckStore.open(path, { master: KEY });
    const log = (await reopened.auditLog()).map((r) => r.entry && [r.seq, r.entry.user, r.entry.role, r.entry.action, r.entry.outcome, r.entry.device]);
    expect(refA).toMatch(/^ref-[0-9a-f]{32}$/);
    expect(log).toEqual([
      [1, 'store-key', 'admin', 'create', 'allowed', null],
      [2, 'store-key', 'admin', 'issue-credential', 'allowed', null],
      [3, 'store-key', 'admin', 'issue-credential', 'allowed', null],
      [4, 'store-key', 'admin', 'trace', 'allowed', refA],
      [5, 'store-key', 'admin', 'identity', 'allowed', refA],
      [6, 'ana', 'analyst', 'trace', 'allowed', refA],
      [7, 'ana', 'analyst', 'identity', 'refused', refA],
      [8, 'ana', 'analyst', 'raw-id', 'refused', null],
      // A viewer holds no blind-index key: it cannot even name the device in the log.
      [9, 'vic', 'viewer', 'trace', 'refused', null],
    ]);
    expect(mayDo('viewer', 'hot-zone-counts')).toBe(true);
    expect(['trace', 'identity', 'raw-id', 'export', 'erase', 'purge', 'audit', 'issue-credential'].filter((a) => mayDo('viewer', a as Action))).toEqual([]);
    expect(await reopened.verifyAudit()).toEqual({ ok: true, entries: 9 });
    await reopened.close();
  });
});

describe('audit log verification', () => {
  /** A store with five audit entries, closed; `tamper` then edits the file with plain SQL. */
  async function tampered(tamper: string): Promise<{ ok: boolean; entries: number; problem?: string }> {
    const { path, store } = await storeWith(sampleBatch());
    const admin = new GovernedStore(store);
    for (let i = 0; i < 5; i++) await admin.zoneCounts();
    await store.close();
    if (tamper !== '') {
      const db = await DuckDBInstance.create(path);
      const conn = await db.connect();
      await conn.run(tamper);
      conn.closeSync();
      db.closeSync();
    }
    const reopened = await DuckStore.open(path, { master: KEY });
    const verdict = await reopened.verifyAudit();
    await reopened.close();
    return verdict;
  }

  it('passes an untouched log', async () => {
    expect(await tampered('')).toEqual({ ok: true, entries: 6 });
  });

  it('detects an edited entry', async () => {
    // Swap in another entry's sealed payload: still valid ciphertext, wrong place.
    const v = await tampered('UPDATE audit SET payload = (SELECT payload FROM audit WHERE seq = 1) WHERE seq = 3');
    expect(v).toMatchObject({ ok: false, problem: 'entry 3 was altered (cannot decrypt)' });
  });

  it('detects a deleted entry, in the middle or at the end', async () => {
    expect(await tampered('DELETE FROM audit WHERE seq = 2')).toMatchObject({ ok: false, problem: 'entry 2 is missing (next entry found is 3)' });
    expect(await tampered('DELETE FROM audit WHERE seq = 6')).toMatchObject({ ok: false, problem: 'the log ends at entry 5 but its head records 6 entries (entries deleted)' });
  });
});
