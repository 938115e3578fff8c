// The engine's settings, assembled from the stages and methods that own them
// (each declares its settings, defaults and valid values beside its code),
// so a sweep or --set can name any of them by dotted path
// (e.g. contacts.distanceM, track.grid.cellM). How a run is carried out
// (run), the privacy rules (privacy) and the tuning of each stage are
// separate sections; what a run calibrates (ranging fitted to AP beacons,
// a survey or the log itself, the survey's radio maps) is part of its result, never written back here.
// A resolved config is plain JSON: a run folder records it as config.json.
import { InputError } from './contract/input-error.ts';
import type { PrivacyRules } from './contract/privacy.ts';
import { CALIBRATE_SETTINGS, type CalibrateSettings } from './calibrate/ap-beacons.ts';
import { RANGING_SETTINGS, type RangingSettings } from './calibrate/ranging.ts';
import { SELF_FIT_SETTINGS, type SelfFitSettings } from './calibrate/self-fit.ts';
import { SURVEY_MAP_SETTINGS, type SurveyMapSettings } from './calibrate/survey-map.ts';
import { CONTACT_SETTINGS, type ContactSettings } from './contacts/track-contacts.ts';
import { HOT_ZONE_SETTINGS, type HotZoneSettings } from './hotzones/settings.ts';
import { INGEST_SETTINGS, type IngestSettings } from './ingest/epochs.ts';
import { JOURNEY_SETTINGS, type JourneySettings } from './journeys/journeys.ts';
import { LOCALIZE_SETTINGS, type LocalizeSettings } from './localize/index.ts';
import { STAY_SETTINGS, type StaySettings } from './localize/stays.ts';
import { RUN_SETTINGS, type RunSettings } from './pipeline/run-settings.ts';
import { PRIVACY_SETTINGS } from './privacy/settings.ts';
import { PROXIMITY_SETTINGS, type ProximitySettings } from './proximity/exposure-notification.ts';
import { checkRules, parseValue, ruleAt, type RulesOf, type ValueRule } from './settings/rules.ts';
import { TRACK_SETTINGS, type TrackSettings } from './track/index.ts';
import { WALKING_BODY_SETTINGS, type WalkingBodySettings } from './calibrate/walking-body.ts';

export interface EngineConfig {
  /** How the run is carried out (threads, task size): engine/pipeline/run-settings.ts. */
  run: RunSettings;
  /** Retention and per-device-class consent for what the store keeps: engine/contract/privacy.ts. */
  privacy: PrivacyRules;
  /** Epochs: engine/ingest/epochs.ts. */
  ingest: IngestSettings;
  /** Ranging per technology as configured (before any calibration): engine/calibrate/ranging.ts. */
  ranging: RangingSettings;
  /** Ranging fitted to AP-to-AP beacons: engine/calibrate/ap-beacons.ts. */
  calibrate: CalibrateSettings;
  /** The survey radio map: engine/calibrate/survey-map.ts. */
  survey: SurveyMapSettings;
  /** Ranging fitted from the log itself where neither beacons nor a survey fitted it: engine/calibrate/self-fit.ts. */
  selfCalibrate: SelfFitSettings;
  /** Per-epoch fixes, shared settings and each method's: engine/localize/ (index.ts, wls.ts, centroid.ts, knn.ts, map.ts). */
  localize: LocalizeSettings;
  /** Stays fixed from pooled RSSI: engine/localize/stays.ts. */
  stays: StaySettings;
  /** Tracking, shared settings and each tracker's: engine/track/ (index.ts, tracker.ts, kalman.ts, particle.ts, grid-hmm.ts). */
  track: TrackSettings;
  /** The carrier's body by its walking direction, read from the log's tracks, then located again (batch, with a survey map): engine/calibrate/walking-body.ts. */
  walkingBody: WalkingBodySettings;
  /** Proximity contacts from tracks: engine/contacts/track-contacts.ts. */
  contacts: ContactSettings;
  /** Zone visits: engine/journeys/journeys.ts. */
  journeys: JourneySettings;
  /** Hot-zone alerts: engine/hotzones/settings.ts. */
  hotZones: HotZoneSettings;
  /** Phone-to-phone exposure: engine/proximity/exposure-notification.ts. */
  proximity: ProximitySettings;
}

