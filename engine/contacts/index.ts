// Contact detectors by name, as config.contacts.detector and benchmarks refer to them.
import { allPairs } from './all-pairs.ts';
import type { ContactDetector } from './detector.ts';
import { grid } from './grid-detector.ts';

export const DETECTORS = { grid, 'all-pairs': allPairs } satisfies Record<string, ContactDetector>;
export type DetectorName = keyof typeof DETECTORS;
