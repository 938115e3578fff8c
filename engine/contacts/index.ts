// Contact detectors by name, as config.contacts.detector and benchmarks refer to them.
import type { EngineConfig } from '../config.ts';
import { allPairs } from './all-pairs.ts';
import type { ContactDetector } from './detector.ts';
import { grid } from './grid-detector.ts';

export const DETECTORS: Record<EngineConfig['contacts']['detector'], ContactDetector> = { grid, 'all-pairs': allPairs };
