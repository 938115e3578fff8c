// npm run fidelity: the digital twin of every shared real dataset
// (bench/studies/fidelity/*.ts adapters write each in the twin's documented
// format; bench/twin/twin.ts does the rest, as `ctsim twin` would; the
// long-term Wi-Fi set through bench/twin/ageing.ts, one twin per compared
// month with the survey aged to it, its growth curve written to
// bench/results/fidelity-longterm.md; the phone-to-phone logs, pcng and
// MITLL, through bench/twin/phone-twin.ts), one table of real vs simulated
// with verdicts, written to bench/results/fidelity.json.
//   --check FILE   compare the verdicts with a committed baseline: exit 1 when
//                  a row that passed there fails now (a regression gate: the
//                  twins do not meet every tolerance yet, so failing rows that
//                  already failed do not fail CI); rows the baseline lacks
//                  (new twins) are listed as new, not failed;
//   --update       with --check, rewrite the baseline from this run;
//   --quiet        no progress lines (there are none off a terminal or in CI);
//   --ablate       also run each twin with each radio effect turned the other
//                  way (bench/studies/fidelity/ablation.ts; minutes, not in CI).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../engine/io/atomic-write.ts';
import { InputError } from '../../../engine/contract/input-error.ts';
import { loadScenario } from '../../../scenarios/load.ts';
import { formatTable } from '../../../reports/table.ts';
import { strictArgs } from '../../entry/args.ts';
import { exitOnError } from '../../entry/exit.ts';
import { readTwinInput } from '../../twin/input.ts';
import { DEFAULT_MAX_GAP_MS } from '../../twin/positions.ts';
import { parseSplit } from '../../twin/split.ts';
import { runTwin, type TwinOptions } from '../../twin/twin.ts';
import { ablateTwin, writeAblation, type EffectAblation } from './ablation.ts';
import type { Row } from '../../twin/fidelity.ts';
import { runAgeingTwin } from '../../twin/ageing.ts';
import type { Radio } from '../../../scenarios/types.ts';
import { compareWithBaseline } from './baseline-check.ts';
import { longtermCase } from './longterm.ts';
import { longtermMarkdown } from './longterm-report.ts';
import { mitllTwins, pcngTwins, type PhoneTwinsResult } from './phones.ts';
import { dataDir } from '../real-data/data-dir.ts';
import { anchorsCase } from './anchors.ts';
import { ujiCase } from './uji.ts';
import type { TwinCase } from './twin-files.ts';

const RESULTS = 'bench/results/fidelity.json';
const LONGTERM_MD = 'bench/results/fidelity-longterm.md';
const ENGINE = { run: { workers: 0 } };
/** Bootstrap replicates: the intervals are not what the gate reads, so few keep it fast. */
const BOOTSTRAP = 10;

const args = strictArgs('npm run fidelity --')
  .option('check', { type: 'string', describe: 'Baseline fidelity JSON to compare the verdicts with (exit 1 on a row that passed there and fails now)' })
  .option('update', { type: 'boolean', default: false, describe: 'With --check: rewrite the baseline from this run' })
  .option('ablate', { type: 'boolean', default: false, describe: 'Also run each twin with each radio effect turned the other way (bench/results/fidelity-effects.md)' })
  .option('quiet', { type: 'boolean', default: false, describe: 'No progress lines (none off a terminal or in CI either)' })
  .option('only', { type: 'string', describe: 'Run only the twins whose name contains this' })
  .option('seed', { type: 'number', default: 1, describe: 'The twins\' simulation seed (the gate\'s baseline is seed 1: a row near its tolerance swings with it)' })
  .check((a) => {
    if (!Number.isInteger(a.seed) || a.seed < 0) throw new Error(`--seed must be a whole number ≥ 0, got ${a.seed}`);
    if (a.update && a.seed !== 1) throw new Error('--update records the gate\'s baseline, which is seed 1');
    return true;
  })
  .parseSync();
const SEED = args.seed;

interface CaseResult {
  name: string;
  about: string;
  split: string;
  reports: { calibrate: number; realTest: number; simTest: number };
  rows: Row[];
}

/** A progress line on an interactive terminal; silent in CI, when piped, or with --quiet (as cli/progress.ts). */
const say = args.quiet || !process.stderr.isTTY || process.env.CI ? (): void => {} : (line: string): void => void process.stderr.write(`${line}\n`);
const step = (name: string) => (what: string): void => say(`  ${name}: ${what}`);

/** The long-term Wi-Fi twin: every row of its first month, the median error with the survey of the later ones (the growth curve, also in LONGTERM_MD). */
async function longtermTwin(dir: string, base: Radio): Promise<CaseResult> {
  const c = longtermCase(dir);
  say(`fidelity: ${c.name}`);
  const input = readTwinInput({ ...c.paths, maxGapS: c.maxGapS ?? DEFAULT_MAX_GAP_MS / 1000 });
  const report = await runAgeingTwin(input, { seed: SEED, bootstrap: BOOTSTRAP, base, effects: c.effects ?? {}, engine: ENGINE, parts: c.parts, fitApPositions: c.fitApPositions, onStep: step(c.name) });
  writeFileAtomic(LONGTERM_MD, longtermMarkdown(report, c.about));
  const rows = report.parts.flatMap((p, k) => p.rows.filter((r) => k === 0 || r.metric === 'median error m').map((r) => ({ ...r, of: `${p.label}, ${r.of}` })));
  return { name: c.name, about: c.about, split: `device: survey-m01 calibrates; ${c.parts.map((p) => `${p.deviceIds.join(',')} (${p.ageDays} d)`).join(', ')}`, reports: report.reports, rows };
}

