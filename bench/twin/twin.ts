// ctsim twin: the digital twin of a real log. Calibrates the radio model on
// one part of the log (bench/twin/calibrate.ts), simulates the same devices
// along the same true tracks at the same cadence (bench/twin/simulate.ts),
// then compares the real and the simulated other part: radio statistics and
// the engine's accuracy per localizer, with and without the survey, run with
// the same config on both (bench/twin/fidelity.ts).
//
// The engine's ranging comes from the calibration part, as a user's
// calibration walk gives it (engine/calibrate/ap-beacons.ts fitLogDistance
// on the real reports' known distances): the same ranging for both sides.
import { resolveConfig, type DeepPartial, type EngineConfig } from '../../engine/config.ts';
import { fitLogDistance } from '../../engine/calibrate/ap-beacons.ts';
import { InputError } from '../../engine/contract/input-error.ts';
import type { ObservationBatch } from '../../engine/contract/observations.ts';
import { SURVEY_BANDS, SurveyColumns, type SurveyBatch } from '../../engine/contract/survey.ts';
import { bandOf, type Site, type Tech } from '../../engine/contract/site.ts';
import { TWIN_LOCALIZERS } from '../../engine/localize/index.ts';
import { runEngine } from '../../engine/run.ts';
import type { Radio, RadioEffects } from '../../scenarios/types.ts';
import { apMoves, fittedWorld, type ApMoves } from './ap-positions.ts';
import { calibrate, checkFitted, type Calibration } from './calibrate.ts';
import { fieldConditioning } from './field-conditioning.ts';
import { engineRows, radioRows, radioStats, type EngineScore, type Row } from './fidelity.ts';
import type { TwinInput } from './input.ts';
import { subsetObservations } from '../../engine/contract/observations.ts';
import { facesAtStays, materialLosses, radioSection } from './radio-section.ts';
import { joinLog, LinkGeometry, truthLookup, type JoinedLog } from './samples.ts';
import { scoreFixes, summarizeFixes } from '../score/known-positions.ts';
import { simulateTwin, twinScenario, type TwinDevice, type TwinSurvey } from './simulate.ts';
import { surveySpreadDb } from './survey-spread.ts';
import { splitRule, type Split, type SplitRule } from './split.ts';
import type { DeviceTracks } from './positions.ts';

/** Fewer calibration reports of a technology than this leave its ranging as configured. */
const MIN_RANGING_REPORTS = 20;

export interface TwinOptions {
  split: Split;
  seed: number;
  bootstrap: number;
  /** The radio section the calibrated bands go over (effects, uncalibrated bands, defaults). */
  base: Radio;
  /** Effects switched on or off over what the calibration gives. */
  effects: Partial<RadioEffects>;
  engine: DeepPartial<EngineConfig>;
  /** Days between the survey and the log. */
  surveyAgeDays: number;
  /**
   * When the survey is the calibration part's own readings at the devices' true
   * positions (snapped to a grid of gridM, 0: as they are), the simulated survey
   * is taken the same way from the simulated calibration part: the same points,
   * devices, day and temporal variation as the real one. Absent: the simulator's
   * survey (a reference device standing at the survey's points).
   */
  surveyFromCalibration?: { gridM: number };
  /** Condition the simulated shadowing on the calibration part's measured field (bench/twin/field-conditioning.ts). Default true. */
  conditionField?: boolean;
  /**
   * The site's AP positions are guesses (placed, not surveyed): the twin's
   * world holds each AP where the calibration part's readings put it
   * (bench/twin/ap-positions.ts) while the engine keeps the site's. Default false.
   */
  fitApPositions?: boolean;
  /** The engine's scores on the real test part by `localizer|survey`, filled by the first run and reused by later ones with the same split and engine (an ablation). */
  realScores?: Map<string, EngineScore>;
  onStep?: (what: string) => void;
}

export interface TwinReport {
  split: string;
  reports: { calibrate: number; realTest: number; simTest: number };
  /** With fitApPositions: the APs the world holds elsewhere than the site, and how far they moved. */
  apsMoved?: ApMoves;
  calibration: Calibration;
  radio: Radio;
  materialLossDb: Record<string, number>;
  rows: Row[];
  /** Per AP and distance band. */
  detail: Row[];
}

