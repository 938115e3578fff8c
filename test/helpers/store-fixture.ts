// A small location store made through the engine API (fast), for the CLI
// tests that then attack or query it: three devices' tracks, two contacts,
// a journey, two identity bindings and hot-zone counts, opened with KEY_HEX.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pseudonymOf } from '../../engine/privacy/pseudonym.ts';
import { DuckStore } from '../../engine/store/duckdb-store.ts';
import { deriveDataKeys } from '../../engine/store/keys.ts';
import { emptyTrack } from '../../engine/store/track-codec.ts';

export const KEY_HEX = '3c'.repeat(32);
export const KEY = Uint8Array.from(Buffer.from(KEY_HEX, 'hex'));
export const T0 = Date.UTC(2026, 10, 2, 8); // 2 Nov 2026, 08:00 UTC
const secret = deriveDataKeys(KEY).pseudonym;
/** Raw ids and their pseudonyms. */
export const RAW = ['badge-0001', 'badge-0002', 'badge-0003'] as const;
export const [A, B, C] = RAW.map((id) => pseudonymOf(id, secret));

export interface Fixture {
  dir: string;
  db: string;
  keyFile: string;
  /** --store DB --key-file KEY: the admin's own key. */
  admin: string[];
}

/** `fixesPerDevice` sizes the file (2,000 fixes × 40 devices ≈ 2.6 MB). */
export async function makeStore(devices = 3, fixesPerDevice = 200): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-store-fixture-'));
  const db = join(dir, 'history.db');
  const keyFile = join(dir, 'store.key');
  writeFileSync(keyFile, `${KEY_HEX}\n`);
  const store = await DuckStore.open(db, { master: KEY }, { create: true });
  const ids = Array.from({ length: devices }, (_, d) => (d < RAW.length ? [A, B, C][d] : pseudonymOf(`badge-${1000 + d}`, secret)));
  const tracks = ids.map((device, d) => {
    const t = emptyTrack(fixesPerDevice);
    for (let i = 0; i < t.length; i++) {
      t.tMs[i] = T0 + i * 5000;
      t.x[i] = 3 + d + Math.sin(i) * 0.5;
      t.y[i] = 7 + (i % 17) * 0.1;
      t.floor[i] = 1;
      t.errorRadiusM[i] = 2.5;
    }
    return { device, track: t };
  });
  const [lo, hi] = A < B ? [A, B] : [B, A];
  await store.ingest({
    tracks,
    contacts: [{ a: lo, b: hi, tech: 'ble-badge', exposureS: 950, minDistanceM: 0.8, firstTMs: T0 + 600_000, lastTMs: T0 + 1_550_000, zones: ['meeting-1'] }],
    journeys: [{ device: A, zoneId: 'meeting-1', enterTMs: T0, exitTMs: T0 + 900_000 }],
    bindings: [{ device: A, personId: 'person-0001' }, { device: B, personId: 'person-0002' }],
    zoneCounts: [{ zoneId: 'meeting-1', startMs: T0, endMs: T0 + 900_000, count: 2, baseline: 1, hot: true }],
  });
  await store.close();
  return { dir, db, keyFile, admin: ['--store', db, '--key-file', keyFile] };
}
