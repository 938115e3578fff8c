// The survey radio map: per band, the path gain (RSSI − transmit power, dB)
// every AP would see from each cell of a fine grid over each floor.
//   1. A log-distance line through every surveyed (point, AP) mean, walls of
//      the site map taken off (fitLogDistance): the model part.
//   2. What the model misses at the surveyed points (the site's static
//      shadowing, plus the model's own error), per AP, kriged onto the grid
//      (engine/calibrate/kriging.ts): exact near survey points, back to the
//      model farther than about a range from every one (survey.correlationM,
//      or fitted to the residuals' variogram: engine/calibrate/variogram.ts).
//   3. With localize.map.mapVariance, how well the map knows each cell: its
//      APs' mean kriging variance there (cellVarDb2), which the map localizer
//      adds to the readings' (map.ts).
// Each point mean is first taken down by what censoring at the sensitivity
// adds to a weak link's mean (engine/calibrate/censoring.ts).
// The reference device's unknown gain lands in the intercept; localizers
// match RSSI up to a common offset, so it cancels.
// Kriging runs per block of the grid with the survey points within
// survey.neighbourhoodM of it, so its cost grows with the floor area, not
// with its cube.
import { heightDiff2, modelGainDb, type SiteLayout } from '../localize/layout.ts';
import type { TechRadioMap } from '../localize/types.ts';
import { bandOf, TECHS, type Band, type Site } from '../contract/site.ts';
import { SURVEY_BANDS, type SurveyBatch } from '../contract/survey.ts';
import { wallLossDb } from '../site-map/wall-loss.ts';
import { zoneLocator } from '../site-map/zone-locator.ts';
import { fitLogDistance, type BandFit } from './ap-beacons.ts';
import { shrunkApGains } from './ap-gains.ts';
import { uncensoredMeanDbm } from './censoring.ts';
import { kernels, krige, type Kernels } from './kriging.ts';
import type { RadioMap, WalkableBlocks } from './radio-map.ts';
import { fitVariogram } from './variogram.ts';
import { HOLD_OUT_EVERY, heldOutFolds, movedRungs, radiusFloor, surveyRows, type LeftOutFold, type MapHandicap } from './map-radius.ts';
import type { SlowSpread } from './reading-spread.ts';
import type { RadiusFloor } from '../localize/error-model.ts';
import { LOCALIZERS, readsMap, type LocalizeSettings } from '../localize/index.ts';
import { surveyFingerprints } from '../localize/survey-knn.ts';
import type { Fusion } from '../localize/types.ts';
import { fusionWeights } from './fusion-weights.ts';
import { above, between, flag, whole, type Settings } from '../settings/rules.ts';
import type { CalibrateSettings } from './ap-beacons.ts';
import type { RangingModel, RangingSettings } from './ranging.ts';

export interface SurveyMapSettings {
  /** Build a radio map from a site survey when the input has one. */
  fromSurvey: boolean;
  /** Map grid spacing, metres: the finest position the map localizer resolves (memory grows with its inverse square). */
  gridM: number;
  /**
   * Distance over which the model's misfit (the site's shadowing) stays
   * alike, metres: the kriging covariance range (the prior when fitCorrelation).
   * Indoor shadowing decorrelates over a few metres.
   */
  correlationM: number;
  /**
   * The map localizer searches blocks of coarseStep × coarseStep cells first
   * (one cell each), then every cell of the blocks around the likely ones.
   */
  coarseStep: number;
  /** Kriging works block by block, blocks this wide, metres ... */
  blockM: number;
  /** ... each with the survey points within this distance of it (beyond two ranges a point adds nothing), metres. */
  neighbourhoodM: number;
  /**
   * Take each surveyed (point, AP) mean down by what censoring at the
   * receiver's sensitivity (the survey's weakest reading) adds to it, read
   * from its level (engine/calibrate/censoring.ts; its effect on the map:
   * test/survey-fit.test.ts; on real logs, off: bench/results/map-settings.md).
   */
  censorCorrect: boolean;
  /** A censoring correction never goes past what this hearing share implies (near the sensitivity the heard mean no longer tells the link's). */
  censorMinShare: number;
  /**
   * Fit the kriging range per band to the survey's own variogram
   * (engine/calibrate/variogram.ts), correlationM the prior and the scale of
   * the lags fitted. Off, on real logs: bench/results/map-settings.md.
   */
  fitCorrelation: boolean;
  /**
   * Fit a step for links behind a wall (beyond the walls' own losses: deeper
   * fading lowers their mean in dB) into the map's model part, so kriging
   * does not smear it across walls.
   */
  fitWallStep: boolean;
  /**
   * Fit one factor on the site map's wall losses with the survey's line (the
   * factor whose line leaves the least robust spread, 0-3): a map's walls
   * carry nominal losses per material, and a real wall, shelf or pillar may
   * lose far less or more than its material's figure. Off: the site's losses
   * as given.
   */
  fitWallScale: boolean;
  /**
   * Rebuild the map without a quarter of the survey points and locate them on
   * it with the configured localizer, for its radius calibration (a floor
   * or a scale by evidence, engine/calibrate/map-radius.ts): what its own
   * spread misses or overstates where the model is off. Doubles the map's build time.
   */
  fitRadiusFloor: boolean;
  /**
   * In a batch run, radii read where the log's world stands: the left-out
   * points are also located with their readings moved by a bias of rising
   * sd (engine/calibrate/map-radius.ts movedRungs), and the log's misfit
   * picks the factor its radii need from them (engine/pipeline/calibration.ts);
   * off: every radius widened by √R alone (error-model.ts).
   */
  radiusFromLogMisfit: boolean;
  /**
   * In a batch run, an AP no report of a band in the log hears is taken to be
   * off the air since the survey and leaves that band's survey
   * (engine/calibrate/survey-on-air.ts).
   */
  onAirFromLog: boolean;
  /**
   * Fit each AP's own gain with the survey's line (the AP's mean residual,
   * shrunk by the gains' spread the survey reads: engine/calibrate/ap-gains.ts),
   * in the ranging the localizers that range use and in the map's model part:
   * an AP heard weakly everywhere (another power, another floor, placed where
   * it is heard best) keeps its own level instead of bending the line.
   */
  apGains: boolean;
}

