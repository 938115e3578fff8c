// The run's calibration, shared by the batch engine (run.ts) and the live
// engine. Each technology's ranging comes from the best source the input has:
//   1. AP-to-AP beacons (engine/calibrate/ap-beacons.ts), per band;
//   2. else the site survey's own path-loss fit (engine/calibrate/survey-map.ts),
//      per band, the same model the survey's radio map is built on, unless
//      the log's own readings say it is off: in a batch run the log is
//      self-fitted too (the survey's model as its prior) and that fit replaces
//      the survey's when it explains the log's readings much better
//      (selfCalibrate.overSurveyRatio), e.g. a survey taken at another power;
//   3. else the log itself (engine/calibrate/self-fit.ts), per technology,
//      with each AP's gain: batch only, as the live engine has no log up front;
//      its residual on the log becomes the ranging's sigmaDb
//      (selfCalibrate.sigmaFromFit), so WLS and knn weigh their ranges against
//      the centroid prior by how well the fit explains the log (wls.ts, knn.ts);
//   4. else the configured models (engine/calibrate/ranging.ts).
// The survey's radio maps take their exponent prior from the beacon-calibrated
// ranging, or are the maps built beforehand.
// Each survey band's map, each technology's fit and each map's device offset
// is a part of its own (surveyBand, calibrateTech, mapOffset): in turn here
// (calibrate), side by side on the batch engine's pool (calibrateOn), to the
// same result.
import type { WalkingBody } from '../calibrate/walking-body.ts';
import { median } from 'simple-statistics';
import { calibratedRanging, fitApBeacons, meanBleBeaconTxDbm, type BandFit } from '../calibrate/ap-beacons.ts';
import type { RangingModel, RangingSettings } from '../calibrate/ranging.ts';
import { sampleRows, selfFit, techsIn, type SelfFit } from '../calibrate/self-fit.ts';
import { readingSpreadDb, slowSpreads, type SlowSpread } from '../calibrate/reading-spread.ts';
import { surveyOnAir, type OffAir } from '../calibrate/survey-on-air.ts';
import { atSurveyLevel, radioMapsOf, surveyBandMap, surveyLine, techRadioMaps, type SurveyBandMap, type SurveyLine, type SurveyMapInputs, type SurveyRadioMaps, type SurveyRanging } from '../calibrate/survey-map.ts';
import type { EngineConfig } from '../config.ts';
import type { DeviceInfo, ObservationBatch } from '../contract/observations.ts';
import { bandOf, TECHS, type Band, type Site, type Tech } from '../contract/site.ts';
import { SURVEY_BANDS, type SurveyBatch } from '../contract/survey.ts';
import { heightDiff2, siteLayout, type SiteLayout } from '../localize/layout.ts';
import { localizeModel } from '../localize/model.ts';
import { LOCALIZERS, readsMap } from '../localize/index.ts';
import type { TechRadioMap } from '../localize/types.ts';
import { mapDeviceOffset, type MapDeviceOffset } from '../calibrate/map-drift.ts';
import { APS_FROM, movedFactor } from '../calibrate/map-radius.ts';
import type { ContextData } from './context.ts';

export interface CalibrationInputs {
  apBeacons?: ObservationBatch;
  survey?: SurveyBatch;
  radioMaps?: SurveyRadioMaps;
  /** The log to be located: self-calibration's readings where no beacons or survey fitted a technology's band. */
  log?: ObservationBatch;
}

export type CalibrationSource = 'ap-beacons' | 'survey' | 'self' | 'defaults';

