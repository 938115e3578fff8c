// Localizers by name, as config.localizer and sweeps refer to them.
import type { EngineConfig } from '../config.ts';
import { centroid } from './centroid.ts';
import type { Localizer } from './types.ts';
import { knn } from './knn.ts';
import { map } from './map.ts';
import { wls } from './wls.ts';

export const LOCALIZERS: Record<EngineConfig['localizer'], Localizer> = { wls, centroid, knn, map };