export const SURVEY_MAP_SETTINGS: Settings<SurveyMapSettings> = {
  defaults: { fromSurvey: true, gridM: 0.5, coarseStep: 4, correlationM: 3, blockM: 3, neighbourhoodM: 4.5, censorCorrect: true, censorMinShare: 0.1, fitCorrelation: true, fitWallStep: true, fitWallScale: true, fitRadiusFloor: true, radiusFromLogMisfit: true, onAirFromLog: true, apGains: true },
  rules: {
    fromSurvey: flag, gridM: between(0.1, 10), coarseStep: whole(1, 64), correlationM: above(0, 100), blockM: above(0, 100), neighbourhoodM: above(0, 100),
    censorCorrect: flag, censorMinShare: above(0, 1), fitCorrelation: flag, fitWallStep: flag, fitWallScale: flag, fitRadiusFloor: flag, radiusFromLogMisfit: flag, onAirFromLog: flag, apGains: flag,
  },
};

/** What the survey map reads from the settings. */
export interface SurveyMapInputs {
  survey: SurveyMapSettings;
  calibrate: CalibrateSettings;
  ranging: RangingSettings;
  localize: LocalizeSettings;
  /**
   * The ranging the band's devices range with given the survey's path-loss fit
   * (the run's calibration order: engine/pipeline/calibration.ts), for the
   * radius calibration of a localizer that ranges; absent: `ranging` as it is.
   */
  surveyRanging?: (band: Band, fit: BandFit, apGainDb?: Float32Array) => SurveyRanging;
}

/** The ranging a band's devices range with given the survey's fit, and its APs' gains where the survey's own line ranges. */
export interface SurveyRanging {
  ranging: RangingModel;
  apGainDb?: Float32Array;
}

export interface SurveyFit extends BandFit {
  /** Spread of one reading around its point's mean (fading), dB. */
  readingSigmaDb: number;
  /** Spread of the point means around the model: what the kriged map adds, dB. */
  mapResidualSigmaDb: number;
  /** Kriging range used, metres (fitted to the survey's variogram when survey.fitCorrelation). */
  correlationM: number;
  /** What links behind a wall lose beyond the walls' own loss, dB (survey.fitWallStep; 0 when off). */
  wallStepDb: number;
  /** The factor on the site map's wall losses the map's model part was fitted with (survey.fitWallScale; 1 when off or when no surveyed link crosses a wall). */
  wallScale: number;
  points: number;
  /**
   * The configured localizer's radius calibration by reports per AP (a scale
   * on its own radius, a floor in metres added in quadrature): the survey's
   * own mismatch, from points left out of a rebuilt map
   * (engine/calibrate/map-radius.ts, engine/localize/error-model.ts); none when survey.fitRadiusFloor is off.
   */
  radiusFloor: RadiusFloor;
  /** The fused localizer's points and weights (engine/calibrate/fusion-weights.ts): only when it is the configured localizer and the survey tells its weights. */
  fusion?: Fusion;
  /** The log's slow spread the radius calibration and the fixes weigh readings with (TechRadioMap.slow); absent: none. */
  slow?: SlowSpread;
}

/** The map's model part: the line fitted with the site's wall losses times wallScale. */
interface MapLine extends BandFit {
  wallScale: number;

}

/** The factors on the site's wall losses survey.fitWallScale tries (1, as given, is the start: a factor must beat it). */
const WALL_SCALES = Array.from({ length: 31 }, (_, i) => i / 10);