/** Where one technology's ranging came from, what it is and how well it fits what it was fitted to. */
export interface TechCalibration {
  source: CalibrationSource;
  refRssiDbmAt1m: number;
  pathLossExponent: number;
  /** Robust spread of the fitted readings around the model, dB (absent for the configured defaults). */
  residualDb?: number;
  /** What the fit stood on: AP pairs, surveyed (point, AP) means or (epoch, AP) readings of the log. */
  samples?: number;
  /** Spread (RMS) of the fitted AP gains, dB (self-calibration's, or the survey line's: survey.apGains). */
  apGainSpreadDb?: number;
  /** Why self-calibration was not used, when it was tried and refused. */
  refused?: string;
  /** Self-calibration's own exponent where it lay outside indoor physics and was held at the bound pathLossExponent is. */
  exponentHeldFrom?: number;
  /**
   * The survey's fit against self-calibration on the log's own readings
   * (selfCalibrate.overSurveyRatio): both models' residuals there, dB, and
   * whether the survey's was kept (absent: no survey, or the log could not be self-fitted).
   */
  surveyCheck?: { survey: { refRssiDbmAt1m: number; pathLossExponent: number }; surveyLogResidualDb: number; selfLogResidualDb: number; kept: boolean };
  /** The log's device offset from the survey map, the prior each map fix's offset gets (absent: any offset). */
  mapDeviceOffset?: MapDeviceOffset;
  /** The carrier's body by its walking direction, as the log's tracks read it (calibrate/walking-body.ts; batch, with a survey map; absent: not read). */
  walkingBody?: WalkingBody;
  /** One device's reading spread within an epoch, from the log (calibrate/reading-spread.ts): what stays compare in, dB (absent: the survey's). */
  stayReadingSigmaDb?: number;
  /** What of the readings an epoch's mean does not average away, from the log (calibrate/reading-spread.ts slowSpreads), dB: the map weighs readings with it (absent: none). */
  slowSigmaDb?: number;
  /** The factor on the site map's wall losses its band's survey map was fitted with, when not 1 (survey.fitWallScale). */
  mapWallScale?: number;
  /**
   * Groups of APs read as one radio's BSSIDs, how many APs they left out, how
   * many of the groups the site map's radioId named, and each group's AP ids,
   * the one read first (engine/calibrate/same-radio.ts; absent: none).
   */
  sameRadio?: { groups: number; left: number; declared?: number; radios?: string[][] };
  /** Of the APs its band's survey holds, those the log never hears, left out of the survey (survey.onAirFromLog; absent: none). */
  surveyOffAir?: OffAir;
  /** The configured localizer reads a survey map and its band has none, so it locates as wls: why, in words (absent: it has its map, or reads none). */
  noMap?: string;
}

export interface Calibration {
  fits: Partial<Record<Band, BandFit>>;
  survey: SurveyRadioMaps;
  data: ContextData;
  sources: Partial<Record<Tech, TechCalibration>>;
}

/** Calibration's parts run elsewhere (the batch engine's pool): a survey band's map, a technology's fit, its device offset from its map. */
export interface CalibrationParts {
  band(task: BandTask): Promise<SurveyBandMap | undefined>;
  tech(task: TechTask): Promise<TechResult>;
  offset(task: OffsetTask): Promise<MapDeviceOffset | undefined>;
}

export function calibrate(site: Site, devices: readonly DeviceInfo[], cfg: EngineConfig, layout: SiteLayout, inputs: CalibrationInputs): Calibration {
  const start = calibrationStart(site, devices, cfg, inputs);
  const tasks = bandTasks(start);
  const rows = logRows(start);
  // The survey's lines with their APs' gains, as calibrateOn reads them (a map's fit does not carry the gains).
  const techs = techTasks(start, inputs.radioMaps?.fits ?? surveyLines(tasks, layout), rows).map((t) => calibrateTech(t, layout));
  const survey = inputs.radioMaps ?? radioMapsOf(tasks.map((t) => surveyBand(rangingInUse(start, t, techs), layout)));
  return calibrationEnd(start, survey, techs, offsetTasks(start, survey, techs, rows).map((t) => [t.tech, mapOffset(t, layout)]), rows);
}

/**
 * calibrate, its parts run by `parts`: the bands' maps and the technologies'
 * fits side by side (a fit needs only its band's survey line, fitted here
 * meanwhile, as is the log's sample), then the device offsets from the maps.
 */
