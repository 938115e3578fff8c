// `npm run bench:live [-- options]`: the live engine's performance.
//   throughput  sustained ingest, in process (reports per wall and per CPU
//               second) and over HTTP (ctsim serve's app on 127.0.0.1, bodies
//               built before the clock starts);
//   latency     report-to-fix and report-to-event at 50 % and 90 % of the HTTP
//               throughput, over a stretch of the day from --latency-from-s
//               (office: its one hot-zone alert rises at 3 h 54 min and clears
//               at 4 h 51 min): from sending the POST that releases an epoch
//               (its reports are latenessMs past the epoch's end) to the events
//               the engine emitted for that epoch arriving on the SSE stream
//               (the epoch and lateness wait itself is stream time: ctsim
//               replay reports it as the fix lag), per kind: fixes, zone
//               enter/exit, hot-zone raise/clear, contact/contact-end. A zone
//               event is backdated to when its visit began or ended; it is
//               emitted right after the fix that decided it, so it counts
//               from the release of that fix's epoch;
//   memory      resident memory over a replayed week: the office day (capped to
//               --day-hours) replayed once a day for 7 days, RSS after each day's
//               devices went idle overnight and a GC (run with --expose-gc).
// Writes bench/results/live-<name>.json. Never part of `npm test`.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { engineInputs } from '../harness/experiment.ts';
import { numberFlag, strictArgs, wordListFlag } from '../entry/args.ts';
import { withDeviceShare } from '../harness/device-share.ts';
import { cpuSince, paced } from '../harness/live-replay.ts';
import { ndjsonOf, subscribe } from '../harness/live-replay-http.ts';
import { tokenVerifier } from '../../engine/live/server/credentials.ts';
import { liveServer } from '../../engine/live/server/app.ts';
import { writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { LiveEngine } from '../../engine/live/engine.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { simulate } from '../../sim/simulate.ts';
import type { ObservationBatch } from '../../engine/contract/observations.ts';
import type { LiveEventType } from '../../engine/live/events.ts';
import { InputError } from '../../engine/contract/input-error.ts';

const SECTIONS = ['throughput', 'latency', 'memory'] as const;
const positive = (flag: string) => numberFlag(flag, { above: 0 });
const opt = strictArgs('bench/perf/live-bench.ts')
  .options({
    only: { type: 'string', default: SECTIONS.join(','), coerce: wordListFlag, choices: SECTIONS, describe: 'Sections to run, comma-separated' },
    name: { type: 'string', default: 'latest', describe: 'Results go to bench/results/live-NAME.json' },
    quick: { type: 'boolean', default: false, describe: 'Shorter latency and memory stretches (unless given): --latency-s 1200, --day-hours 0.5' },
    scenario: { type: 'string', default: 'office', describe: 'Built-in scenario name or scenario file' },
    hours: { type: 'number', default: 1, coerce: positive('--hours'), describe: 'Hours of the day for throughput (> 0)' },
    'day-hours': { type: 'number', coerce: positive('--day-hours'), describe: 'Hours of each replayed day of the memory week (> 0; default 2)' },
    'latency-from-s': { type: 'number', default: 13_800, coerce: numberFlag('--latency-from-s', { min: 0 }), describe: 'Stream second the latency runs start at (≥ 0)' },
    'latency-s': { type: 'number', coerce: positive('--latency-s'), describe: 'Stream seconds the latency runs replay (> 0; default 3900)' },
    'latency-post-rows': { type: 'number', default: 1000, coerce: numberFlag('--latency-post-rows', { above: 0, whole: true }), describe: 'Reports per POST in the latency runs' },
  })
  .parseSync();
const only = new Set<string>(opt.only);
const hours = opt.hours ?? 1, dayHours = opt['day-hours'] ?? (opt.quick ? 0.5 : 2);
const latencyFromS = opt['latency-from-s'], latencyS = opt['latency-s'] ?? (opt.quick ? 1200 : 3900);

const scenario = loadScenario(opt.scenario);
if (only.has('latency') && latencyFromS >= scenario.durationS) {
  throw new InputError(`--latency-from-s ${latencyFromS}: the ${scenario.name} scenario lasts ${scenario.durationS} s`);
}
scenario.durationS = Math.min(scenario.durationS, Math.max(hours * 3600, dayHours * 3600, only.has('latency') ? latencyFromS + latencyS : 0));
const sim = simulate(scenario);
const inputs = engineInputs(sim);
const config = withDeviceShare(scenario, {});
const live = { apBeacons: inputs.apBeacons, survey: inputs.survey, bindings: inputs.bindings };
const site = scenario.site;
const TOKEN = 'bench-admin-token-0123456789';
const results: Record<string, unknown> = { scenario: scenario.name, machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() } };