/** Fitted kriging ranges are sought from this, metres, up to this many configured ranges (which is also the longest lag fitted). */
const MIN_RANGE_M = 1;
const MAX_LAG_RANGES = 2.5;

/** The variance of rounding a reading to whole dBm, dB²: the least spread a reading carries. */
const DBM_QUANTUM_DB2 = 1 / 12;

/** A min-variance floor for the kriging sill, dB²: a survey that matches the model exactly still gets a little freedom. */
const MIN_SILL_DB2 = 0.25;

export interface SurveyRadioMaps {
  maps: Partial<Record<Band, RadioMap>>;
  fits: Partial<Record<Band, SurveyFit>>;
}

/**
 * One map per band the survey covers (at least minLinks heard (point, AP)
 * pairs), with the radius floor its fixes need beyond their posterior
 * spread (survey.fitRadiusFloor: a map rebuilt without a quarter of the
 * points locates them, engine/calibrate/map-radius.ts).
 */
export function surveyRadioMaps(site: Site, layout: SiteLayout, survey: SurveyBatch, engine: SurveyMapInputs): SurveyRadioMaps {
  return radioMapsOf(SURVEY_BANDS.map((_, b) => surveyBandMap(site, layout, survey, b, engine)));
}

/** The maps and fits of surveyBandMap's results, one per band in SURVEY_BANDS order. */
export function radioMapsOf(bands: readonly (SurveyBandMap | undefined)[]): SurveyRadioMaps {
  const maps: Partial<Record<Band, RadioMap>> = {};
  const fits: Partial<Record<Band, SurveyFit>> = {};
  bands.forEach((built, b) => {
    if (!built) return;
    maps[SURVEY_BANDS[b]] = built.map;
    fits[SURVEY_BANDS[b]] = built.fit;
  });
  return { maps, fits };
}

export interface SurveyBandMap {
  map: RadioMap;
  fit: SurveyFit;
}

/**
 * The map of one band (index into SURVEY_BANDS), with its radius floor (and,
 * `forLog`: a batch run that reads the log's misfit, its moved calibrations; those and the fused localizer's
 * fingerprints read `onAir`, the survey without the APs the log never hears); undefined when the survey holds fewer than
 * minLinks of its links. Bands are independent: the batch engine builds them side by side on its pool.
 */
export function surveyBandMap(site: Site, layout: SiteLayout, survey: SurveyBatch, b: number, engine: SurveyMapInputs, slow?: SlowSpread, forLog = false, onAir = survey): SurveyBandMap | undefined {
  const band = SURVEY_BANDS[b];
  // A map no point can be left out of is never checked (its radii, its fused weights): a survey of one spot made
  // the real Wi-Fi months' fixes worse than none (3.0 → 4.3 m).
  if (surveyedPoints(survey, b, engine.survey.gridM) < HOLD_OUT_EVERY) return undefined;
  const method = engine.localize.method, fuse = method === 'fused';
  // The radius calibration and the fused localizer's weights read how well each map knows where it is read (map-radius.ts MapHandicap).
  const varied = readsMap(method) ? { ...engine, localize: { ...engine.localize, map: { ...engine.localize.map, mapVariance: true } } } : engine;
  const built = bandMap(site, layout, survey, b, varied);
  if (!built) return undefined;
  let floor: RadiusFloor = { reports: [], floorM: [] };
  let fusion: Fusion | undefined;
  if (engine.survey.fitRadiusFloor || fuse) {
    const cellM = engine.survey.gridM;
    // Calibrated on the APs still on the air: the log's fixes hear no other (onAir, engine/calibrate/survey-on-air.ts).
    const cellKey = (i: number): string => `${onAir.floor[i]}:${Math.floor(onAir.x[i] / cellM)}:${Math.floor(onAir.y[i] / cellM)}`;
    // A localizer that reads the map reads the surveyed points, so a quarter are left out of a rebuilt map (each
    // quarter in turn on a small survey); the others never read the map: every point is located (four times the fixes,
    // the calibration's spread halved).
    const folds = readsMap(method) ? heldOutFolds(onAir, b, cellKey) : [new Uint8Array(onAir.length).fill(1)];
    const leftOuts: LeftOutFold[] = [];
    for (const left of folds) {
      const rest = readsMap(method) ? bandMap(site, layout, surveyRows(onAir, left, 0), b, varied) : built;
      if (!rest) continue;
      const { ranging, apGainDb } = engine.surveyRanging?.(band, rest.fit, rest.apGainDb) ?? { ranging: engine.ranging[band === 'wifi' ? 'wifi' : 'ble-badge'] };
      const leftRows = surveyRows(onAir, left, 1), aps = layout.apX.length;
      const noise = { readingSigmaDb: rest.fit.readingSigmaDb, ...(slow ? { slow } : {}) };
      const kept = fuse ? surveyFingerprints(surveyRows(onAir, left, 0), b, aps, cellM, rest.fit.readingSigmaDb) : null;
      const handicap = readsMap(method) ? mapHandicap(built.map, rest.map, leftRows, b, layout) : undefined;
      rest.map = asConfigured(rest.map, engine);
      // The fused localizer's weights are read off the first fold's points.
      const evidence = leftOuts.length === 0 ? (kept && handicap ? fusionWeights(rest.map, kept, noise, leftRows, b, layout, ranging, engine.localize, handicap) : null) : (fusion ?? null);
      if (leftOuts.length === 0) {
        const points = evidence ? surveyFingerprints(onAir, b, aps, cellM, built.fit.readingSigmaDb) : null;
        if (evidence && points) fusion = { points, ...evidence };
      }
      // The fused localizer's radius is calibrated on its own fixes of the left-out points (its weights read off the first fold's).
      leftOuts.push({ map: { grid: rest.map, noise, layout, ranging, ...(apGainDb ? { apGainDb } : {}), localize: engine.localize, ...(handicap ? { handicap } : {}), ...(kept && evidence ? { fusion: { ...evidence, points: kept } } : {}) }, left: leftRows });
    }
    if (leftOuts.length > 0) {
      if (engine.survey.fitRadiusFloor) floor = radiusFloor(LOCALIZERS[method], readsMap(method), leftOuts, b);
      // With a log to read its misfit on, what a world moved since the survey does to the radii.
      if (forLog && floor.misfit) floor = { ...floor, moved: movedRungs(LOCALIZERS[method], floor, leftOuts, b) };
    }
  }
  return { map: asConfigured(built.map, engine), fit: { ...built.fit, radiusFloor: floor, ...(fusion ? { fusion } : {}), ...(slow ? { slow } : {}) } };
}

