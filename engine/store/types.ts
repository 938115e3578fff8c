// The location-history store's small interface. Everything it holds is keyed
// by pseudonymous device id; times are absolute (ms since the Unix epoch).
import type { Contact } from '../outputs.ts';

/** One device's fixes, columnar, in time order. */
export interface Track {
  length: number;
  tMs: Float64Array;
  x: Float32Array;
  y: Float32Array;
  floor: Int16Array;
  errorRadiusM: Float32Array;
}

export interface DeviceTrack {
  device: string;
  track: Track;
}

/** A contact as the engine reports it, with pseudonymous a < b and absolute times. */
export type StoredContact = Contact;

/** One zone visit of a journey. */
export interface StoredVisit {
  device: string;
  zoneId: string;
  enterTMs: number;
  exitTMs: number;
}

/** Device → person: the only table that names people; admins only. */
export interface IdentityBinding {
  device: string;
  personId: string;
}

/** Occupancy of one zone over one interval: counts only, no device. */
export interface StoredZoneCount {
  zoneId: string;
  startMs: number;
  endMs: number;
  count: number;
  baseline: number;
  /** Inside a hot-zone alert (raised, not yet cleared) at the interval's end. */
  hot: boolean;
}

export interface StoreBatch {
  tracks: DeviceTrack[];
  contacts: StoredContact[];
  /** Filled once journeys exist upstream; the table is there either way. */
  journeys?: StoredVisit[];
  bindings?: IdentityBinding[];
  zoneCounts?: StoredZoneCount[];
}

/** Everything held about one device (no identity: see LocationStore.identity). */
export interface DeviceHistory {
  device: string;
  track: Track;
  contacts: StoredContact[];
  journeys: StoredVisit[];
}

export interface TimeRange {
  fromMs?: number;
  toMs?: number;
}

export interface RowCounts {
  fixes: number;
  contacts: number;
  visits: number;
  bindings: number;
  /** Zone × interval occupancy counts. */
  zoneCounts: number;
  /** Raw RSSI reports written by the live server (ctsim serve --store). */
  reports: number;
}

export interface LocationStore {
  ingest(batch: StoreBatch): Promise<RowCounts>;
  history(device: string, range?: TimeRange): Promise<DeviceHistory>;
  identity(device: string): Promise<string | null>;
  /** Hot-zone occupancy counts overlapping the range, by interval then zone. */
  zoneCounts(range?: TimeRange, zoneId?: string): Promise<StoredZoneCount[]>;
  /** Removes the device everywhere, including contacts where it is the other party. */
  erase(device: string): Promise<RowCounts>;
  /** Drops history older than `cutoffMs`. */
  purge(cutoffMs: number): Promise<RowCounts>;
  close(): Promise<void>;
}