/** Rows of obs with fromMs ≤ tMs < toMs, as a batch (views). */
function rowsBetween(obs: ObservationBatch, fromMs: number, toMs: number): ObservationBatch {
  let a = 0;
  while (a < obs.length && obs.tMs[a] < fromMs) a++;
  let b = a;
  while (b < obs.length && obs.tMs[b] < toMs) b++;
  return { ...obs, length: b - a, tMs: obs.tMs.subarray(a, b), deviceIdx: obs.deviceIdx.subarray(a, b), apIdx: obs.apIdx.subarray(a, b), rssiDbm: obs.rssiDbm.subarray(a, b) };
}
const firstRows = (obs: ObservationBatch, toMs: number): ObservationBatch => rowsBetween(obs, -Infinity, toMs);

/** What the latency runs measure, per event type. */
const KIND_OF: Record<LiveEventType, LatencyKind> = {
  fix: 'fix', 'zone-enter': 'zone', 'zone-exit': 'zone', 'hotzone-raised': 'hotZone', 'hotzone-cleared': 'hotZone', contact: 'contact', 'contact-end': 'contact',
};
type LatencyKind = 'fix' | 'zone' | 'hotZone' | 'contact';
const KINDS: readonly LatencyKind[] = ['fix', 'zone', 'hotZone', 'contact'];

function inProcess(obs: ObservationBatch, shiftMs = 0, engine = new LiveEngine(site, config, () => {}, live)): { wallS: number; cpuS: number; engine: LiveEngine } {
  const t0 = performance.now(), cpu0 = process.cpuUsage();
  for (let i = 0; i < obs.length; i++) {
    const d = obs.devices[obs.deviceIdx[i]];
    engine.push(obs.tMs[i] + shiftMs, d.id, d.tech, obs.apIdx[i], obs.rssiDbm[i]);
  }
  engine.advanceTo(obs.tMs[obs.length - 1] + shiftMs + 3_600_000); // the stream's quiet hours: its epochs close
  return { wallS: (performance.now() - t0) / 1000, cpuS: cpuSince(cpu0), engine };
}

/** Reports per POST for throughput (few requests, large bodies); --latency-post-rows for latency (a smaller body waits less for its own processing). */
const POST_ROWS = 5000;
const latencyPostRows = opt['latency-post-rows'];

