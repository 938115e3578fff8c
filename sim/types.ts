// Simulator outputs: the observations the engine will read, and the ground
// truth only the harness may see.
import type { ObservationBatch } from '../engine/contract/observations.ts';
import type { PhoneRssiBatch } from '../engine/contract/phone-rssi.ts';
import type { SurveyBatch } from '../engine/contract/survey.ts';

export interface Person {
  id: string;
  role: string;
}

/** A person's true movement: piecewise-linear between waypoints; floor -1 means not in the building. */
export interface Track {
  tMs: Float64Array;
  x: Float32Array;
  y: Float32Array;
  floor: Int16Array;
}

/** Ground-truth positions sampled every `truth.sampleIntervalS` while present. */
export interface TruthPositions {
  length: number;
  tMs: Float64Array;
  person: Uint32Array;
  x: Float32Array;
  y: Float32Array;
  floor: Int16Array;
  /** Index into site.zones, -1 outside every zone. */
  zone: Int16Array;
}

export interface TrueContact {
  /** Person indices, a < b. */
  a: number;
  b: number;
  exposureS: number;
  minDistanceM: number;
  firstTMs: number;
  lastTMs: number;
}

export interface Truth {
  people: Person[];
  /** tracks[i] belongs to people[i]. */
  tracks: Track[];
  /** For each device index of the observation batch, the person carrying it. */
  deviceOwner: Uint32Array;
  positions: TruthPositions;
  contacts: TrueContact[];
}

export interface SimResult {
  observations: ObservationBatch;
  /** AP-to-AP beacon reports for calibration (sim/ap-beacons.ts), time-ordered. */
  apBeacons: ObservationBatch;
  /** What ble-app phones heard of each other (sim/phone-proximity.ts). */
  phoneRssi: PhoneRssiBatch;
  /** The site survey (sim/site-survey.ts) when the scenario has one. */
  survey: SurveyBatch | null;
  truth: Truth;
}
