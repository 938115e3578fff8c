// ctsim replay: streams a run folder's observations into the live engine (in
// process, or a running `ctsim serve`) at N× real time or as fast as it
// takes, and scores what a live user got beside the batch engine's figures
// on the same run. Writes live.json into the run folder (nothing else there
// is touched). The run's truth comes from simulating its scenario.json again
// (same scenario and seed: the same observations, checked).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { engineInputs } from '../../bench/harness/experiment.ts';
import { withDeviceShare } from '../../bench/harness/device-share.ts';
import { replayInProcess, type ReplayResult } from '../../bench/harness/live-replay.ts';
import { replayOverHttp } from '../../bench/harness/live-replay-http.ts';
import type { Metrics } from '../../reports/schemas/metrics.ts';
import { scoreLive, type LiveScore } from '../../bench/score/live.ts';
import { InputError, asInput } from '../../engine/contract/input-error.ts';
import { writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { readObservationsFile } from '../../engine/io/observations-reader.ts';
import { readJsonFile } from '../../engine/io/json-file.ts';
import { formatTable } from '../../reports/table.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { simulate } from '../../sim/simulate.ts';
import { engineConfig, withEngineOptions, type EngineArgs } from '../engine-options.ts';
import { progressBar } from '../progress.ts';

interface ReplayArgs extends EngineArgs {
  run: string;
  speed: string;
  latenessMs: number;
  idleEvictS: number;
  server?: string;
  token?: string;
}

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay <run>',
  describe: 'Stream a run folder\'s observations into the live engine and score what a live user gets, beside the batch figures',
  builder: (y) =>
    withEngineOptions(y)
      .positional('run', { type: 'string', demandOption: true, describe: 'A run folder (ctsim run --out)' })
      .option('speed', { type: 'string', default: 'max', describe: "Stream time per wall time (e.g. 60: an hour a minute), or 'max': as fast as the engine takes it" })
      .option('lateness-ms', { type: 'number', default: 2000, describe: 'Reports this far behind the newest are reordered; older ones rejected (≥ 0)' })
      .option('idle-evict-s', { type: 'number', default: 600, describe: 'A device unseen this long is dropped with its state (≥ 1)' })
      .option('server', { type: 'string', describe: 'Replay into a running ctsim serve at this URL (e.g. http://127.0.0.1:8080) instead of in process' })
      .option('token', { type: 'string', describe: 'With --server: an admin credential (events of every type)' })
      .check((a) => {
        parseSpeed(a.speed);
        if (!((a.latenessMs as number) >= 0)) throw new InputError(`--lateness-ms must be ≥ 0, got ${a.latenessMs}`);
        if (!((a.idleEvictS as number) >= 1)) throw new InputError(`--idle-evict-s must be ≥ 1, got ${a.idleEvictS}`);
        if (a.server !== undefined && a.token === undefined) throw new InputError('--server needs --token (an admin credential)');
        if (a.token !== undefined && a.server === undefined) throw new InputError('--token goes with --server (an in-process replay needs none)');
        return true;
      }) as unknown as Argv<ReplayArgs>,
  handler: async (args) => {
    const dir = args.run;
    for (const f of ['scenario.json', 'observations.arrow', 'metrics.json']) {
      if (!existsSync(join(dir, f))) throw new InputError(`${join(dir, f)}: missing (is this a ctsim run folder?)`);
    }
    const scenario = asInput(() => loadScenario(join(dir, 'scenario.json')));
    const batch = readBatchMetrics(join(dir, 'metrics.json'));
    const log = readObservationsFile(join(dir, 'observations.arrow'), scenario.site);
    const simBar = progressBar('truth', args.quiet);
    const sim = simulate(scenario, { onProgress: (f) => simBar.update(f) });
    simBar.done();
    if (sim.observations.length !== log.observations.length) {
      throw new InputError(`${join(dir, 'observations.arrow')}: ${log.observations.length} reports, but its scenario.json simulates ${sim.observations.length} (not this folder's run?)`);
    }
    const config = withDeviceShare(scenario, engineConfig(args));
    const inputs = engineInputs(sim);
    const speed = parseSpeed(args.speed);
    const bar = progressBar('replay', args.quiet, process.stderr, 'obs');
    const live = { latenessMs: args.latenessMs, idleEvictS: args.idleEvictS, apBeacons: inputs.apBeacons, survey: inputs.survey, bindings: inputs.bindings };
    const result: ReplayResult = args.server === undefined
      ? await replayInProcess(scenario.site, log.observations, config, { speed, live, devices: sim.observations.devices, onProgress: (f) => bar.update(f, log.observations.length) })
      : await replayOverHttp(args.server, args.token!, log.observations, scenario.site, { speed, devices: sim.observations.devices, onProgress: (f: number) => bar.update(f, log.observations.length) });
    bar.done();
    const score = scoreLive(result.outputs, scenario, sim, config);
    const replay = { speed: args.speed, server: args.server ?? null, latenessMs: args.latenessMs, wallS: result.wallS, cpuS: result.cpuS, reportsPerS: result.reportsPerS, reportsPerCpuS: result.reportsPerCpuS, stats: result.stats, events: result.outputs.counts };
    writeFileAtomic(join(dir, 'live.json'), JSON.stringify({ live: score, replay }, null, 2) + '\n');
    process.stdout.write(`${liveTable(score, batch)}\n\n` +
      `${log.observations.length.toLocaleString('en-US')} reports in ${result.wallS.toFixed(1)} s wall (${Math.round(result.reportsPerS).toLocaleString('en-US')}/s), ` +
      `${result.cpuS.toFixed(1)} s CPU (${Math.round(result.reportsPerCpuS).toLocaleString('en-US')}/s), ` +
      `${result.stats.rejected} rejected as late${result.stats.ahead > 0 ? `, ${result.stats.ahead} as ahead` : ''}; ` +
      (Number.isFinite(score.fixLagS.p50) ? `fix lag p50 ${score.fixLagS.p50.toFixed(1)} s, p99 ${score.fixLagS.p99.toFixed(1)} s of stream time\n` : 'no fix, so no fix lag\n') +
      `Wrote ${join(dir, 'live.json')}\n`);
  },
};