async function overHttp(obs: ObservationBatch, reportsPerS: number, postRows = POST_ROWS): Promise<{ wallS: number; cpuS: number; latencyMs?: Record<LatencyKind, number[]> }> {
  const server = liveServer({ site, config, live, verify: tokenVerifier({ admin: [TOKEN] }), bodyLimitBytes: 64 * 1024 * 1024 });
  const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const bodies: string[] = [];
  for (let s = 0; s < obs.length; s += postRows) bodies.push(ndjsonOf(obs, site, s, Math.min(obs.length, s + postRows)));
  const epochMs = server.engine.cfg.ingest.epochMs, latenessMs = 2000;
  // Wall time each epoch became releasable: the POST carrying the first report latenessMs past its end was sent.
  const releasedAt = new Map<number, number>();
  const latency: Record<LatencyKind, number[]> = { fix: [], zone: [], hotZone: [], contact: [] };
  let fixEpoch = NaN;
  const sub = await subscribe(url, TOKEN, undefined, (e) => {
    const now = performance.now();
    // The epoch the engine emitted the event for. A fix's or contact's tMs is its epoch's midpoint; a hot-zone event's the
    // interval end, where the epoch that closed it starts; a visit's is backdated, but its event follows the fix that decided it.
    let epoch: number;
    if (e.type === 'zone-enter' || e.type === 'zone-exit') epoch = fixEpoch;
    else epoch = Math.floor(e.tMs / epochMs);
    if (e.type === 'fix') fixEpoch = epoch;
    const sent = releasedAt.get(epoch);
    if (sent !== undefined) latency[KIND_OF[e.type]].push(now - sent); // else released by /end: no report sent it
  });
  const paced_ = Number.isFinite(reportsPerS);
  const speed = paced_ ? reportsPerS / (obs.length / ((obs.tMs[obs.length - 1] - obs.tMs[0]) / 1000)) : Infinity;
  let nextEpoch = Math.floor(obs.tMs[0] / epochMs);
  const t0 = performance.now(), cpu0 = process.cpuUsage();
  await paced(obs, speed, async (start, end) => {
    const now = performance.now();
    while ((nextEpoch + 1) * epochMs + latenessMs <= obs.tMs[end - 1]) releasedAt.set(nextEpoch++, now);
    const res = await fetch(`${url}/reports`, { method: 'POST', body: bodies[start / postRows], headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${TOKEN}` } });
    if (!res.ok) throw new Error(`POST /reports: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }, postRows);
  const wallS = (performance.now() - t0) / 1000, cpuS = cpuSince(cpu0);
  await fetch(`${url}/end`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
  await sub.ended;
  await server.drain();
  return { wallS, cpuS, ...(paced_ ? { latencyMs: latency } : {}) };
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};

const obs = firstRows(sim.observations, hours * 3_600_000);
let httpRate = NaN;
if (only.has('throughput') || only.has('latency')) {
  const r = inProcess(obs);
  const http = await overHttp(obs, Infinity);
  httpRate = obs.length / http.wallS;
  results.throughput = { reports: obs.length, inProcess: { reportsPerWallS: obs.length / r.wallS, reportsPerCpuS: obs.length / r.cpuS }, http: { reportsPerWallS: httpRate, reportsPerCpuS: obs.length / http.cpuS } };
  console.log(`throughput (${obs.length} reports): in process ${Math.round(obs.length / r.wallS)}/s wall, ${Math.round(obs.length / r.cpuS)}/s CPU; HTTP ${Math.round(httpRate)}/s wall, ${Math.round(obs.length / http.cpuS)}/s CPU (client and server in this process)`);
}
if (only.has('latency')) {
  const fromMs = latencyFromS * 1000;
  const stretch = rowsBetween(sim.observations, fromMs, fromMs + latencyS * 1000);
  if (stretch.length === 0) throw new InputError(`--latency-from-s ${latencyFromS}, --latency-s ${latencyS}: no reports in that stretch of ${scenario.name}`);
  const rows: Record<string, unknown> = {};
  for (const share of [0.5, 0.9]) {
    const l = (await overHttp(stretch, share * httpRate, latencyPostRows)).latencyMs!;
    const kinds = Object.fromEntries(KINDS.map((k) => [k, { p50Ms: quantile(l[k], 0.5), p99Ms: quantile(l[k], 0.99), n: l[k].length }]));
    rows[`at${share * 100}pct`] = { reportsPerS: share * httpRate, postRows: latencyPostRows, fromS: latencyFromS, streamS: latencyS, reports: stretch.length, ...kinds };
    const ms = (x: number): string => (Number.isNaN(x) ? '-' : x.toFixed(0));
    console.log(`latency at ${share * 100}% (${Math.round(share * httpRate)}/s), p50/p99 ms (n): ${KINDS.map((k) => `${k} ${ms(quantile(l[k], 0.5))}/${ms(quantile(l[k], 0.99))} (${l[k].length})`).join(', ')}`);
  }
  results.latency = rows;
}
if (only.has('memory')) {
  const day = firstRows(sim.observations, dayHours * 3_600_000);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('memory: run with node --expose-gc (npm run bench:live does)');
  let engine: LiveEngine | undefined;
  const rssMb: number[] = [];
  for (let d = 0; d < 7; d++) {
    engine = inProcess(day, d * 86_400_000, engine).engine;
    gc();
    rssMb.push(process.memoryUsage().rss / 2 ** 20);
    console.log(`memory: day ${d + 1} RSS ${rssMb[d].toFixed(0)} MB, active devices ${engine.stats().activeDevices}`);
  }
  results.memory = { dayHours, reportsPerDay: day.length, rssMbAfterDay: rssMb, growthDay2To7: rssMb[6] / rssMb[1] - 1 };
  console.log(`memory: RSS growth day 2 → 7 ${((rssMb[6] / rssMb[1] - 1) * 100).toFixed(1)} %`);
}
writeFileAtomic(`bench/results/live-${opt.name}.json`, JSON.stringify(results, null, 2) + '\n');
