// ctsim calibrate: the simulator's radio model fitted from a real log with
// known positions (or a survey), written as a scenario's `radio` section
// (radio.json) with every fit and its 95 % interval (calibration.json).
import type { CommandModule } from 'yargs';
import { replaceDir, checkReplaceable, writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { InputError } from '../../engine/contract/input-error.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { numberFlag } from '../../bench/entry/args.ts';
import { fittedWorld, movedAps, type MovedAp } from '../../bench/twin/ap-positions.ts';
import { BOOTSTRAP_MAX, calibrate, checkFitted } from '../../bench/twin/calibrate.ts';
import { calibrationTable } from '../../bench/twin/format.ts';
import { readTwinInput, surveyAsLog } from '../../bench/twin/input.ts';
import { BAD_ROW_OPTION, reportLog } from '../log-checks.ts';
import type { OnBadRow } from '../../engine/io/observations-reader.ts';
import { MAX_GAP_OPTION } from '../positions-option.ts';
import { materialLosses, radioJson, radioSection } from '../../bench/twin/radio-section.ts';
import { joinLog } from '../../bench/twin/samples.ts';
import { readSiteOrScenario } from '../../bench/twin/site-file.ts';
import { readSurveyFile } from '../../engine/io/survey-table.ts';
import { checkOut } from '../out-option.ts';

interface CalibrateArgs {
  site: string;
  observations?: string;
  positions?: string;
  survey?: string;
  base: string;
  bootstrap: number;
  seed: number;
  'max-gap-s': number;
  out: string;
  'on-bad-row'?: OnBadRow;
}

export const calibrateCommand: CommandModule<object, CalibrateArgs> = {
  command: 'calibrate',
  describe: "Fit the simulator's radio model from a real log with known positions (or a survey); writes a scenario radio section",
  builder: (y) =>
    y
      .option('site', { type: 'string', demandOption: true, describe: 'Site map JSON or a scenario file' })
      .option('observations', { type: 'string', describe: 'RSSI log (.csv or .arrow: tMs,deviceId,tech,apId,rssiDbm); needs --positions' })
      .option('positions', { type: 'string', describe: 'True positions (.csv or .arrow: tMs,deviceId,floor,x,y)' })
      .option('survey', { type: 'string', describe: 'A survey (.csv or .arrow: floor,x,y,apId,band,rssiDbm), fitted when no log is given' })
      .option('base', { type: 'string', default: 'office', describe: 'Scenario whose radio section gives the effects and whatever the log cannot fit' })
      .option('bootstrap', { type: 'number', default: 50, coerce: numberFlag('--bootstrap', { min: 0, max: BOOTSTRAP_MAX, whole: true }), describe: 'Bootstrap replicates for the 95% intervals (0: none)' })
      .option('seed', { type: 'number', default: 1, coerce: numberFlag('--seed', { min: 0, whole: true }), describe: 'Seed of the bootstrap' })
      .option('max-gap-s', MAX_GAP_OPTION)
      .option('out', { type: 'string', default: 'runs/calibrate', describe: 'Output folder (replaced as a whole): radio.json, calibration.json' })
      .option('on-bad-row', BAD_ROW_OPTION)
      .check((a) => {
        checkOut(a.out);
        if ((a.observations === undefined) !== (a.positions === undefined)) throw new InputError('--observations and --positions go together (a log needs its true positions)');
        if ((a.observations === undefined) === (a.survey === undefined)) throw new InputError('give --observations with --positions, or --survey (one of them: a log is fitted on its own)');
        if (a.survey !== undefined && a['on-bad-row'] !== undefined) throw new InputError('--on-bad-row reads --observations: a survey is taken whole');
        return true;
      }),
  handler: (args) => {
    checkReplaceable(args.out, 'radio.json');
    const base = loadScenario(args.base).radio;
    let site, obs, log;
    if (args.observations !== undefined) {
      const input = readTwinInput({ site: args.site, observations: args.observations, positions: args.positions!, maxGapS: args['max-gap-s'], onBadRow: args['on-bad-row'] });
      reportLog(input.observations, input.site, input.skipped);
      ({ site, observations: obs } = input);
      log = joinLog(site, obs, input.tracks);
    } else {
      site = readSiteOrScenario(args.site);
      const fromSurvey = surveyAsLog(site, readSurveyFile(args.survey!, site), args.survey!);
      obs = fromSurvey.observations;
      log = fromSurvey.log;
    }
    const cal = calibrate(site, obs, log, { bootstrap: args.bootstrap, seed: args.seed });
    checkFitted(cal, log, args.observations ?? args.survey!);
    const radio = radioSection(cal, base);
    const moved = movedAps(site, fittedWorld(site, cal, log.samples));
    replaceDir(args.out, 'radio.json', (dir) => {
      writeFileAtomic(`${dir}/radio.json`, radioJson(radio));
      writeFileAtomic(`${dir}/calibration.json`, JSON.stringify({ fits: cal, materialLossDb: materialLosses(cal), apsElsewhere: moved }, null, 2) + '\n');
    });
    process.stdout.write(calibrationTable(cal) + '\n' + elsewhere(moved, site.aps.length));
    process.stdout.write(`Wrote ${args.out}/radio.json (a scenario's radio section) and ${args.out}/calibration.json\n`);
  },
};

/** Shown at most: the furthest moves; calibration.json lists them all. */
const SHOWN_MOVES = 10;

/** The APs the readings put elsewhere than the site map (bench/twin/ap-positions.ts), a check on the drawing: a line per AP, furthest first. */
function elsewhere(moved: MovedAp[], aps: number): string {
  if (moved.length === 0) return `The readings agree with the site map's ${aps} AP positions (none rejected at p = 0.001).\n`;
  const at = ([x, y]: [number, number]): string => `(${x.toFixed(1)}, ${y.toFixed(1)})`;
  const lines = moved.slice(0, SHOWN_MOVES).map((m) => `  ${m.id} (floor ${m.floor}): ${at(m.from)} → ${at(m.to)}, ${m.movedM.toFixed(1)} m`);
  const more = moved.length > SHOWN_MOVES ? [`  … ${moved.length - SHOWN_MOVES} more in calibration.json`] : [];
  return [`The readings put ${moved.length} of ${aps} APs elsewhere than the site map (rejected at p = 0.001; ctsim twin --ap-positions fitted simulates them there):`, ...lines, ...more].join('\n') + '\n';
}
