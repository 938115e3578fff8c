// The twin of a survey's ageing: one log holding the survey day's part (the
// devices not named by any test part: it calibrates) and test parts from
// later days, each with the survey's age on its day. Calibrates once and
// simulates the test devices once along their true tracks (the field of the
// day they are used), then per part simulates the survey as old as it was for
// that part (radio.effects.drift, sim/radio/drift.ts) and runs the engine
// with the same config on the real part with the real survey and on the
// simulated part with the aged simulated survey: the predicted error growth
// beside the real one. The first part also gets the rows a plain twin gives
// (radio statistics, the engine without the survey); the pieces are
// bench/twin/twin.ts's, composed for several ages in one run.
import { resolveConfig } from '../../engine/config.ts';
import { InputError } from '../../engine/contract/input-error.ts';
import type { ObservationBatch } from '../../engine/contract/observations.ts';
import { TWIN_LOCALIZERS } from '../../engine/localize/index.ts';
import type { Radio } from '../../scenarios/types.ts';
import { engineRows, radioRows, radioStats, type Row } from './fidelity.ts';
import type { TwinInput } from './input.ts';
import { subsetObservations } from '../../engine/contract/observations.ts';
import { joinLog } from './samples.ts';
import { simulateTwin, twinScenario } from './simulate.ts';
import { goneAps } from '../../sim/simulate.ts';
import { bandOf } from '../../engine/contract/site.ts';
import { splitRule } from './split.ts';
import { calibrateTwin, partRule, scoreEngine, twinDevices, twinSurvey, withRanging, type TwinOptions } from './twin.ts';

export interface AgeingPart {
  /** How the part is named in the rows (e.g. 'month 6'). */
  label: string;
  /** The devices of the log that are this part. */
  deviceIds: string[];
  /** Days between the survey and this part. */
  ageDays: number;
}

export type AgeingOptions = Omit<TwinOptions, 'split' | 'surveyAgeDays'> & { parts: AgeingPart[] };

export interface AgeingReport {
  reports: { calibrate: number; realTest: number; simTest: number };
  radio: Radio;
  parts: (AgeingPart & { rows: Row[] })[];
}

export async function runAgeingTwin(input: TwinInput, opts: AgeingOptions): Promise<AgeingReport> {
  const { site, observations: obs, tracks, survey } = input;
  if (!survey) throw new InputError('an ageing twin needs the survey (--survey)');
  const step = opts.onStep ?? (() => {});
  const testIds = opts.parts.flatMap((p) => p.deviceIds);
  const rule = splitRule({ kind: 'device', ids: testIds }, tracks, input.firstMs, input.lastMs);
  const partOf = partRule(obs, tracks, rule);
  const calib = subsetObservations(obs, (i) => partOf(i) === 'calibrate');
  if (calib.length === 0) throw new InputError('the survey day\'s part (the devices no test part names) holds no reports with known positions');

  step(`calibrating on ${calib.length.toLocaleString('en-US')} reports`);
  const { geometry, calJoined, calibration, radio, materialLossDb, world } = calibrateTwin(site, calib, tracks, opts);
  const scenario = twinScenario(world, radio, opts.seed, materialLossDb);

  step('simulating the test devices along their tracks');
  const tested = new Set(testIds);
  const sim = simulateTwin(scenario, twinDevices(obs, tracks, calibration).filter((d) => tested.has(d.id)), null).observations;
  const simPartOf = partRule(sim, tracks, rule);
  const config = withRanging(resolveConfig(opts.engine), calib, calJoined);
  const ofPart = (b: ObservationBatch, part: (i: number) => string | null, ids: Set<string>): ObservationBatch =>
    subsetObservations(b, (i) => part(i) === 'test' && ids.has(b.devices[b.deviceIdx[i]].id));

  const parts: AgeingReport['parts'] = [];
  let realTotal = 0, simTotal = 0;
  for (const [k, part] of opts.parts.entries()) {
    const ids = new Set(part.deviceIds);
    // The APs gone from the air between the survey and this part's day hear none of it (sim/radio/ap-turnover.ts).
    const gone = { wifi: goneAps(scenario, radio.wifi, part.ageDays), ble: goneAps(scenario, radio.ble, part.ageDays) };
    const onAir = (i: number): boolean => !gone[bandOf(sim.devices[sim.deviceIdx[i]].tech)].has(sim.apIdx[i]);
    const realTest = ofPart(obs, partOf, ids), simTest = ofPart(sim, (i) => (onAir(i) ? simPartOf(i) : null), ids);
    if (realTest.length === 0) throw new InputError(`${part.label}: no reports of ${part.deviceIds.join(', ')} with known positions`);
    realTotal += realTest.length;
    simTotal += simTest.length;
    const rows: Row[] = [];
    if (k === 0) {
      const realStats = radioStats(site, joinLog(site, realTest, tracks, geometry), geometry);
      rows.push(...radioRows(realStats, radioStats(site, joinLog(site, simTest, tracks, geometry), geometry)).rows);
    }
    step(`${part.label}: survey ${part.ageDays.toFixed(0)} days old`);
    const simSurvey = simulateTwin(scenario, [], twinSurvey(survey, part.ageDays)).survey ?? undefined;
    const runs: [string, boolean][] = k === 0 ? [['no survey', false], ['survey', true]] : [['survey', true]];
    for (const [surveyName, withSurvey] of runs) {
      for (const localizer of TWIN_LOCALIZERS) {
        const cfg = { ...config, localize: { ...config.localize, method: localizer } };
        const real = await scoreEngine(site, realTest, tracks, rule, cfg, withSurvey ? survey : undefined);
        const simulated = await scoreEngine(site, simTest, tracks, rule, cfg, withSurvey ? simSurvey : undefined);
        if (real.fixes > 0 && simulated.fixes > 0) rows.push(...engineRows(`${localizer}, ${surveyName}`, real, simulated));
      }
    }
    parts.push({ ...part, rows });
  }
  return { reports: { calibrate: calib.length, realTest: realTotal, simTest: simTotal }, radio, parts };
}