/** How many points (grid cells of cellM on a floor) the band's survey rows stand at. */
function surveyedPoints(survey: SurveyBatch, b: number, cellM: number): number {
  const points = new Set<string>();
  for (let i = 0; i < survey.length; i++) if (survey.band[i] === b) points.add(`${survey.floor[i]}:${Math.floor(survey.x[i] / cellM)}:${Math.floor(survey.y[i] / cellM)}`);
  return points.size;
}

/** The map without its cells' variance unless the map localizer weighs it (localize.map.mapVariance). */
function asConfigured(map: RadioMap, engine: SurveyMapInputs): RadioMap {
  if (engine.localize.map.mapVariance || map.cellVarDb2 === undefined) return map;
  const { cellVarDb2: _, ...plain } = map;
  return plain;
}

/** The full map's mean variance over its walkable cells and the rebuilt map's at band b's rows of `left`. */
function mapHandicap(full: RadioMap, rebuilt: RadioMap, left: SurveyBatch, b: number, layout: SiteLayout): MapHandicap {
  let inUse = 0, cells = 0;
  full.walkable.forEach((w, f) => {
    for (const c of w.cells) inUse += full.cellVarDb2![f][c];
    cells += w.cells.length;
  });
  let leftOut = 0, rows = 0;
  for (let i = 0; i < left.length; i++) {
    const f = layout.floorId.indexOf(left.floor[i]);
    if (left.band[i] !== b || f < 0) continue;
    const at = (v: number, n: number): number => Math.min(Math.max(Math.floor(v / rebuilt.cellM), 0), n - 1);
    leftOut += rebuilt.cellVarDb2![f][at(left.y[i], rebuilt.ny[f]) * rebuilt.nx[f] + at(left.x[i], rebuilt.nx[f])];
    rows++;
  }
  return { inUseDb2: inUse / Math.max(cells, 1), leftOutDb2: leftOut / Math.max(rows, 1) };
}

/**
 * The band's log-distance line through its surveyed links with the site's
 * wall losses as given (the survey's ranging), without the map: cheap, so the batch
 * engine fits the log against it while the maps are built. undefined: fewer than minLinks links.
 */
export function surveyLine(layout: SiteLayout, survey: SurveyBatch, b: number, engine: SurveyMapInputs): SurveyLine | undefined {
  return bandLine(layout, survey, b, engine)?.fit;
}

/** The survey's line with its APs' own gains (SurveyMapSettings.apGains), what the localizers that range read. */
export type SurveyLine = BandFit & { apGainDb?: Float32Array };

/** Line and gains refitted in turn: the line moves by a fraction of a dB after this many. */
const GAIN_ROUNDS = 3;