export async function calibrateOn(parts: CalibrationParts, site: Site, devices: readonly DeviceInfo[], cfg: EngineConfig, layout: SiteLayout, inputs: CalibrationInputs): Promise<Calibration> {
  const start = calibrationStart(site, devices, cfg, inputs);
  const tasks = bandTasks(start);
  // A localizer that ranges has its radius calibrated with the ranging its technologies end with: their fits first.
  const ranges = !readsMap(cfg.localize.method);
  const early = ranges ? null : Promise.all(tasks.map((t) => parts.band(t)));
  const lines = inputs.radioMaps?.fits ?? surveyLines(tasks, layout);
  const rows = logRows(start);
  const techs = await Promise.all(techTasks(start, lines, rows).map((t) => parts.tech(t)));
  const bands = early ?? Promise.all(tasks.map((t) => parts.band(rangingInUse(start, t, techs))));
  const survey = inputs.radioMaps ?? radioMapsOf(await bands);
  const offsets = offsetTasks(start, survey, techs, rows).map(async (t): Promise<TechOffset> => [t.tech, await parts.offset(t)]);
  return calibrationEnd(start, survey, techs, await Promise.all(offsets), rows);
}

/** What every step reads: the input, the AP beacons' fits and the ranging they give, the technologies to calibrate. */
interface CalibrationStart {
  site: Site;
  devices: readonly DeviceInfo[];
  cfg: EngineConfig;
  inputs: CalibrationInputs;
  fits: Partial<Record<Band, BandFit>>;
  ranging: RangingSettings;
  present: Tech[];
  /** Per survey band, the log's slow spread (batch only, localize.map.slowFromLog): the band's map weighs readings with it. */
  slow: (SlowSpread | undefined)[];
  /** The survey without the APs the log never hears (batch only, survey.onAirFromLog), what the maps' radii and fusion are calibrated on; and per band how many those were. */
  onAirSurvey?: SurveyBatch;
  offAir: OffAir[];
}

function calibrationStart(site: Site, devices: readonly DeviceInfo[], cfg: EngineConfig, inputs: CalibrationInputs): CalibrationStart {
  const fits = inputs.apBeacons && cfg.calibrate.fromApBeacons ? fitApBeacons(site, inputs.apBeacons, cfg.calibrate, cfg.ranging) : {};
  const ranging = calibratedRanging(site, fits, cfg.ranging, cfg.calibrate);
  const present = inputs.log ? techsIn(inputs.log) : TECHS.filter((t) => devices.some((d) => d.tech === t));
  const log = inputs.log && inputs.survey && !inputs.radioMaps && cfg.localize.map.slowFromLog ? inputs.log : undefined;
  // The environment's slow variation, pooled over the band's technologies (badges and phones share the room).
  const slow = log ? slowSpreads(log, (d) => SURVEY_BANDS.indexOf(bandOf(log.devices[d].tech)), SURVEY_BANDS.length, cfg.ingest.epochMs).map((x) => x ?? undefined) : [];
  const onAir = inputs.survey && inputs.log && cfg.survey.onAirFromLog ? surveyOnAir(inputs.survey, inputs.log) : { survey: inputs.survey, offAir: [] };
  return { site, devices, cfg, inputs, fits, ranging, present, slow, onAirSurvey: onAir.survey, offAir: onAir.offAir };
}

/** One survey band's map to build (index into SURVEY_BANDS), with what its radius calibration ranges by. */
export interface BandTask {
  site: Site;
  survey: SurveyBatch;
  band: number;
  cfg: EngineConfig;
  fits: Partial<Record<Band, BandFit>>;
  ranging: RangingSettings;
  /** The survey without the APs the log never hears (engine/calibrate/survey-on-air.ts; `survey` itself when it hears all): the radii's and fusion's calibration. */
  onAir: SurveyBatch;
  slow?: SlowSpread;
  /** The log's misfit will be read on the map (a batch run, localize.map.offsetFromLog): the left-out points are also located moved (map-radius.ts movedRungs). */
  forLog: boolean;
  /** The ranging the band's devices end with (rangingInUse), what a localizer that ranges is calibrated with; absent: the survey's line. */
  inUse?: SurveyRanging;
}