/** The twin's two sides before the engine runs: the real log's parts and the simulated ones, and what the calibration fitted. */
export interface TwinParts {
  rule: SplitRule;
  splitName: string;
  calib: ObservationBatch;
  test: ObservationBatch;
  /** The simulated devices' reports in the calibration part and in the test part. */
  simCalib: ObservationBatch;
  simTest: ObservationBatch;
  /** The simulated survey: the simulated calibration part's readings (surveyFromCalibration) or the simulator's own; null without a real survey. */
  simSurvey: SurveyBatch | null;
  geometry: LinkGeometry;
  calJoined: JoinedLog;
  calibration: Calibration;
  radio: Radio;
  materialLossDb: Record<string, number>;
  apsMoved?: ApMoves;
}

/** Splits the log, calibrates on one part, and simulates the same devices along the same tracks (runTwin's first half). */
export function twinParts(input: TwinInput, opts: TwinOptions): TwinParts {
  const { site, observations: obs, tracks } = input;
  const step = opts.onStep ?? (() => {});
  const rule = splitRule(opts.split, tracks, input.firstMs, input.lastMs);
  const splitName = opts.split.kind === 'time' ? `time:${opts.split.fraction}` : opts.split.kind === 'device' ? `device:${opts.split.ids.join(',')}` : 'points:even-odd';
  const partOf = partRule(obs, tracks, rule);
  const calib = subsetObservations(obs, (i) => partOf(i) === 'calibrate');
  const test = subsetObservations(obs, (i) => partOf(i) === 'test');
  if (calib.length === 0) throw new InputError(`--split ${splitName}: the calibration part holds no reports with known positions`);
  if (test.length === 0) throw new InputError(`--split ${splitName}: the test part holds no reports with known positions`);

  step(`calibrating on ${calib.length.toLocaleString('en-US')} reports`);
  const { geometry, calJoined, calibration, radio, materialLossDb, world, worldJoined, apsMoved } = calibrateTwin(site, calib, tracks, opts);

  step('simulating the same devices along the same tracks');
  const scenario = twinScenario(world, radio, opts.seed, materialLossDb);
  const fromCalibration = opts.surveyFromCalibration;
  const conditioning = opts.conditionField === false ? {} : Object.fromEntries(calibration.bands.map((c) => [c.band, fieldConditioning(world, c, worldJoined, calib.devices.map((d) => d.id), radio[c.band])]));
  const sim = simulateTwin(scenario, twinDevices(obs, tracks, calibration), input.survey && !fromCalibration ? twinSurvey(input.survey, opts.surveyAgeDays) : null, conditioning);
  const simPart = partRule(sim.observations, tracks, rule);
  if (input.survey && fromCalibration) sim.survey = surveyOfPart(sim.observations, tracks, (i) => simPart(i) === 'calibrate', fromCalibration.gridM);
  const simCalib = subsetObservations(sim.observations, (i) => simPart(i) === 'calibrate');
  const simTest = subsetObservations(sim.observations, (i) => simPart(i) === 'test');
  return { rule, splitName, calib, test, simCalib, simTest, simSurvey: sim.survey, geometry, calJoined, calibration, radio, materialLossDb, ...(apsMoved ? { apsMoved } : {}) };
}