export const DEFAULT_CONFIG: EngineConfig = {
  run: RUN_SETTINGS.defaults,
  privacy: PRIVACY_SETTINGS.defaults,
  ingest: INGEST_SETTINGS.defaults,
  ranging: RANGING_SETTINGS.defaults,
  calibrate: CALIBRATE_SETTINGS.defaults,
  survey: SURVEY_MAP_SETTINGS.defaults,
  selfCalibrate: SELF_FIT_SETTINGS.defaults,
  localize: LOCALIZE_SETTINGS.defaults,
  stays: STAY_SETTINGS.defaults,
  track: TRACK_SETTINGS.defaults,
  walkingBody: WALKING_BODY_SETTINGS.defaults,
  contacts: CONTACT_SETTINGS.defaults,
  journeys: JOURNEY_SETTINGS.defaults,
  hotZones: HOT_ZONE_SETTINGS.defaults,
  proximity: PROXIMITY_SETTINGS.defaults,
};

/** What every setting may be, nested like EngineConfig. */
export const CONFIG_RULES: RulesOf<EngineConfig> = {
  run: RUN_SETTINGS.rules,
  privacy: PRIVACY_SETTINGS.rules,
  ingest: INGEST_SETTINGS.rules,
  ranging: RANGING_SETTINGS.rules,
  calibrate: CALIBRATE_SETTINGS.rules,
  survey: SURVEY_MAP_SETTINGS.rules,
  selfCalibrate: SELF_FIT_SETTINGS.rules,
  localize: LOCALIZE_SETTINGS.rules,
  stays: STAY_SETTINGS.rules,
  track: TRACK_SETTINGS.rules,
  walkingBody: WALKING_BODY_SETTINGS.rules,
  contacts: CONTACT_SETTINGS.rules,
  journeys: JOURNEY_SETTINGS.rules,
  hotZones: HOT_ZONE_SETTINGS.rules,
  proximity: PROXIMITY_SETTINGS.rules,
};

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** A single setting's value, as --set and --param give it. */
export type ConfigValue = number | string | boolean;

/**
 * DEFAULT_CONFIG with `overrides` merged in, nested objects key by key;
 * throws one line naming the first unknown key or value out of its range.
 */
export function resolveConfig(overrides: DeepPartial<EngineConfig> = {}): EngineConfig {
  const cfg = mergeDeep(DEFAULT_CONFIG, overrides);
  checkConfig(cfg);
  return cfg;
}

/** Throws one line naming the first setting of `cfg` that is unknown, missing or not a valid value. */
export function checkConfig(cfg: unknown): asserts cfg is EngineConfig {
  try {
    checkRules(CONFIG_RULES, cfg);
  } catch (err) {
    throw new InputError(withMoved((err as Error).message));
  }
}

/** The setting at dotted `path` read from `text` (`track.grid.cellM`, '1.5'); throws one line naming the key, the value and what is allowed. */
export function parseSetting(path: string, text: string): ConfigValue {
  try {
    return parseValue(CONFIG_RULES, path, text);
  } catch (err) {
    throw new InputError(withMoved((err as Error).message));
  }
}

/** The rule of the setting at dotted `path`; throws one line when there is none. */
export function settingRule(path: string): ValueRule {
  try {
    return ruleAt(CONFIG_RULES, path);
  } catch (err) {
    throw new InputError(withMoved((err as Error).message));
  }
}

/** Overrides that set each dotted path to its value, nested the way resolveConfig merges them. */
export function overridesOf(values: Record<string, ConfigValue>): DeepPartial<EngineConfig> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(values)) {
    const keys = path.split('.');
    let node = out;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]] = value;
  }
  return out as DeepPartial<EngineConfig>;
}