/** A task per band, unless the maps were built beforehand or there is no survey to build them from. */
function bandTasks({ site, cfg, inputs, fits, ranging, slow, onAirSurvey }: CalibrationStart): BandTask[] {
  const survey = inputs.survey;
  if (inputs.radioMaps || !survey || !onAirSurvey || !cfg.survey.fromSurvey) return [];
  const forLog = inputs.log !== undefined && cfg.localize.map.offsetFromLog && cfg.survey.radiusFromLogMisfit;
  return SURVEY_BANDS.map((_, band) => ({ site, survey, onAir: onAirSurvey, band, cfg, fits, ranging, forLog, ...(slow[band] ? { slow: slow[band] } : {}) }));
}

export function surveyBand({ site, survey, onAir, band, cfg, fits, ranging, slow, forLog, inUse }: BandTask, layout = siteLayout(site)): SurveyBandMap | undefined {
  return surveyBandMap(site, layout, survey, band, surveyMapInputs(cfg, fits, ranging, inUse), slow, forLog, onAir);
}

/**
 * The band task with the ranging its devices end with (a localizer that
 * ranges: the survey's line, or the log's own fit where it replaced it, that
 * one at the survey's level; the band's first technology in the log), so its
 * radius is calibrated on the survey's points as it will range; other
 * localizers' tasks as they are.
 */
function rangingInUse({ site, cfg, present }: CalibrationStart, task: BandTask, techs: readonly TechResult[]): BandTask {
  const k = present.findIndex((t) => bandOf(t) === SURVEY_BANDS[task.band]);
  if (readsMap(cfg.localize.method) || k < 0) return task;
  const { ranging, apGainDb, source } = techs[k];
  const inUse = { ranging, ...(apGainDb ? { apGainDb } : {}) };
  return { ...task, inUse: source.source === 'self' ? atSurveyLevel(siteLayout(site), task.onAir, task.band, cfg.localize, inUse) : inUse };
}

/** The survey map's settings, and the ranging a band's devices range with given the survey's fit: the beacons' where they fitted the band. */
function surveyMapInputs(cfg: EngineConfig, fits: Partial<Record<Band, BandFit>>, ranging: RangingSettings, inUse?: SurveyRanging): SurveyMapInputs {
  const surveyRanging = (band: Band, fit: BandFit, apGainDb?: Float32Array): SurveyRanging => {
    if (inUse) return inUse;
    const tech: Tech = band === 'wifi' ? 'wifi' : 'ble-badge';
    return fits[band] ? { ranging: ranging[tech] } : { ranging: { ...ranging[tech], refRssiDbmAt1m: -fit.lossAt1mDb, pathLossExponent: fit.pathLossExponent }, ...(apGainDb ? { apGainDb } : {}) };
  };
  return { ...cfg, ranging, surveyRanging };
}

/** Each band's survey line (surveyLine), as its map's fit will have it. */
function surveyLines(tasks: readonly BandTask[], layout: SiteLayout): Partial<Record<Band, SurveyLine>> {
  const lines: Partial<Record<Band, SurveyLine>> = {};
  for (const { survey, band, cfg, fits, ranging } of tasks) {
    const line = surveyLine(layout, survey, band, surveyMapInputs(cfg, fits, ranging));
    if (line) lines[SURVEY_BANDS[band]] = line;
  }
  return lines;
}

/** The log's rows self-calibration and the map's device offset sample, per present technology (sampleRows: one pass for all). */
function logRows({ cfg, inputs, present }: CalibrationStart): Partial<Record<Tech, ObservationBatch>> {
  const sampled = inputs.log && (cfg.selfCalibrate.fromLog || cfg.localize.map.offsetFromLog);
  return sampled ? sampleRows(inputs.log!, present, { self: cfg.selfCalibrate, ...cfg.ingest }) : {};
}