export async function runTwin(input: TwinInput, opts: TwinOptions): Promise<TwinReport> {
  const { site, tracks } = input;
  const step = opts.onStep ?? (() => {});
  const { rule, splitName, calib, test, simTest, simSurvey, geometry, calJoined, calibration, radio, materialLossDb, apsMoved } = twinParts(input, opts);

  const realStats = radioStats(site, joinLog(site, test, tracks, geometry), geometry);
  const simStats = radioStats(site, joinLog(site, simTest, tracks, geometry), geometry);
  const { rows, detail } = radioRows(realStats, simStats);

  const config = withRanging(resolveConfig(opts.engine), calib, calJoined);
  const surveys: [string, SurveyBatch | undefined, SurveyBatch | undefined][] = [['no survey', undefined, undefined]];
  if (input.survey) surveys.push(['survey', input.survey, simSurvey ?? undefined]);
  for (const [surveyName, realSurvey, simSurvey] of surveys) {
    for (const localizer of TWIN_LOCALIZERS) {
      step(`engine: ${localizer}, ${surveyName}`);
      const cfg = { ...config, localize: { ...config.localize, method: localizer } };
      const cacheKey = `${localizer}|${surveyName}`;
      const real = opts.realScores?.get(cacheKey) ?? await scoreEngine(site, test, tracks, rule, cfg, realSurvey);
      opts.realScores?.set(cacheKey, real);
      const simulated = await scoreEngine(site, simTest, tracks, rule, cfg, simSurvey);
      if (real.fixes > 0 && simulated.fixes > 0) rows.push(...engineRows(`${localizer}, ${surveyName}`, real, simulated));
    }
  }
  return { split: splitName, reports: { calibrate: calib.length, realTest: test.length, simTest: simTest.length }, ...(apsMoved ? { apsMoved } : {}), calibration, radio, materialLossDb, rows, detail };
}

/** The calibration part fitted, and the radio section it gives with `effects` switched over it. */
/**
 * The twin's radio from the calibration part, and its world: the site with
 * each AP where the part's readings put it (ap-positions.ts; the radio then
 * refitted there), which the simulator places its APs at while the engine
 * keeps the site's. calJoined: the part joined on the site's own positions,
 * what the engine's ranging is fitted on (withRanging).
 */
export function calibrateTwin(site: Site, calib: ObservationBatch, tracks: DeviceTracks, opts: Pick<TwinOptions, 'bootstrap' | 'seed' | 'base' | 'effects' | 'fitApPositions'>) {
  const geometry = new LinkGeometry(site);
  const calJoined = joinLog(site, calib, tracks, geometry);
  const fit = (on: Site, joined: JoinedLog) => calibrate(on, calib, joined, { bootstrap: opts.bootstrap, seed: opts.seed });
  let calibration = fit(site, calJoined);
  checkFitted(calibration, calJoined, 'the calibration part');
  let world = site, worldJoined = calJoined, apsMoved: ApMoves | undefined;
  if (opts.fitApPositions) {
    world = fittedWorld(site, calibration, calJoined.samples);
    apsMoved = apMoves(site, world);
    if (apsMoved.count > 0) {
      worldJoined = joinLog(world, calib, tracks);
      calibration = fit(world, worldJoined);
    }
  }
  const fitted = radioSection(calibration, opts.base);
  const radio: Radio = { ...fitted, effects: { ...fitted.effects, ...opts.effects } };
  return { geometry, calJoined, calibration, radio, materialLossDb: materialLosses(calibration), world, worldJoined, apsMoved };
}

/** Which part each report of `obs` belongs to (null: none, or no known position). */
export function partRule(obs: ObservationBatch, tracks: DeviceTracks, rule: SplitRule): (i: number) => 'calibrate' | 'test' | null {
  const at = truthLookup(obs, tracks);
  return (i) => {
    const p = at(obs.deviceIdx[i], obs.tMs[i]);
    return p ? rule(obs.devices[obs.deviceIdx[i]].id, obs.tMs[i], p.floor, p.x, p.y) : null;
  };
}

/**
 * Every device with positions, emitting at its real report times (and their
 * median gap as its nominal cadence), with its own calibrated offset when the
 * calibration part holds it (a time or points split: the same devices on both sides).
 */
export function twinDevices(obs: ObservationBatch, tracks: DeviceTracks, calibration: Calibration): TwinDevice[] {
  const times = obs.devices.map(() => [] as number[]);
  for (let i = 0; i < obs.length; i++) times[obs.deviceIdx[i]].push(obs.tMs[i]);
  return obs.devices.flatMap((d, k) => {
    const track = tracks.get(d.id);
    if (!track || times[k].length === 0) return [];
    const timesMs = Float64Array.from(new Set(times[k])).sort();
    const gaps = timesMs.slice(1).map((t, j) => t - timesMs[j]).sort();
    // A device heard once: one emission a second (the simulator's survey cadence).
    const intervalS = gaps.length > 0 ? gaps[gaps.length >> 1] / 1000 : 1;
    const band = calibration.bands.find((b) => b.band === bandOf(d.tech));
    const offsetDb = band?.deviceOffsetDb[d.id]?.value;
    // Whole dB, as the readings and the floor are.
    const floorDb = band?.deviceFloorDb[d.id] ? Math.round(band.deviceFloorDb[d.id].value) : undefined;
    const hearingScale = band?.deviceHearing[d.id]?.value;
    const facesAtRandom = band ? facesAtStays(band) : false;
    return [{ id: d.id, tech: d.tech, track, intervalS, timesMs, offsetDb, floorDb, hearingScale, facesAtRandom }];
  });
}

