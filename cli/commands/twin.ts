// ctsim twin: the digital twin of a real log (bench/twin/twin.ts): calibrate
// on one part, simulate the same devices along the same tracks, run the
// engine on the real and the simulated other part, print them side by side
// with verdicts and write fidelity.json. With --phone-log, the twin of a
// phone-to-phone log instead (cli/phone-log-twin.ts).
import type { CommandModule } from 'yargs';
import { checkReplaceable, replaceDir, writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { InputError } from '../../engine/contract/input-error.ts';
import { loadScenario } from '../../scenarios/load.ts';
import type { RadioEffects } from '../../scenarios/types.ts';
import { RADIO_PRESETS, type RadioPreset } from '../../scenarios/validate.ts';
import { numberFlag } from '../../bench/entry/args.ts';
import { BOOTSTRAP_MAX } from '../../bench/twin/calibrate.ts';
import { calibrationTable, fidelityTable } from '../../bench/twin/format.ts';
import { readTwinInput } from '../../bench/twin/input.ts';
import { BAD_ROW_OPTION, reportLog } from '../log-checks.ts';
import type { OnBadRow } from '../../engine/io/observations-reader.ts';
import { MAX_GAP_OPTION } from '../positions-option.ts';
import { parseSplit, SPLIT_FORMS } from '../../bench/twin/split.ts';
import { runTwin } from '../../bench/twin/twin.ts';
import { MIN_GROUP } from '../../bench/twin/fidelity.ts';
import { resolveConfig } from '../../engine/config.ts';
import { radioJson } from '../../bench/twin/radio-section.ts';
import { engineConfig, withEngineOptions, type EngineArgs } from '../engine-options.ts';
import { checkOut } from '../out-option.ts';
import { runPhoneLogTwin } from '../phone-log-twin.ts';
import { PHONE_LOG_FORMATS, type PhoneLogFormat } from '../../engine/io/phone-log.ts';

interface TwinArgs extends EngineArgs {
  site?: string;
  observations?: string;
  positions?: string;
  survey?: string;
  split?: string;
  'phone-log'?: string;
  'phone-format': PhoneLogFormat;
  carry?: string[];
  base: string;
  'radio-preset': RadioPreset;
  effect?: string[];
  'survey-age-days': number;
  'survey-from-calibration'?: number;
  'ap-positions': 'given' | 'fitted';
  bootstrap: number;
  seed: number;
  'max-gap-s': number;
  out: string;
  'on-bad-row'?: OnBadRow;
}

export const twinCommand: CommandModule<object, TwinArgs> = {
  command: 'twin',
  describe: 'Digital twin of a real log: calibrate on one part, simulate it, compare the engine on real and simulated (fidelity.json)',
  builder: (y) =>
    withEngineOptions(y)
      .option('site', { type: 'string', describe: 'Site map JSON or a scenario file (needed without --phone-log)' })
      .option('observations', { type: 'string', describe: 'RSSI log (.csv or .arrow: tMs,deviceId,tech,apId,rssiDbm; needed without --phone-log)' })
      .option('positions', { type: 'string', describe: 'True positions (.csv or .arrow: tMs,deviceId,floor,x,y; needed without --phone-log)' })
      .option('survey', { type: 'string', describe: 'Site survey (.csv or .arrow: floor,x,y,apId,band,rssiDbm): the engine runs with and without it' })
      .option('split', { type: 'string', describe: `What calibrates and what is compared: ${SPLIT_FORMS} (needed without --phone-log)` })
      .option('phone-log', { type: 'string', describe: 'A phone-to-phone log with true distances instead (as ctsim proximity --log reads it): each stream\'s first half calibrates, the second is compared' })
      .option('phone-format', { choices: PHONE_LOG_FORMATS, default: 'csv' as PhoneLogFormat, describe: 'Layout of --phone-log' })
      .option('carry', { type: 'string', array: true, describe: 'With --phone-log: how a phone was carried, ID=hand|pocket|lanyard (default hand); repeatable' })
      .option('base', { type: 'string', default: 'office', describe: 'Scenario whose radio section gives the effects and whatever the log cannot fit' })
      .option('radio-preset', { choices: Object.keys(RADIO_PRESETS) as RadioPreset[], default: 'ideal' as RadioPreset, describe: "The base's effects: ideal (default: one device's log, no crowd; switch effects with --effect) or realistic" })
      .option('effect', { type: 'string', array: true, describe: 'Switch a radio effect, name=on|off (radio.effects); repeatable' })
      .option('survey-age-days', { type: 'number', default: 0, coerce: numberFlag('--survey-age-days', { min: 0 }), describe: 'Days between the survey and the log (the drift effect)' })
      .option('survey-from-calibration', { type: 'number', coerce: numberFlag('--survey-from-calibration', { min: 0 }), describe: 'The survey is the calibration part\'s readings at their positions snapped to this grid, m (0: as they are): the twin takes its survey the same way from its own calibration part' })
      .option('ap-positions', { choices: ['given', 'fitted'] as const, default: 'given' as const, describe: "fitted: the site's AP positions are guesses; the twin's world holds each AP where the calibration part's readings put it (the engine keeps the site's)" })
      .option('bootstrap', { type: 'number', default: 20, coerce: numberFlag('--bootstrap', { min: 0, max: BOOTSTRAP_MAX, whole: true }), describe: 'Bootstrap replicates for the calibration intervals' })
      .option('seed', { type: 'number', default: 1, coerce: numberFlag('--seed', { min: 0, whole: true }), describe: 'Seed of the simulation and the bootstrap' })
      .option('max-gap-s', MAX_GAP_OPTION)
      .option('out', { type: 'string', default: 'runs/twin', describe: 'Output folder (replaced as a whole): fidelity.json, radio.json' })
      .option('on-bad-row', BAD_ROW_OPTION)
      .check((a) => {
        checkOut(a.out);
        if (a['phone-log'] !== undefined) {
          // A phone-to-phone log has no site, positions or survey, and splits each stream in time itself.
          const unused = (['site', 'observations', 'positions', 'split', 'survey', 'on-bad-row'] as const).filter((k) => a[k] !== undefined);
          if (unused.length > 0) throw new InputError(`twin --phone-log takes no ${unused.map((k) => `--${k}`).join(', ')}`);
          return true;
        }
        const missing = (['site', 'observations', 'positions', 'split'] as const).filter((k) => a[k] === undefined);
        if (missing.length > 0) throw new InputError(`twin: give ${missing.map((k) => `--${k}`).join(', ')} (or --phone-log for a phone-to-phone log)`);
        parseSplit(a.split!);
        return true;
      }),
  handler: async (args) => {
    checkReplaceable(args.out, 'fidelity.json');
    const base = loadScenario(args.base, { radioPreset: args['radio-preset'] }).radio;
    const effects = parseEffects(args.effect ?? [], Object.keys(base.effects) as (keyof RadioEffects)[]);
    if (args['phone-log'] !== undefined) {
      runPhoneLogTwin({ path: args['phone-log'], format: args['phone-format'], carry: args.carry ?? [], base: { ...base, effects: { ...base.effects, ...effects } }, seed: args.seed, out: args.out });
      return;
    }
    const input = readTwinInput({ site: args.site!, observations: args.observations!, positions: args.positions!, survey: args.survey, maxGapS: args['max-gap-s'], onBadRow: args['on-bad-row'] });
    reportLog(input.observations, input.site, input.skipped);
    const report = await runTwin(input, {
      split: parseSplit(args.split!), seed: args.seed, bootstrap: args.bootstrap, base, effects,
      engine: engineConfig(args), surveyAgeDays: args['survey-age-days'],
      surveyFromCalibration: args['survey-from-calibration'] === undefined ? undefined : { gridM: args['survey-from-calibration'] },
      fitApPositions: args['ap-positions'] === 'fitted',
      onStep: args.quiet ? undefined : (what) => process.stderr.write(`twin: ${what}\n`),
    });
    replaceDir(args.out, 'fidelity.json', (dir) => {
      writeFileAtomic(`${dir}/fidelity.json`, JSON.stringify(report, null, 2) + '\n');
      writeFileAtomic(`${dir}/radio.json`, radioJson(report.radio));
    });
    const passed = report.rows.filter((r) => r.pass).length;
    const moved = report.apsMoved && `The calibration part puts ${report.apsMoved.count} of ${input.site.aps.length} APs elsewhere than the site map (median ${report.apsMoved.medianM.toFixed(1)} m): the twin's world holds them there.\n`;
    process.stdout.write(`Calibrated on ${report.reports.calibrate.toLocaleString('en-US')} reports (split ${report.split}):\n${moved || ''}${calibrationTable(report.calibration)}\n\n`);
    process.stdout.write(`Test part: ${report.reports.realTest.toLocaleString('en-US')} real, ${report.reports.simTest.toLocaleString('en-US')} simulated reports\n${fidelityTable(report.rows)}\n`);
    // Row families a short or thin log leaves out, said rather than silently missing from the table.
    const has = (metric: string): boolean => report.rows.some((r) => r.metric === metric);
    if (!has('RSSI mean dBm')) process.stdout.write(`No RSSI rows: no AP holds ${MIN_GROUP} readings in one distance band on both sides.\n`);
    if (!has('median error m')) process.stdout.write(`No engine rows: the engine placed no test fix on one side or both (an epoch needs localize.minAps = ${resolveConfig(engineConfig(args)).localize.minAps} APs).\n`);
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