/** What calibrating one technology reads. */
export interface TechTask {
  tech: Tech;
  site: Site;
  cfg: EngineConfig;
  /** Its ranging before: configured, or the AP beacons'. */
  ranging: RangingModel;
  /** Its band's AP-beacon fit, when the beacons fitted it. */
  beacons?: BandFit;
  /** Its band's survey line (with its APs' gains, survey.apGains), when the survey covered it. */
  surveyed?: SurveyLine;
  /** Its rows of the log (logRows); absent without a log. */
  rows?: ObservationBatch;
}

function techTasks({ site, cfg, fits, ranging, present }: CalibrationStart, lines: Partial<Record<Band, SurveyLine>>, rows: Partial<Record<Tech, ObservationBatch>>): TechTask[] {
  return present.map((tech) => ({ tech, site, cfg, ranging: ranging[tech], beacons: fits[bandOf(tech)], surveyed: lines[bandOf(tech)], rows: rows[tech] }));
}

export interface TechResult {
  ranging: RangingModel;
  /** Each AP's gain, where self-calibration or the survey's line fitted them. */
  apGainDb?: Float32Array;
  source: TechCalibration;
}

/** One technology's ranging from the best source it has. */
export function calibrateTech({ tech, site, cfg, ranging, beacons, surveyed, rows }: TechTask, layout = siteLayout(site)): TechResult {
  const dh2 = heightDiff2(layout, cfg.localize);
  // The tech's model fitted from the log's own readings, starting from and pulled towards `prior`; null without a log or with self-calibration off.
  const fitLog = (prior: RangingModel) => (rows && cfg.selfCalibrate.fromLog
    ? selfFit(layout, rows, tech, prior, dh2, {
      self: cfg.selfCalibrate, calibrate: cfg.calibrate, ...cfg.ingest,
      centroidWeightExponent: cfg.localize.centroid.weightExponent, priorExponent: prior.pathLossExponent,
    })
    : null);
  if (beacons) return { ranging, source: described('ap-beacons', ranging, beacons.residualSigmaDb, beacons.links) };
  if (surveyed) {
    // The survey's intercept is the RSSI its reference device read at 1 m; a ble-app phone hears the APs' beacons, at their power (as techRadioMaps).
    const fromSurvey = { ...ranging, refRssiDbmAt1m: -surveyed.lossAt1mDb + (tech === 'ble-app' ? meanBleBeaconTxDbm(site) : 0), pathLossExponent: surveyed.pathLossExponent };
    const self = cfg.selfCalibrate.overSurveyRatio > 0 ? fitLog(fromSurvey) : null;
    // Both residuals on the log, also when the log's fit was refused for sitting no closer to it than the survey's.
    const check = self?.residualSigmaDb !== undefined && self.priorResidualSigmaDb !== undefined ? { selfLogResidualDb: self.residualSigmaDb, surveyLogResidualDb: self.priorResidualSigmaDb } : undefined;
    if (self && !('refused' in self) && check && check.selfLogResidualDb < cfg.selfCalibrate.overSurveyRatio * check.surveyLogResidualDb) {
      const fitted = fromSelf(ranging, self, cfg.selfCalibrate.sigmaFromFit);
      return { ranging: fitted, apGainDb: self.apGainDb, source: { ...described('self', fitted, self.residualSigmaDb, self.links), surveyCheck: { ...check, kept: false, survey: modelOf(fromSurvey) } } };
    }
    return {
      ranging: fromSurvey,
      ...(surveyed.apGainDb ? { apGainDb: surveyed.apGainDb } : {}),
      source: { ...described('survey', fromSurvey, surveyed.residualSigmaDb, surveyed.links), ...(surveyed.apGainDb ? { apGainSpreadDb: rms(surveyed.apGainDb) } : {}), ...(check ? { surveyCheck: { ...check, kept: true, survey: modelOf(fromSurvey) } } : {}) },
    };
  }
  const self = fitLog(ranging);
  if (self && !('refused' in self)) {
    const fitted = fromSelf(ranging, self, cfg.selfCalibrate.sigmaFromFit);
    return { ranging: fitted, apGainDb: self.apGainDb, source: { ...described('self', fitted, self.residualSigmaDb, self.links), ...(self.apGainDb ? { apGainSpreadDb: rms(self.apGainDb) } : {}), ...(self.exponentHeldFrom !== undefined ? { exponentHeldFrom: self.exponentHeldFrom } : {}) } };
  }
  return { ranging, source: { ...described('defaults', ranging), ...(self ? { refused: self.refused } : {}) } };
}

