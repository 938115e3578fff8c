// The library scenarios on the realistic world (their default) beside the
// ideal preset (`ctsim run --radio-preset ideal`): per scenario and
// technology, median / p90 localization error, how often the 68 % radius
// holds the truth, fixes and contact F1, the same engine and config.
// Run: node bin/run-ts.js bench/studies/realistic-vs-ideal.ts [--seeds 1-3] [--only office,retail] [--campus-duration-s 7200]
// Writes bench/results/realistic-vs-ideal.{json,md} (with --only, only what ran).
import { join } from 'node:path';
import { writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { loadScenario } from '../../scenarios/load.ts';
import type { RadioPreset } from '../../scenarios/validate.ts';
import { formatTable } from '../../reports/table.ts';
import { runExperiment } from '../harness/experiment.ts';
import { parseSeeds } from '../harness/seeds.ts';
import { numberFlag, strictArgs } from '../entry/args.ts';
import { exitOnError } from '../entry/exit.ts';

const SCENARIOS = ['office', 'retail', 'hospital-ward', 'lecture-hall', 'open-plan', 'campus'];
const PRESETS: RadioPreset[] = ['realistic', 'ideal'];

const args = strictArgs('bench/studies/realistic-vs-ideal.ts')
  .option('seeds', { type: 'string', default: '1-3', describe: 'Seeds, a list or ranges (medians over them; a row\'s coverage moves by up to 0.2 from seed to seed)' })
  .option('only', { type: 'string', describe: 'Comma-separated scenarios to run (default: all six)' })
  .option('campus-duration-s', { type: 'number', default: 7200, coerce: numberFlag('--campus-duration-s', { min: 600, whole: true }), describe: "Campus's shortened day, s (its whole 8 h day takes about 4 min and 2.8 GB per run and world)" })
  .parseSync();

interface Row {
  scenario: string;
  preset: RadioPreset;
  tech: string;
  seeds: number[];
  medianErrorM: number;
  p90ErrorM: number;
  coverage: number;
  fixes: number;
  contactF1: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  const seeds = parseSeeds(args.seeds);
  const names = args.only ? args.only.split(',') : SCENARIOS;
  const rows: Row[] = [];
  const failed: string[] = [];
  for (const name of names) {
    for (const preset of PRESETS) {
      const per = new Map<string, { median: number[]; p90: number[]; coverage: number[]; fixes: number[]; f1: number[] }>();
      for (const seed of seeds) {
        const s = loadScenario(name, { radioPreset: preset });
        s.seed = seed;
        if (name === 'campus') s.durationS = Math.min(s.durationS, args['campus-duration-s']);
        let metrics;
        try {
          ({ metrics } = await runExperiment(s));
        } catch (err) {
          // One scenario failing leaves the others' rows.
          failed.push(`${name} ${preset} seed ${seed}: ${(err as Error).message}`);
          process.stderr.write(`${failed[failed.length - 1]}\n`);
          continue;
        }
        for (const [tech, t] of Object.entries(metrics.perTech)) {
          const p = per.get(tech) ?? { median: [], p90: [], coverage: [], fixes: [], f1: [] };
          p.median.push(t.localization.medianErrorM);
          p.p90.push(t.localization.p90ErrorM);
          p.coverage.push(t.localization.coverage);
          p.fixes.push(t.localization.n);
          p.f1.push(t.contacts.f1);
          per.set(tech, p);
        }
        process.stderr.write(`${name} ${preset} seed ${seed} done\n`);
      }
      for (const [tech, p] of per) {
        rows.push({ scenario: name, preset, tech, seeds, medianErrorM: median(p.median), p90ErrorM: median(p.p90), coverage: median(p.coverage), fixes: median(p.fixes), contactF1: median(p.f1) });
      }
    }
  }
  // One line per (scenario, tech): realistic beside ideal.
  const f = (x: number, d: number): string => (Number.isFinite(x) ? x.toFixed(d) : '-');
  const cells = (r: Row | undefined): string[] => (r ? [f(r.medianErrorM, 2), f(r.p90ErrorM, 2), f(r.coverage, 2), String(Math.round(r.fixes)), f(r.contactF1, 2)] : ['-', '-', '-', '-', '-']);
  const lines: string[][] = [];
  for (const name of names) {
    const techs = [...new Set(rows.filter((r) => r.scenario === name).map((r) => r.tech))];
    for (const tech of techs) {
      const of = (preset: RadioPreset) => rows.find((r) => r.scenario === name && r.tech === tech && r.preset === preset);
      lines.push([name, tech, ...cells(of('realistic')), ...cells(of('ideal'))]);
    }
  }
  const head = ['scenario', 'tech', 'real median m', 'real p90 m', 'real r68', 'real fixes', 'real F1', 'ideal median m', 'ideal p90 m', 'ideal r68', 'ideal fixes', 'ideal F1'];
  const md = [
    `# The library scenarios, realistic world vs ideal preset (bench/studies/realistic-vs-ideal.ts)`,
    '',
    `Seeds ${args.seeds} (medians over seeds); campus shortened to ${args['campus-duration-s']} s. Realistic: each scenario as shipped (radio.preset realistic, a survey 30 days old of about an operator-hour); ideal: the same file with \`--radio-preset ideal\`. Per technology: median and p90 localization error, share of fixes whose 68 % radius holds the truth, fixes over the run, contact F1. Default engine config.`,
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...lines.map((l) => `| ${l.join(' | ')} |`),
    '',
    ...failed.map((x) => `Failed: ${x}`),
    '',
  ].join('\n');
  process.stdout.write(`${formatTable(head, lines)}\n`);
  const dir = new URL('../results/', import.meta.url).pathname;
  writeFileAtomic(join(dir, 'realistic-vs-ideal.json'), `${JSON.stringify({ seeds, campusDurationS: args['campus-duration-s'], rows, failed }, null, 2)}\n`);
  writeFileAtomic(join(dir, 'realistic-vs-ideal.md'), md);
} catch (err) {
  exitOnError('realistic-vs-ideal', err);
}