function bandLine(layout: SiteLayout, survey: SurveyBatch, b: number, engine: SurveyMapInputs): { links: PointLink[]; meanDbm: number[]; wallDb: number[]; fit: SurveyLine; mapLine: MapLine } | undefined {
  const cfg = engine.survey;
  const band = SURVEY_BANDS[b];
  const floorIdx = new Map(Array.from(layout.floorId, (id, i) => [id, i]));
  const dh2 = heightDiff2(layout, engine.localize);
  const dist3 = (ap: number, x: number, y: number): number =>
    Math.max(Math.sqrt((x - layout.apX[ap]) ** 2 + (y - layout.apY[ap]) ** 2 + dh2[ap]), 0.5);
  const links = pointMeans(survey, b, floorIdx, layout, cfg.gridM);
  if (links.length < engine.calibrate.minLinks) return undefined;
  // Ten-odd readings per point tell a link's hearing share too coarsely: its censoring is read from its level instead.
  const sensitivityDbm = weakestReading(survey, b);
  const meanDbm = links.map((l) => (cfg.censorCorrect ? uncensoredMeanDbm(l.meanDbm, sensitivityDbm, cfg.censorMinShare) : l.meanDbm));
  const logD = links.map((l) => Math.log10(dist3(l.ap, l.x, l.y)));
  const wallDb = links.map((l) => wallLossDb(layout.floorWalls[l.floor], layout.apX[l.ap], layout.apY[l.ap], l.x, l.y));
  const priorN = engine.ranging[band === 'wifi' ? 'wifi' : 'ble-badge'].pathLossExponent;
  const aps = layout.apX.length;
  // The loss a link reads is the line's less its AP's gain: loss + gain is fitted as the line.
  const lineAt = (wallScale: number, gain?: Float32Array): BandFit => fitLogDistance(logD, links.map((l, i) => -meanDbm[i] - wallScale * wallDb[i] + (gain ? gain[l.ap] : 0)), engine.calibrate, priorN);
  /** The ranging's line (the site's wall losses as given) and its APs' gains, fitted in turn (gains centred over the links: the intercept holds their mean). */
  const rangingLine = (): SurveyLine => {
    const gain = new Float32Array(aps);
    let fit = lineAt(1);
    if (!cfg.apGains) return fit;
    for (let round = 0; round < GAIN_ROUNDS; round++) {
      const sum = new Float64Array(aps), weight = new Float64Array(aps);
      links.forEach((l, i) => {
        sum[l.ap] += meanDbm[i] + wallDb[i] + fit.lossAt1mDb + fit.pathLossExponent * 10 * logD[i];
        weight[l.ap]++;
      });
      if (!shrunkApGains(sum, weight, fit.residualSigmaDb, 0, gain)) break;
      const mean = links.reduce((t, l) => t + gain[l.ap], 0) / links.length;
      for (let a = 0; a < aps; a++) if (weight[a] > 0) gain[a] -= mean;
      fit = lineAt(1, gain);
    }
    return { ...fit, apGainDb: gain };
  };
  const fit = lineAt(1);
  let mapLine: MapLine = { ...fit, wallScale: 1 };
  if (cfg.fitWallScale && wallDb.some((w) => w > 0)) {
    for (const wallScale of WALL_SCALES) {
      const f = lineAt(wallScale);
      if (f.residualSigmaDb < mapLine.residualSigmaDb) mapLine = { ...f, wallScale };
    }
  }
  return { links, meanDbm, wallDb, fit: rangingLine(), mapLine };
}

