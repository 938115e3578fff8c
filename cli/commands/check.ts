// ctsim check: the accuracy regression gate. Runs what the baseline names,
// prints metric / baseline / now / delta / verdict, exits 1 on a regression.
import { dirname, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { readBaseline, runKey } from '../../bench/gate/baseline.ts';
import { compareRuns, regressions, updatedBaseline, type CheckRow } from '../../bench/gate/check.ts';
import { runExperiment } from '../../bench/harness/experiment.ts';
import type { Metrics } from '../../reports/schemas/metrics.ts';
import { rssiBias } from '../../bench/gate/perturb.ts';
import { writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { readConfigFile } from '../../engine/io/config-file.ts';
import { DEFAULT_CONFIG, type DeepPartial, type EngineConfig } from '../../engine/config.ts';
import { InputError, asInput } from '../../engine/contract/input-error.ts';
import { checkWorkersFlag } from '../engine-options.ts';
import { progressBar } from '../progress.ts';
import { loadCapped } from '../scenario-options.ts';
import { formatTable } from '../../reports/table.ts';

interface CheckArgs {
  baseline: string;
  update: boolean;
  'rssi-bias-db': number;
  workers: number;
  quiet: boolean;
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check',
  describe: 'Run the baseline\'s scenarios and compare every gated metric with its stored value (exit 1 on a regression)',
  builder: (y) =>
    y
      .option('baseline', { type: 'string', demandOption: true, describe: 'Baseline JSON file (e.g. bench/gate/ci-baseline.json)' })
      .option('update', { type: 'boolean', default: false, describe: 'Rewrite the baseline\'s values with this run\'s (on purpose)' })
      .option('rssi-bias-db', { type: 'number', default: 0, describe: 'Add this to every RSSI the engine reads at even-numbered APs and subtract it at odd ones: deliberately miscalibrated APs, to prove the gate works' })
      .option('workers', { type: 'number', default: DEFAULT_CONFIG.run.workers, describe: 'Engine worker threads (run.workers)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'No progress output' })
      .check((a) => {
        if (!Number.isFinite(a['rssi-bias-db'])) throw new InputError(`--rssi-bias-db must be a number, got ${a['rssi-bias-db']}`);
        checkWorkersFlag(a.workers);
        return true;
      }),
  handler: async (args) => {
    const baseline = asInput(() => readBaseline(args.baseline));
    const here = dirname(args.baseline);
    // Load every scenario and config first: a bad baseline fails before minutes of work.
    const scenarios = baseline.runs.map((run) => {
      const name = run.scenario.includes('/') || run.scenario.endsWith('.json') ? resolve(here, run.scenario) : run.scenario;
      const s = loadCapped(name, run.durationS);
      s.seed = run.seed;
      return s;
    });
    const configs = baseline.runs.map((run, i): DeepPartial<EngineConfig> => {
      if (run.config === undefined) return { run: { workers: args.workers } };
      const path = resolve(here, run.config);
      const recorded = readConfigFile(path);
      if (recorded === null) throw new InputError(`${args.baseline}: runs[${i}].config: ${path} does not exist`);
      return { ...recorded, run: { ...recorded.run, workers: args.workers } };
    });
    const bar = progressBar('check', args.quiet);
    const now = new Map<string, Metrics>();
    for (const [i, run] of baseline.runs.entries()) {
      const exp = await runExperiment(scenarios[i], {
        config: configs[i],
        perturb: args['rssi-bias-db'] !== 0 ? rssiBias(args['rssi-bias-db']) : undefined,
        onStage: (stage, f) => bar.update((i + (stage === 'engine' ? 0.5 + f / 2 : f / 2)) / baseline.runs.length),
      });
      now.set(runKey(run), exp.metrics);
    }
    bar.done();
    if (args.update) {
      writeFileAtomic(args.baseline, JSON.stringify(updatedBaseline(baseline, now), null, 2) + '\n');
      process.stdout.write(`Updated ${args.baseline}: ${baseline.runs.length} run(s), values of ${baseline.metrics.length} metric rule(s)\n`);
      return;
    }
    const rows = compareRuns(baseline, now);
    process.stdout.write(`${checkTable(rows)}\n\n`);
    const worse = regressions(rows);
    if (worse.length === 0) {
      process.stdout.write(`check passed: ${rows.length} metric(s) within tolerance of ${args.baseline}\n`);
    } else {
      process.stdout.write(`check FAILED: ${worse.length} metric(s) regressed: ${worse.map((r) => `${r.run} ${r.metric}`).join(', ')}\n`);
      process.exitCode = 1;
    }
  },
};

function checkTable(rows: readonly CheckRow[]): string {
  const f = (x: number | null): string => (x === null ? '-' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));
  const delta = (r: CheckRow): string => {
    if (r.baseline === null || r.now === null) return '-';
    const d = r.now - r.baseline;
    const pct = r.baseline !== 0 ? ` (${d >= 0 ? '+' : ''}${((100 * d) / Math.abs(r.baseline)).toFixed(1)}%)` : '';
    return `${d >= 0 ? '+' : ''}${f(d)}${pct}`;
  };
  return formatTable(['run', 'metric', 'baseline', 'now', 'delta', 'verdict'], rows.map((r) => [r.run, r.metric, f(r.baseline), f(r.now), delta(r), r.verdict]));
}
