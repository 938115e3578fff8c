// ctsim twin: the digital twin of a real log (bench/twin/twin.ts): calibrate
// on one part, simulate the same devices along the same tracks, run the
// engine on the real and the simulated other part, print them side by side
// with verdicts and write fidelity.json.
import type { CommandModule } from 'yargs';
import { checkReplaceable, replaceDir, writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { InputError } from '../../engine/contract/input-error.ts';
import { loadScenario } from '../../scenarios/load.ts';
import type { RadioEffects } from '../../scenarios/types.ts';
import { numberFlag } from '../../bench/entry/args.ts';
import { calibrationTable, fidelityTable } from '../../bench/twin/format.ts';
import { readTwinInput } from '../../bench/twin/input.ts';
import { DEFAULT_MAX_GAP_MS } from '../../bench/twin/positions.ts';
import { parseSplit, SPLIT_FORMS } from '../../bench/twin/split.ts';
import { runTwin } from '../../bench/twin/twin.ts';
import { radioJson } from '../../bench/twin/radio-section.ts';
import { engineConfig, withEngineOptions, type EngineArgs } from '../engine-options.ts';
import { checkOut } from '../out-option.ts';

interface TwinArgs extends EngineArgs {
  site: string;
  observations: string;
  positions: string;
  survey?: string;
  split: string;
  base: string;
  effect?: string[];
  'survey-age-days': number;
  'survey-from-calibration'?: number;
  bootstrap: number;
  seed: number;
  'max-gap-s': number;
  out: string;
}

export const twinCommand: CommandModule<object, TwinArgs> = {
  command: 'twin',
  describe: 'Digital twin of a real log: calibrate on one part, simulate it, compare the engine on real and simulated (fidelity.json)',
  builder: (y) =>
    withEngineOptions(y)
      .option('site', { type: 'string', demandOption: true, describe: 'Site map JSON or a scenario file' })
      .option('observations', { type: 'string', demandOption: true, describe: 'RSSI log (.csv or .arrow: tMs,deviceId,tech,apId,rssiDbm)' })
      .option('positions', { type: 'string', demandOption: true, describe: 'True positions (.csv or .arrow: tMs,deviceId,floor,x,y)' })
      .option('survey', { type: 'string', describe: 'Site survey (.csv or .arrow: floor,x,y,apId,band,rssiDbm): the engine runs with and without it' })
      .option('split', { type: 'string', demandOption: true, describe: `What calibrates and what is compared: ${SPLIT_FORMS}` })
      .option('base', { type: 'string', default: 'office', describe: 'Scenario whose radio section gives the effects and whatever the log cannot fit' })
      .option('effect', { type: 'string', array: true, describe: 'Switch a radio effect, name=on|off (radio.effects); repeatable' })
      .option('survey-age-days', { type: 'number', default: 0, coerce: numberFlag('--survey-age-days', { min: 0 }), describe: 'Days between the survey and the log (the drift effect)' })
      .option('survey-from-calibration', { type: 'number', coerce: numberFlag('--survey-from-calibration', { min: 0 }), describe: 'The survey is the calibration part\'s readings at their positions snapped to this grid, m (0: as they are): the twin takes its survey the same way from its own calibration part' })
      .option('bootstrap', { type: 'number', default: 20, coerce: numberFlag('--bootstrap', { min: 0, whole: true }), describe: 'Bootstrap replicates for the calibration intervals' })
      .option('seed', { type: 'number', default: 1, coerce: numberFlag('--seed', { min: 0, whole: true }), describe: 'Seed of the simulation and the bootstrap' })
      .option('max-gap-s', { type: 'number', default: DEFAULT_MAX_GAP_MS / 1000, coerce: numberFlag('--max-gap-s', { above: 0 }), describe: 'Position rows further apart than this are a gap in tracking, s' })
      .option('out', { type: 'string', default: 'runs/twin', describe: 'Output folder (replaced as a whole): fidelity.json, radio.json' })
      .check((a) => {
        checkOut(a.out);
        parseSplit(a.split);
        return true;
      }),
  handler: async (args) => {
    checkReplaceable(args.out, 'fidelity.json');
    const base = loadScenario(args.base).radio;
    const effects = parseEffects(args.effect ?? [], Object.keys(base.effects) as (keyof RadioEffects)[]);
    const input = readTwinInput({ site: args.site, observations: args.observations, positions: args.positions, survey: args.survey, maxGapS: args['max-gap-s'] });
    const report = await runTwin(input, {
      split: parseSplit(args.split), seed: args.seed, bootstrap: args.bootstrap, base, effects,
      engine: engineConfig(args), surveyAgeDays: args['survey-age-days'],
      surveyFromCalibration: args['survey-from-calibration'] === undefined ? undefined : { gridM: args['survey-from-calibration'] },
      onStep: args.quiet ? undefined : (what) => process.stderr.write(`twin: ${what}\n`),
    });
    replaceDir(args.out, 'fidelity.json', (dir) => {
      writeFileAtomic(`${dir}/fidelity.json`, JSON.stringify(report, null, 2) + '\n');
      writeFileAtomic(`${dir}/radio.json`, radioJson(report.radio));
    });
    const passed = report.rows.filter((r) => r.pass).length;
    process.stdout.write(`Calibrated on ${report.reports.calibrate.toLocaleString('en-US')} reports (split ${report.split}):\n${calibrationTable(report.calibration)}\n\n`);
    process.stdout.write(`Test part: ${report.reports.realTest.toLocaleString('en-US')} real, ${report.reports.simTest.toLocaleString('en-US')} simulated reports\n${fidelityTable(report.rows)}\n`);
    process.stdout.write(`${passed} of ${report.rows.length} rows within tolerance. Wrote ${args.out}/ (fidelity.json, radio.json)\n`);
  },
};

/** --effect name=on|off, each name one of radio.effects. */
function parseEffects(given: string[], names: (keyof RadioEffects)[]): Partial<RadioEffects> {
  const out: Partial<RadioEffects> = {};
  for (const g of given) {
    const [name, value] = g.split('=');
    if (!names.includes(name as keyof RadioEffects)) throw new InputError(`--effect: unknown effect '${name}' (one of ${names.join(', ')})`);
    if (value !== 'on' && value !== 'off') throw new InputError(`--effect ${name}: give =on or =off, got '${g}'`);
    out[name as keyof RadioEffects] = value === 'on';
  }
  return out;
}