function bandMap(site: Site, layout: SiteLayout, survey: SurveyBatch, b: number, engine: SurveyMapInputs): { map: RadioMap; fit: Omit<SurveyFit, 'radiusFloor'>; apGainDb?: Float32Array } | undefined {
  const line = bandLine(layout, survey, b, engine);
  if (!line) return undefined;
  const { links, meanDbm, wallDb, mapLine } = line;
  const { apGainDb, ...fit } = line.fit;
  const cfg = engine.survey;
  const dh2 = heightDiff2(layout, engine.localize);
  const stepModel = (behindWallDb: number) => (f: number, ap: number, x: number, y: number): number => modelGainDb(layout, f, ap, x, y, dh2[ap], -mapLine.lossAt1mDb, mapLine.pathLossExponent, behindWallDb, mapLine.wallScale);
  const lineModel = stepModel(0);
  const wallStepDb = cfg.fitWallStep ? wallStep(links.map((l, i) => meanDbm[i] - lineModel(l.floor, l.ap, l.x, l.y)), wallDb) : 0;
  // The wall step rides on the model's own wall test: one wall-loss walk per cell and AP.
  const model = stepModel(wallStepDb);
  // Pooled within-point variance of single readings: the fading the point means still carry.
  let ss = 0, dof = 0;
  for (const l of links) {
    ss += l.sumSq - (l.meanDbm * l.meanDbm) * l.n;
    dof += l.n - 1;
  }
  const residual = links.map((l, i) => meanDbm[i] - model(l.floor, l.ap, l.x, l.y));
  // The kriging range from the survey's own variogram (bands differ), the neighbourhood scaled alike.
  const variogram = cfg.fitCorrelation || dof === 0
    ? fitVariogram(links.map((l, i) => ({ group: l.floor * layout.apX.length + l.ap, x: l.x, y: l.y, residualDb: residual[i] })), MAX_LAG_RANGES * cfg.correlationM, MIN_RANGE_M, MAX_LAG_RANGES * cfg.correlationM, cfg.correlationM)
    : undefined;
  const correlationM = cfg.fitCorrelation ? variogram!.rangeM : cfg.correlationM;
  // A survey of one reading per AP a point cannot tell its fading from the field: there the variogram's nugget
  // stands for it, or kriging would pass through every single reading's fading (a 3 m grid of one scan a
  // point in 5 dB of fading: the map's fixes 3.3-4.0 m against 1.4-2.0 m from the model's map, `knn`).
  const unrepeated = dof === 0 && Number.isFinite(variogram?.nuggetDb2) ? variogram!.nuggetDb2 : 0;
  // Never below what whole-dBm reports carry (±0.5 dB, 1/12 dB²): readings that never vary (a constant log) would leave
  // kriging no nugget, and its solve blows up between close points.
  const readingVar = Math.max(dof > 0 ? ss / dof : unrepeated, DBM_QUANTUM_DB2);
  const krigeCfg = { ...cfg, correlationM, neighbourhoodM: (cfg.neighbourhoodM * correlationM) / cfg.correlationM };
  const map: RadioMap = { cellM: cfg.gridM, nx: new Int32Array(layout.floorId.length), ny: new Int32Array(layout.floorId.length), gainDb: [], walkable: [] };
  // The map's own variance at each cell, for the map localizer when it weighs it (localize.map.mapVariance).
  const variance = engine.localize.map.mapVariance;
  if (variance) map.cellVarDb2 = [];
  const aps = layout.apX.length;
  let residualSs = 0;
  for (let f = 0; f < layout.floorId.length; f++) {
    const nx = Math.max(1, Math.ceil(layout.floorWidthM[f] / cfg.gridM)), ny = Math.max(1, Math.ceil(layout.floorHeightM[f] / cfg.gridM));
    map.nx[f] = nx;
    map.ny[f] = ny;
    const gain = new Float32Array(nx * ny * aps);
    const apVar = variance ? new Float64Array(nx * ny) : undefined, cellVar = variance ? new Float64Array(nx * ny) : undefined;
    let mapped = 0;
    const kernelsByBlock = new Map<number, Kernels>();
    for (let ap = 0; ap < aps; ap++) {
      if (layout.apFloorIdx[ap] !== f) continue;
      const mine = links.flatMap((l, i) => (l.floor === f && l.ap === ap ? [i] : []));
      const ss = mine.reduce((s, i) => s + residual[i] ** 2, 0);
      // The residuals' spread less the fading their point means still carry: the field's own variance.
      const noise = mine.reduce((t, i) => t + readingVar / links[i].n, 0) / Math.max(mine.length, 1);
      const sill = Math.max(ss / Math.max(mine.length, 1) - noise, MIN_SILL_DB2);
      residualSs += ss;
      apVar?.fill(sill);
      const kriged = krigeBlocks(mine.map((i) => links[i]), mine.map((i) => residual[i]), readingVar, sill, nx, ny, krigeCfg, kernelsByBlock, apVar);
      for (let j = 0, c = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++, c++) gain[c * aps + ap] = model(f, ap, (i + 0.5) * cfg.gridM, (j + 0.5) * cfg.gridM) + kriged[c];
      }
      // The cell's variance is its surveyed APs' mean (an AP no point heard has the model alone, nothing kriged).
      if (apVar && cellVar && mine.length > 0) {
        mapped++;
        for (let c = 0; c < apVar.length; c++) cellVar[c] += apVar[c];
      }
    }
    map.gainDb.push(gain);
    if (cellVar) map.cellVarDb2!.push(Float32Array.from(cellVar, (v) => v / Math.max(mapped, 1)));
    map.walkable.push(walkableBlocks(site, layout.floorId[f], nx, ny, cfg.gridM, cfg.coarseStep));
  }
  return {
    map,
    ...(apGainDb ? { apGainDb } : {}),
    fit: {
      ...fit, readingSigmaDb: Math.sqrt(readingVar), correlationM, wallStepDb, wallScale: mapLine.wallScale, mapResidualSigmaDb: Math.sqrt(residualSs / links.length),
      points: new Set(links.map((l) => `${l.floor}:${l.x}:${l.y}`)).size,
    },
  };
}

interface PointLink {
  floor: number;
  x: number;
  y: number;
  ap: number;
  meanDbm: number;
  sumSq: number;
  n: number;
  /** Sums of the readings' positions, when readings from more than one point share the link's map cell (else x, y as surveyed). */
  sx: number;
  sy: number;
  merged: boolean;
}

