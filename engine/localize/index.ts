// Localizers by name, as localize.method and sweeps refer to them, and the
// localize settings: those every method shares, then each method's own.
import { MAX_AP_HEIGHT_M, MAX_DEVICE_HEIGHT_M } from '../contract/site-rules.ts';
import { between, oneOf, whole, type Settings } from '../settings/rules.ts';
import { centroid, CENTROID_SETTINGS, type CentroidSettings } from './centroid.ts';
import { fused, FUSED_SETTINGS, type FusedSettings } from './fused.ts';
import type { Localizer, SharedLocalize } from './types.ts';
import { knn, KNN_SETTINGS, type KnnSettings } from './knn.ts';
import { map, MAP_SETTINGS, type MapSettings } from './map.ts';
import { wls, WLS_SETTINGS, type WlsSettings } from './wls.ts';

export const LOCALIZERS = { wls, centroid, knn, map, fused } satisfies Record<string, Localizer<LocalizeTuning>>;
export type LocalizerName = keyof typeof LOCALIZERS;

/** The methods the digital twins (bench/twin) compare, real against simulated: every one shipped (issue #15). */
export const TWIN_LOCALIZERS = Object.keys(LOCALIZERS) as LocalizerName[];

/** The methods that read the survey map (each is WLS without one): the survey's radius calibration leaves points out of a rebuilt map for them. */
export const readsMap = (method: LocalizerName): boolean => method === 'map' || method === 'fused';

/** What the localizers read (the method's name aside). */
export interface LocalizeTuning extends SharedLocalize {
  wls: WlsSettings;
  centroid: CentroidSettings;
  knn: KnnSettings;
  map: MapSettings;
  fused: FusedSettings;
}

export interface LocalizeSettings extends LocalizeTuning {
  /** Localization method, by name (LOCALIZERS); 'map' and 'fused' need a site survey and are WLS without one. */
  method: LocalizerName;
}

export const LOCALIZE_SETTINGS: Settings<LocalizeSettings> = {
  defaults: {
    method: 'fused', maxAps: 6, minAps: 3, apHeightM: 2.5, deviceHeightM: 1.2,
    wls: WLS_SETTINGS.defaults, centroid: CENTROID_SETTINGS.defaults, knn: KNN_SETTINGS.defaults, map: MAP_SETTINGS.defaults, fused: FUSED_SETTINGS.defaults,
  },
  rules: {
    method: oneOf(Object.keys(LOCALIZERS)), maxAps: whole(1, 100), minAps: whole(1, 100), apHeightM: between(0, MAX_AP_HEIGHT_M), deviceHeightM: between(0, MAX_DEVICE_HEIGHT_M),
    wls: WLS_SETTINGS.rules, centroid: CENTROID_SETTINGS.rules, knn: KNN_SETTINGS.rules, map: MAP_SETTINGS.rules, fused: FUSED_SETTINGS.rules,
  },
};
