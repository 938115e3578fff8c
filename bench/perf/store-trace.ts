// Benchmark: trace query over a 30-day location store of the office scenario.
// One simulated office day (seed 1) is stored 30 times, on 30 consecutive
// days, then an analyst traces devices (track + contacts + journeys, audited)
// over the whole 30 days. Goal: under 1 s per trace.
//   node bin/run-ts.js bench/perf/store-trace.ts [--days 30] [--store PATH]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from 'simple-statistics';
import { pseudonymOf } from '../../engine/privacy/pseudonym.ts';
import { DAY_MS } from '../../engine/contract/privacy.ts';
import { GovernedStore } from '../../engine/store/access.ts';
import { DuckStore } from '../../engine/store/duckdb-store.ts';
import { deriveDataKeys } from '../../engine/store/keys.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { runExperiment } from '../harness/experiment.ts';
import { storeRun } from '../harness/store-run.ts';
import { numberFlag, strictArgs } from '../entry/args.ts';

const args = strictArgs('bench/perf/store-trace.ts').options({
  days: { type: 'number', default: 30, coerce: numberFlag('--days', { min: 1, whole: true }), describe: 'Days of history to store (whole, ≥ 1)' },
  store: { type: 'string', describe: 'Store file to write (default: a temporary one, removed after)' },
}).parseSync();
const days = args.days;
const dir = args.store === undefined ? mkdtempSync(join(tmpdir(), 'ctsim-bench-store-')) : undefined;
const path = args.store ?? join(dir!, 'office-30d.db');
const key = Uint8Array.from(Buffer.from('5a'.repeat(32), 'hex'));

const scenario = loadScenario('office');
process.stderr.write(`simulating office (seed ${scenario.seed}) ...\n`);
const exp = await runExperiment(scenario, { config: { run: { workers: 2 } } });
const firstDayMs = Date.UTC(2026, 9, 1);
const lastDayMs = firstDayMs + (days - 1) * DAY_MS;

let store = await DuckStore.open(path, { master: key }, { create: true });
const t0 = performance.now();
for (let d = 0; d < days; d++) await storeRun(store, exp, { startMs: firstDayMs + d * DAY_MS, nowMs: lastDayMs + DAY_MS });
const ingestS = (performance.now() - t0) / 1000;
await store.close();

// Fresh process state for the store: the first query of each device is cold.
store = await DuckStore.open(path, { master: key });
const analystCredential = await store.issueCredential('analyst', 'bench');
await store.close();
store = await DuckStore.open(path, { credential: analystCredential });
const analyst = new GovernedStore(store);
const devices = ['badge-0001', 'badge-0017', 'badge-0042', 'wifi-0005', 'wifi-0033'];
const timings: number[] = [];
const cold: number[] = [];
let fixes = 0;
let contacts = 0;
for (const id of devices) {
  const device = pseudonymOf(id, deriveDataKeys(key).pseudonym);
  for (let rep = 0; rep < 5; rep++) {
    const t = performance.now();
    const r = await analyst.trace(device);
    const ms = performance.now() - t;
    (rep === 0 ? cold : timings).push(ms);
    fixes = Math.max(fixes, r.track.length);
    contacts = Math.max(contacts, r.contacts.length);
  }
}
await store.close();
const sizeMb = statSync(path).size / 1e6;
const result = {
  days,
  storeMb: +sizeMb.toFixed(1),
  ingestSPerDay: +(ingestS / days).toFixed(2),
  traceFixesMax: fixes,
  traceContactsMax: contacts,
  traceColdMsMedian: +median(cold).toFixed(1),
  traceColdMsMax: +Math.max(...cold).toFixed(1),
  traceWarmMsMedian: +median(timings).toFixed(1),
  traceWarmMsMax: +Math.max(...timings).toFixed(1),
  goalMs: 1000,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
if (result.traceColdMsMax >= result.goalMs) process.exitCode = 1;