/**
 * Mean RSSI per (surveyed point, AP on the point's floor) of one band, in
 * first-reading order. Points in one cell of the map grid are one point (at
 * their readings' mean position): a survey walked continuously (a robot, a
 * walk logged at 5 Hz) has a new point every reading, and kriging's cost grows
 * with the cube of the points near a block while the map cannot resolve them.
 */
function pointMeans(survey: SurveyBatch, band: number, floorIdx: Map<number, number>, layout: SiteLayout, cellM: number): PointLink[] {
  // Each point's links by AP index; a survey lists a point's readings together, so its key is only built when the point changes.
  const byPoint = new Map<string, (PointLink | undefined)[]>();
  let pointLinks: (PointLink | undefined)[] = [];
  let lastFloor = NaN, lastX = NaN, lastY = NaN;
  const links: PointLink[] = [];
  for (let i = 0; i < survey.length; i++) {
    if (survey.band[i] !== band) continue;
    const f = floorIdx.get(survey.floor[i]);
    const ap = survey.apIdx[i];
    if (f === undefined || layout.apFloorIdx[ap] !== f) continue;
    if (survey.floor[i] !== lastFloor || survey.x[i] !== lastX || survey.y[i] !== lastY) {
      lastFloor = survey.floor[i];
      lastX = survey.x[i];
      lastY = survey.y[i];
      const key = `${f}:${Math.floor(lastX / cellM)}:${Math.floor(lastY / cellM)}`;
      pointLinks = byPoint.get(key) ?? [];
      byPoint.set(key, pointLinks);
    }
    let l = pointLinks[ap];
    if (!l) links.push((pointLinks[ap] = l = { floor: f, x: survey.x[i], y: survey.y[i], ap, meanDbm: 0, sumSq: 0, n: 0, sx: 0, sy: 0, merged: false }));
    l.meanDbm += survey.rssiDbm[i];
    l.sumSq += survey.rssiDbm[i] ** 2;
    l.sx += survey.x[i];
    l.sy += survey.y[i];
    if (survey.x[i] !== l.x || survey.y[i] !== l.y) l.merged = true;
    l.n++;
  }
  for (const l of links) {
    l.meanDbm /= l.n;
    if (l.merged) {
      l.x = l.sx / l.n;
      l.y = l.sy / l.n;
    }
  }
  return links;
}

/**
 * Mean residual of the links behind a wall less that of the links in the
 * clear: a step the walls' own losses miss (a link behind a wall fades deeper,
 * Rayleigh rather than Rician, and its mean in dB sits lower), which kriging
 * would otherwise smear across every wall.
 */
function wallStep(lineResidualDb: readonly number[], wallDb: readonly number[]): number {
  const sum = [0, 0], n = [0, 0];
  lineResidualDb.forEach((r, i) => {
    const k = wallDb[i] > 0 ? 1 : 0;
    sum[k] += r;
    n[k]++;
  });
  return n[0] > 0 && n[1] > 0 ? sum[1] / n[1] - sum[0] / n[0] : 0;
}

/** The weakest reading of the band in the survey: the APs' sensitivity, as far as the data tell it. */
/**
 * `inUse` at the survey's own level: its RSSI at 1 m moved by the median of
 * the band's survey readings less what it predicts at their known places
 * (AP gains included, walls not: it ranges without them). A log's own fit
 * sits at the log's level, and a survey read by another phone or at another
 * power (the UJI library's later rows, 13 dB below its earliest) would
 * otherwise calibrate the radii on fixes the log's offset spoils, not on the
 * model's misfit.
 */
export function atSurveyLevel(layout: SiteLayout, survey: SurveyBatch, band: number, localize: LocalizeSettings, inUse: SurveyRanging): SurveyRanging {
  const dh2 = heightDiff2(layout, localize), floorIdx = new Map(Array.from(layout.floorId, (id, i) => [id, i]));
  const { refRssiDbmAt1m: p0, pathLossExponent: n } = inUse.ranging;
  const residual: number[] = [];
  for (let i = 0; i < survey.length; i++) {
    const ap = survey.apIdx[i];
    if (survey.band[i] !== band || layout.apFloorIdx[ap] !== floorIdx.get(survey.floor[i])) continue;
    const d3 = Math.max(Math.sqrt((survey.x[i] - layout.apX[ap]) ** 2 + (survey.y[i] - layout.apY[ap]) ** 2 + dh2[ap]), 0.5);
    residual.push(survey.rssiDbm[i] - (p0 + (inUse.apGainDb ? inUse.apGainDb[ap] : 0) - 10 * n * Math.log10(d3)));
  }
  if (residual.length === 0) return inUse;
  residual.sort((a, b) => a - b);
  return { ...inUse, ranging: { ...inUse.ranging, refRssiDbmAt1m: p0 + residual[residual.length >> 1] } };
}

function weakestReading(survey: SurveyBatch, band: number): number {
  let min = Infinity;
  for (let i = 0; i < survey.length; i++) if (survey.band[i] === band && survey.rssiDbm[i] < min) min = survey.rssiDbm[i];
  return min;
}