/** What the log's device offset from one technology's map reads. */
export interface OffsetTask {
  tech: Tech;
  site: Site;
  cfg: EngineConfig;
  /** Its ranging as calibrated. */
  ranging: RangingModel;
  map: TechRadioMap;
  rows: ObservationBatch;
}

/** Per present technology with a map and the log's rows, when the map's offset is read from the log. */
function offsetTasks({ site, cfg, present }: CalibrationStart, survey: SurveyRadioMaps, techs: readonly TechResult[], rows: Partial<Record<Tech, ObservationBatch>>): OffsetTask[] {
  if (!cfg.localize.map.offsetFromLog) return [];
  const maps = techRadioMaps(site, survey);
  return present.flatMap((tech, k) => {
    const map = maps[TECHS.indexOf(tech)], sample = rows[tech];
    return map && sample ? [{ tech, site, cfg, ranging: techs[k].ranging, map, rows: sample }] : [];
  });
}

/** The log's device offset from the technology's map, as the log tells it (map-drift.ts). */
export function mapOffset({ tech, site, cfg, ranging, map, rows }: OffsetTask, layout = siteLayout(site)): MapDeviceOffset | undefined {
  return mapDeviceOffset(localizeModel(layout, ranging, cfg.localize, { map }), map, rows, tech, { self: cfg.selfCalibrate, ...cfg.ingest }, LOCALIZERS[cfg.localize.method]);
}

/** A technology's device offset from its map, undefined when the log's epochs told none. */
type TechOffset = readonly [Tech, MapDeviceOffset | undefined];

/** The run's calibration from the technologies' fits (in `present` order) and the device offsets from their maps. */
function calibrationEnd(
  { site, devices, cfg, inputs, ranging: before, fits, present, offAir }: CalibrationStart, survey: SurveyRadioMaps, techs: readonly TechResult[], offsets: readonly TechOffset[],
  rows: Partial<Record<Tech, ObservationBatch>>,
): Calibration {
  const ranging = { ...before };
  const apGainDb: (Float32Array | undefined)[] = TECHS.map(() => undefined);
  const sources: Partial<Record<Tech, TechCalibration>> = {};
  present.forEach((tech, k) => {
    ranging[tech] = techs[k].ranging;
    apGainDb[TECHS.indexOf(tech)] = techs[k].apGainDb;
    sources[tech] = techs[k].source;
  });
  const maps = techRadioMaps(site, survey);
  for (const [tech, own] of offsets) {
    const prior = own && withBandMisfit(tech, own, offsets);
    if (!prior) continue;
    const t = TECHS.indexOf(tech);
    const { moved, ...floor } = maps[t]!.radiusFloor;
    const R = prior.misfitRatio, widen = R === undefined || !moved ? undefined : movedFactor(moved, prior.misfitRatioByAps ?? APS_FROM.map(() => null));
    // Never below 1: a log fits the full map better than the survey's points fit the maps rebuilt without them (error-model.ts).
    const radiusFloor = R === undefined ? floor : { ...floor, logMisfitRatio: Math.max(R, 1), ...(widen ? { movedFactor: widen.factor } : {}) };
    maps[t] = { ...maps[t]!, deviceOffset: { meanDb: prior.meanDb, sdDb: prior.sdDb }, radiusFloor };
    sources[tech] = { ...sources[tech]!, mapDeviceOffset: widen ? { ...prior, movedSigmaDb: widen.biasSigmaDb, movedFactor: widen.factor } : prior };
  }
  const surveyed = inputs.survey !== undefined || inputs.radioMaps !== undefined;
  for (const tech of present) {
    const t = TECHS.indexOf(tech), spread = maps[t] && rows[tech] ? readingSpreadDb(rows[tech]!, cfg.ingest.epochMs) : null;
    if (readsMap(cfg.localize.method) && !maps[t]) {
      sources[tech] = { ...sources[tech]!, noMap: `${cfg.localize.method} reads a survey map and ${surveyed ? `the survey holds too few ${bandOf(tech)} readings or points for one (4 at least: a quarter is left out to check it)` : 'no site survey was given'}` };
    }
    if (maps[t]?.slow) sources[tech] = { ...sources[tech]!, slowSigmaDb: maps[t]!.slow!.sigmaDb };
    const gone = offAir[SURVEY_BANDS.indexOf(bandOf(tech))];
    if (gone?.left) sources[tech] = { ...sources[tech]!, surveyOffAir: gone };
    const wallScale = survey.fits[bandOf(tech)]?.wallScale;
    if (maps[t] && wallScale !== undefined && wallScale !== 1) sources[tech] = { ...sources[tech]!, mapWallScale: wallScale };
    if (spread !== null) {
      maps[t] = { ...maps[t]!, stayReadingSigmaDb: spread };
      sources[tech] = { ...sources[tech]!, stayReadingSigmaDb: spread };
    }
  }
  return { fits, survey, sources, data: { site, devices, cfg, ranging, apGainDb, maps } };
}

