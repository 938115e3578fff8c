// ctsim sweep: engine config values varied over scenarios and seeds, one
// simulation per scenario+seed; a tidy table, PR curves, an operating point.
import type { CommandModule } from 'yargs';
import { parseShard } from '../../bench/harness/shard.ts';
import { runSweep } from '../../bench/harness/sweep.ts';
import { summarizeSweep, writeSweep, type PrPoint } from '../../bench/harness/sweep-output.ts';
import { parseParam, type SweepParam } from '../../bench/harness/sweep-params.ts';
import { InputError, asInput } from '../../engine/contract/input-error.ts';
import { progressBar } from '../progress.ts';
import { loadCapped } from '../scenario-options.ts';
import { formatTable } from '../../reports/table.ts';
import { checkWorkers, MAX_WORKERS } from '../engine-options.ts';

interface SweepArgs {
  param: string[];
  scenario: string[];
  seed: number[];
  'min-recall'?: number;
  'duration-s'?: number;
  shard?: string;
  out: string;
  workers: number;
  quiet: boolean;
}

export const sweepCommand: CommandModule<object, SweepArgs> = {
  command: 'sweep',
  describe: 'Vary engine config values over scenarios and seeds: metrics table, PR curves, operating point',
  builder: (y) =>
    y
      .option('param', { type: 'string', array: true, demandOption: true, describe: 'path=from:to:step or path=a,b,c (e.g. contacts.distanceM=1.5:3:0.25); repeat to make a grid' })
      .option('scenario', { type: 'string', array: true, default: ['office'], describe: 'Built-in scenario names or paths; repeatable' })
      .option('seed', { type: 'number', array: true, default: [1, 2], describe: 'Seeds; repeatable' })
      .option('min-recall', { type: 'number', describe: 'Recommend the best precision with at least this contact recall (default: best F1)' })
      .option('duration-s', { type: 'number', describe: 'Cut every scenario to at most this many seconds' })
      .option('shard', { type: 'string', describe: 'Run only shard i/n of the work units (see README)' })
      .option('out', { type: 'string', default: 'runs/sweep', describe: 'Output folder' })
      .option('workers', { type: 'number', default: 2, describe: `Engine worker threads, 0 to ${MAX_WORKERS}` })
      .option('quiet', { type: 'boolean', default: false, describe: 'No progress output' })
      .check((a) => {
        const r = a['min-recall'];
        if (r !== undefined && !(r >= 0 && r <= 1)) throw new InputError(`--min-recall must be between 0 and 1, got ${r}`);
        if (a['duration-s'] !== undefined && !(a['duration-s'] > 0)) throw new InputError(`--duration-s must be > 0, got ${a['duration-s']}`);
        if (a.seed.some((s) => !Number.isInteger(s))) throw new InputError(`--seed must be integers, got ${a.seed.join(', ')}`);
        checkWorkers(a.workers);
        parseParams(a.param);
        if (a.shard !== undefined) asInput(() => parseShard(a.shard!));
        return true;
      }),
  handler: async (args) => {
    const params = parseParams(args.param);
    const scenarios = args.scenario.map((s) => loadCapped(s, args['duration-s']));
    const shard = args.shard === undefined ? undefined : parseShard(args.shard);
    const bar = progressBar('sweep', args.quiet);
    const rows = await runSweep({ scenarios, seeds: args.seed, params, base: { workers: args.workers }, shard, onProgress: (f) => bar.update(f) });
    bar.done();
    const summary = summarizeSweep(rows, params.map((p) => p.path), args['min-recall'] ?? null, args.shard);
    writeSweep(args.out, rows, summary);
    const rule = summary.minRecall === null ? 'best F1' : `best precision with recall ≥ ${summary.minRecall}`;
    const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '-');
    const table = formatTable(
      ['tech', ...summary.params, 'precision', 'recall', 'F1'],
      Object.entries(summary.recommended).map(([tech, p]: [string, PrPoint | null]) =>
        p ? [tech, ...summary.params.map((k) => String(p.values[k])), f(p.precision), f(p.recall), f(p.f1)] : [tech, ...summary.params.map(() => '-'), '-', '-', '-']),
    );
    process.stdout.write(`Recommended operating point per technology (${rule}, mean over ${summary.scenarios.length} scenario(s) × ${summary.seeds.length} seed(s)):\n\n${table}\n\nWrote ${args.out}/ (sweep.arrow, sweep.csv, sweep.json)\n`);
  },
};

function parseParams(texts: readonly string[]): SweepParam[] {
  const params = texts.map((t) => asInput(() => parseParam(t)));
  const dup = params.find((p, i) => params.findIndex((q) => q.path === p.path) !== i);
  if (dup) throw new InputError(`--param ${dup.path} given twice`);
  return params;
}