/**
 * One AP's residuals kriged onto an nx × ny grid, block by block. `shared`
 * holds each block's kernels from the floor's previous AP: APs that heard the
 * same points near a block (most do) reuse them, as the same numbers.
 */
function krigeBlocks(points: readonly PointLink[], residual: number[], readingVar: number, sill: number, nx: number, ny: number, cfg: SurveyMapSettings, shared: Map<number, Kernels>, outVar?: Float64Array): Float64Array {
  const out = new Float64Array(nx * ny);
  const blockCells = Math.max(1, Math.round(cfg.blockM / cfg.gridM));
  const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => v === b[i]);
  for (let bj = 0; bj < ny; bj += blockCells) {
    for (let bi = 0; bi < nx; bi += blockCells) {
      const i1 = Math.min(bi + blockCells, nx), j1 = Math.min(bj + blockCells, ny);
      const x0 = bi * cfg.gridM - cfg.neighbourhoodM, x1 = i1 * cfg.gridM + cfg.neighbourhoodM;
      const y0 = bj * cfg.gridM - cfg.neighbourhoodM, y1 = j1 * cfg.gridM + cfg.neighbourhoodM;
      const near = points.flatMap((p, k) => (p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1 ? [k] : []));
      if (near.length === 0) continue;
      const qx: number[] = [], qy: number[] = [], cells: number[] = [];
      for (let j = bj; j < j1; j++) for (let i = bi; i < i1; i++) {
        qx.push((i + 0.5) * cfg.gridM);
        qy.push((j + 0.5) * cfg.gridM);
        cells.push(j * nx + i);
      }
      const pred = new Float64Array(cells.length), pv = outVar ? new Float64Array(cells.length) : undefined;
      const px = near.map((k) => points[k].x), py = near.map((k) => points[k].y), block = bj * nx + bi;
      let kern = shared.get(block);
      if (!kern || !same(kern.px, px) || !same(kern.py, py)) shared.set(block, (kern = kernels(px, py, qx, qy, cfg.correlationM)));
      krige(kern, near.map((k) => residual[k]), near.map((k) => readingVar / points[k].n), sill, pred, pv);
      cells.forEach((c, q) => {
        out[c] = pred[q];
        if (outVar) outVar[c] = pv![q];
      });
    }
  }
  return out;
}

/** Cells whose centre lies inside a zone of the floor (every cell when the floor has no zones), by block of step × step cells. */
function walkableBlocks(site: Site, floorId: number, nx: number, ny: number, cellM: number, step: number): WalkableBlocks {
  const zoned = site.zones.some((z) => z.floor === floorId), zoneAt = zoneLocator(site);
  const nbx = Math.ceil(nx / step), nby = Math.ceil(ny / step);
  const rep = new Int32Array(nbx * nby).fill(-1), start = new Uint32Array(nbx * nby + 1);
  const cells: number[] = [];
  for (let bj = 0; bj < nby; bj++) {
    for (let bi = 0; bi < nbx; bi++) {
      const b = bj * nbx + bi;
      start[b] = cells.length;
      const mine: [number, number][] = [];
      for (let j = bj * step; j < Math.min((bj + 1) * step, ny); j++) {
        for (let i = bi * step; i < Math.min((bi + 1) * step, nx); i++) {
          const x = (i + 0.5) * cellM, y = (j + 0.5) * cellM;
          if (zoned && zoneAt(floorId, x, y) < 0) continue;
          mine.push([j * nx + i, (i - (bi + 0.5) * step + 0.5) ** 2 + (j - (bj + 0.5) * step + 0.5) ** 2]);
        }
      }
      mine.sort((p, q) => p[1] - q[1] || p[0] - q[0]);
      if (mine.length > 0) rep[b] = mine[0][0];
      for (const [c] of mine) cells.push(c);
    }
  }
  start[nbx * nby] = cells.length;
  return { step, nbx, rep, start, cells: Uint32Array.from(cells) };
}

/** Each technology's view of its band's map (indexed like TECHS): ble-app phones hear each AP's beacon at its own transmit power. */
export function techRadioMaps(site: Site, survey: SurveyRadioMaps): (TechRadioMap | undefined)[] {
  return TECHS.map((tech) => {
    const grid = survey.maps[bandOf(tech)], fit = survey.fits[bandOf(tech)];
    if (!grid || !fit) return undefined;
    const apOffsetDb = Float32Array.from(site.aps, (ap) => (tech === 'ble-app' ? ap.radios.ble?.txPowerDbm ?? 0 : 0));
    return { grid, apOffsetDb, readingSigmaDb: fit.readingSigmaDb, radiusFloor: fit.radiusFloor, ...(fit.fusion ? { fusion: fit.fusion } : {}), ...(fit.slow ? { slow: fit.slow } : {}) };
  });
}