/**
 * The tech's offset prior with R, the log's misfit over the survey's
 * (map-drift.ts). A tech whose sampled fixes leave no degrees of freedom
 * (connected phones: three held APs a fix) tells no R of its own; the world
 * its band's map was surveyed in has moved alike for every device on the
 * band, so it takes the median R of the band's other techs that tell one
 * (the realistic office's connected Wi-Fi: its probing phones' 2.2), of all
 * their fixes and per class of APs used.
 */
function withBandMisfit(tech: Tech, own: MapDeviceOffset, offsets: readonly TechOffset[]): MapDeviceOffset {
  if (own.misfitRatio !== undefined) return own;
  const others = offsets.filter(([o, p]) => o !== tech && bandOf(o) === bandOf(tech) && p?.misfitRatio !== undefined);
  if (others.length === 0) return own;
  const misfitRatioByAps = APS_FROM.map((_, c) => {
    const told = others.flatMap(([, p]) => p!.misfitRatioByAps?.[c] ?? []);
    return told.length ? median(told) : null;
  });
  return { ...own, misfitRatio: median(others.map(([, p]) => p!.misfitRatio!)), misfitRatioByAps, misfitRatioFrom: others.map(([o]) => o) };
}

/** The self-fitted model; its residual on the log as its spread when sigmaFromFit. */
const fromSelf = (m: RangingModel, self: SelfFit, sigmaFromFit: boolean): RangingModel =>
  ({ ...m, refRssiDbmAt1m: self.refRssiDbmAt1m, pathLossExponent: self.pathLossExponent, ...(sigmaFromFit ? { sigmaDb: self.residualSigmaDb } : {}) });

const modelOf = (m: RangingModel): { refRssiDbmAt1m: number; pathLossExponent: number } => ({ refRssiDbmAt1m: m.refRssiDbmAt1m, pathLossExponent: m.pathLossExponent });

function described(source: CalibrationSource, model: RangingModel, residualDb?: number, samples?: number): TechCalibration {
  return { source, refRssiDbmAt1m: model.refRssiDbmAt1m, pathLossExponent: model.pathLossExponent, ...(residualDb === undefined ? {} : { residualDb, samples }) };
}

/** Root mean square of the non-zero entries (APs the fit saw). */
function rms(values: Float32Array): number {
  let ss = 0, n = 0;
  for (const v of values) if (v !== 0) {
    ss += v * v;
    n++;
  }
  return n ? Math.sqrt(ss / n) : 0;
}