try {
  const work = mkdtempSync(join(tmpdir(), 'ctsim-fidelity-'));
  const results: CaseResult[] = [];
  const ablations: EffectAblation[] = [];
  try {
    // The twins keep the ideal preset's effects over the office's parameters (one tag or phone: no crowd, no Wi-Fi channels, its own device).
    const base = loadScenario('office', { radioPreset: 'ideal' }).radio;
    const cases: ((dir: string) => TwinCase)[] = [
      (dir) => ujiCase(dataDir(), 'lib', dir),
      (dir) => ujiCase(dataDir(), 'geo', dir),
      (dir) => anchorsCase(dataDir(), dir),
    ];
    for (const [k, make] of cases.entries()) {
      const dir = join(work, String(k));
      mkdirSync(dir);
      const c = make(dir);
      if (args.only && !c.name.includes(args.only)) continue;
      say(`fidelity: ${c.name}`);
      const input = readTwinInput({ ...c.paths, maxGapS: c.maxGapS ?? DEFAULT_MAX_GAP_MS / 1000 });
      const opts: TwinOptions = {
        split: parseSplit(c.split), seed: SEED, bootstrap: BOOTSTRAP, base, effects: c.effects ?? {},
        engine: ENGINE, surveyAgeDays: c.surveyAgeDays, surveyFromCalibration: { gridM: c.surveyGridM }, fitApPositions: c.fitApPositions, onStep: step(c.name),
      };
      const report = await runTwin(input, opts);
      results.push({ name: c.name, about: c.about, split: c.split, reports: report.reports, rows: report.rows });
      if (args.ablate) ablations.push(...await ablateTwin(c.name, input, opts, report, (e) => say(`  ${c.name}: ablating ${e}`)));
    }
    if (!args.only || 'wifi-longterm-uji'.includes(args.only)) {
      mkdirSync(join(work, 'longterm'));
      results.push(await longtermTwin(join(work, 'longterm'), base));
    }
    const phones: [string, () => PhoneTwinsResult][] = [['ble-proximity-pcng', () => pcngTwins(dataDir(), base, SEED)], ['ble-6ft-mitll', () => mitllTwins(dataDir(), base, SEED)]];
    for (const [name, run] of phones) {
      if (args.only && !name.includes(args.only)) continue;
      say(`fidelity: ${name}`);
      results.push({ ...run(), split: 'time: each stream\'s first half calibrates, its second half is compared' });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const f = (x: number, m: string): string => (Number.isFinite(x) ? x.toFixed(m.startsWith('RSSI') ? 1 : 2) : '-');
  const table = results.flatMap((c) => c.rows.map((r) => [c.name, r.metric, r.of, f(r.real, r.metric), f(r.sim, r.metric), r.tolerance, r.pass ? 'pass' : 'FAIL']));
  process.stdout.write(formatTable(['twin', 'metric', 'of', 'real', 'sim', 'tolerance', 'verdict'], table) + '\n\n');
  for (const c of results) process.stdout.write(`${c.name}: ${c.rows.filter((r) => r.pass).length} of ${c.rows.length} rows within tolerance (${c.about})\n`);
  const out = JSON.stringify({ seed: SEED, bootstrap: BOOTSTRAP, twins: results }, null, 2) + '\n';
  writeFileAtomic(RESULTS, out);
  process.stdout.write(`Wrote ${RESULTS}\n`);
  if (args.ablate) process.stdout.write(`\n${writeAblation(ablations, SEED)}\nWrote bench/results/fidelity-effects.{json,md}\n`);
  if (args.check !== undefined) {
    if (args.update) {
      writeFileAtomic(args.check, out);
      process.stdout.write(`Updated the baseline ${args.check}\n`);
    } else {
      let baseline: { twins: CaseResult[] };
      try {
        baseline = JSON.parse(readFileSync(args.check, 'utf8'));
      } catch (err) {
        throw new InputError(`${args.check}: cannot read the fidelity baseline (${(err as Error).message})`);
      }
      const { regressed, added, passedBefore } = compareWithBaseline(baseline.twins, results);
      if (added.length > 0) {
        const twins = [...new Set(added.map((a) => a.key.split(' | ')[0]))];
        process.stdout.write(`${added.length} row(s) not in ${args.check} (new; ${added.filter((a) => a.pass).length} pass), not gated until the baseline is re-recorded: ${twins.map((t) => `${t} ${added.filter((a) => a.key.startsWith(`${t} |`)).length}`).join(', ')}\n`);
      }
      if (regressed.length > 0) {
        process.stdout.write(`Fidelity regressed: ${regressed.length} row(s) passed in ${args.check} and fail now:\n${regressed.map((k) => `  ${k}`).join('\n')}\n`);
        process.exitCode = 1;
      } else {
        process.stdout.write(`No fidelity regression against ${args.check} (${passedBefore} rows passed there)\n`);
      }
    }
  }
} catch (err) {
  exitOnError('npm run fidelity', err);
}