/** The survey's points, each read as often as the real survey read a typical (point, AP). */
export function twinSurvey(survey: SurveyBatch, ageDays: number): TwinSurvey {
  const points = new Map<string, { floor: number; x: number; y: number }>();
  const counts = new Map<string, number>();
  for (let i = 0; i < survey.length; i++) {
    const key = `${survey.floor[i]}|${survey.x[i]}|${survey.y[i]}`;
    if (!points.has(key)) points.set(key, { floor: survey.floor[i], x: survey.x[i], y: survey.y[i] });
    const link = `${key}|${survey.apIdx[i]}|${survey.band[i]}`;
    counts.set(link, (counts.get(link) ?? 0) + 1);
  }
  const c = [...counts.values()].sort((a, b) => a - b);
  return { points: [...points.values()], emissions: Math.max(1, c[c.length >> 1] ?? 1), ageDays, spreadDb: surveySpreadDb(survey) };
}

/** The readings of `obs` that `keep` keeps as a survey at their devices' true positions, snapped to a grid of gridM (0: as they are). */
export function surveyOfPart(obs: ObservationBatch, tracks: DeviceTracks, keep: (i: number) => boolean, gridM: number): SurveyBatch {
  const at = truthLookup(obs, tracks);
  const snap = (v: number): number => (gridM > 0 ? Math.round(v / gridM) * gridM : v);
  const out = new SurveyColumns();
  for (let i = 0; i < obs.length; i++) {
    const p = keep(i) ? at(obs.deviceIdx[i], obs.tMs[i]) : null;
    if (p) out.push(p.floor, snap(p.x), snap(p.y), obs.apIdx[i], SURVEY_BANDS.indexOf(bandOf(obs.devices[obs.deviceIdx[i]].tech)), obs.rssiDbm[i]);
  }
  return out.build();
}

/** The engine's ranging per technology fitted on the calibration part's known distances (a calibration walk). */
export function withRanging(cfg: EngineConfig, calib: ObservationBatch, joined: ReturnType<typeof joinLog>): EngineConfig {
  const s = joined.samples;
  const byTech = new Map<Tech, { x: number[]; y: number[] }>();
  for (let i = 0; i < s.length; i++) {
    const tech = calib.devices[s.device[i]].tech;
    const t = byTech.get(tech) ?? { x: [], y: [] };
    t.x.push(Math.log10(Math.max(s.distanceM[i], 1)));
    t.y.push(-s.rssiDbm[i]);
    byTech.set(tech, t);
  }
  const ranging = { ...cfg.ranging };
  for (const [tech, t] of byTech) {
    if (t.x.length < MIN_RANGING_REPORTS) continue;
    const fit = fitLogDistance(t.x, t.y, cfg.calibrate, cfg.ranging[tech].pathLossExponent);
    ranging[tech] = { ...cfg.ranging[tech], refRssiDbmAt1m: -fit.lossAt1mDb, pathLossExponent: fit.pathLossExponent, sigmaDb: fit.residualSigmaDb };
  }
  return { ...cfg, ranging };
}

export async function scoreEngine(site: Site, obs: ObservationBatch, tracks: DeviceTracks, rule: SplitRule, cfg: EngineConfig, survey?: SurveyBatch): Promise<EngineScore> {
  if (obs.length === 0) return { fixes: 0, medianM: NaN, p90M: NaN, coverage: NaN };
  const { estimates } = await runEngine(site, obs, cfg, { survey });
  const { fixes, medianM, p90M, coverage } = summarizeFixes(scoreFixes(estimates, obs, tracks, (id, tMs, p) => rule(id, tMs, p.floor, p.x, p.y) === 'test'));
  return { fixes, medianM, p90M, coverage };
}