/** The batch scores replay sets beside the live ones: metrics.json with its perTech and hotZones sections (a part missing inside them shows as '-'). */
function readBatchMetrics(path: string): Metrics {
  const m = readJsonFile(path) as Partial<Metrics> | null;
  const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
  for (const key of ['perTech', 'hotZones'] as const) {
    if (!isObject(m?.[key])) throw new InputError(`${path}: no ${key} section (not a ctsim run's metrics?)`);
  }
  return m as Metrics;
}

/** Replay speeds, × real time: a thousandth is slower than anyone watches (and much slower overflows a timer's 2^31 ms wait), a millionfold is 'max' in all but name. */
const SPEED_RANGE = [0.001, 1e6] as const;

function parseSpeed(s: string): number {
  if (s === 'max') return Infinity;
  const v = Number(s);
  if (!(v >= SPEED_RANGE[0] && v <= SPEED_RANGE[1])) throw new InputError(`--speed must be 'max' or a number from ${SPEED_RANGE[0]} to ${SPEED_RANGE[1]}, got '${s}'`);
  return v;
}

/** Live beside batch: per technology, then hot zones. */
function liveTable(live: LiveScore, batch: Metrics): string {
  const f = (x: number | undefined, d = 2): string => (x !== undefined && Number.isFinite(x) ? x.toFixed(d) : '-');
  const rows: string[][] = [];
  for (const [tech, l] of Object.entries(live.perTech)) {
    const b = batch.perTech[tech as keyof Metrics['perTech']];
    rows.push([tech, 'median error m', f(b?.localization?.medianErrorM), f(l.localization.medianErrorM)]);
    rows.push([tech, 'p90 error m', f(b?.localization?.p90ErrorM), f(l.localization.p90ErrorM)]);
    rows.push([tech, 'contact F1', f(b?.contacts?.f1), f(l.contacts.f1)]);
    rows.push([tech, 'journey F1', f(b?.journeys?.f1), f(l.journeys.f1)]);
  }
  const bh = batch.hotZones, lh = live.hotZones;
  rows.push(['hot zones', 'alert precision', f(bh.precision), f(lh.precision)]);
  rows.push(['hot zones', 'alert recall', f(bh.recall), f(lh.recall)]);
  rows.push(['hot zones', 'mean delay s', f(bh.meanDetectionDelayS, 0), f(lh.meanDetectionDelayS, 0)]);
  rows.push(['hot zones', 'max delay s', '-', f(lh.maxDetectionDelayS, 0)]);
  rows.push(['hot zones', 'alerts (true)', bh.engineAlerts === undefined ? '-' : `${bh.engineAlerts} (${bh.trueAlerts})`, `${lh.engineAlerts} (${lh.trueAlerts})`]);
  return formatTable(['', 'metric', 'batch', 'live'], rows);
}