function mergeDeep<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (over === undefined) return structuredClone(base);
  if (typeof base !== 'object' || base === null || Array.isArray(over)) return structuredClone(over) as T;
  const out = structuredClone(base) as Record<string, unknown>;
  for (const [k, v] of Object.entries(over as object)) {
    if (v !== undefined) out[k] = mergeDeep((base as Record<string, unknown>)[k], v);
  }
  return out as T;
}

/**
 * Settings that moved when each method came to own its settings, old path →
 * new: an unknown-key error names the new path, so older scripts and sweeps
 * are easy to fix.
 */
const MOVED: Record<string, string> = {
  workers: 'run.workers', chunkMs: 'run.chunkMs', epochMs: 'ingest.epochMs', localizer: 'localize.method',
  'localize.iterations': 'localize.wls.iterations', 'localize.convergenceM': 'localize.wls.convergenceM',
  'localize.minHorizontalRangeM': 'localize.wls.minHorizontalRangeM', 'localize.errorRadiusScale': 'localize.wls.radiusScale',
  'localize.centroidWeightExponent': 'localize.centroid.weightExponent', 'localize.centroidErrorRadiusM': 'localize.centroid.radiusScale',
  'localize.centroid.errorRadiusM': 'localize.centroid.radiusScale',
  'localize.knnGridM': 'localize.knn.gridM', 'localize.knnK': 'localize.knn.k', 'localize.knnOffsetInvariant': 'localize.knn.offsetInvariant',
  'localize.knnRadiusScale': 'localize.knn.radiusScale', 'localize.mapMaxAps': 'localize.map.maxAps', 'localize.mapErrorSigmaDb': 'localize.map.errorSigmaDb',
  'localize.mapCoarseMarginChi2': 'localize.map.coarseMarginChi2', 'localize.mapPooledMarginChi2': 'localize.map.pooledMarginChi2',
  'localize.mapSharpen': 'localize.map.sharpen', 'localize.mapRadiusScale': 'localize.map.radiusScale',
  'localize.mapCensorMinReports': 'localize.map.censorMinReports', 'localize.stillPoolS': 'stays.poolS',
  'localize.stillPoolChangeChi2': 'stays.changeChi2', 'localize.stayMoveChi2': 'stays.moveChi2', 'localize.stayMinEpochs': 'stays.minEpochs',
  'localize.stayBlipEpochs': 'stays.blipEpochs', 'track.smooth': 'track.kalman.smooth', 'track.accelNoiseM2PerS3': 'track.kalman.accelNoiseM2PerS3',
  'track.stillAccelNoiseM2PerS3': 'track.kalman.stillAccelNoiseM2PerS3', 'track.walkStartChi2': 'track.kalman.walkStartChi2',
  'track.particles': 'track.particle.count', 'track.particleWalkSdMps': 'track.particle.walkSdMps', 'track.particleRedrawShare': 'track.particle.redrawShare',
  'track.gridCellM': 'track.grid.cellM', 'track.gridReachS': 'track.grid.reachS', 'track.gridSupportSigmas': 'track.grid.supportSigmas',
  'track.gridSupportMaxM': 'track.grid.supportMaxM', 'track.gridBeamShare': 'track.grid.beamShare', 'track.gridStillShare': 'track.grid.stillShare',
  'track.walkGridStillShare': 'track.grid.walkStillShare', 'track.gridStillSdM': 'track.grid.stillSdM', 'track.gridWalkSpeedMps': 'track.grid.walkSpeedMps',
  'track.gridWalkSdM': 'track.grid.walkSdM', 'track.gridMinRadiusShare': 'track.minRadiusShare', 'track.grid.minRadiusShare': 'track.minRadiusShare',
};

function withMoved(message: string): string {
  const key = /^unknown config key '([^']+)'$/.exec(message)?.[1];
  return key !== undefined && Object.hasOwn(MOVED, key) ? `${message} (now ${MOVED[key]})` : message;
}
