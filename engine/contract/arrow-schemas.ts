// The tables world and engine exchange as files: observations.arrow (and
// ap-beacons.arrow, the same columns) and survey.arrow. Column names, order
// and Arrow types are the file format: engine/io writes exactly these, for
// the simulator's runs, and reads the columns by name from a user's Arrow or
// CSV file, taking any numeric or string type for a value (pandas writes
// Float64/Int64; CSV is text).

/** A column's Arrow type as written (as apache-arrow prints it) and what it holds. */
export interface ColumnSpec {
  type: string;
  meaning: string;
}

/** One row per RSSI report, in time order (engine/contract/observations.ts). */
export const OBSERVATION_SCHEMA = {
  tMs: { type: 'Float64', meaning: 'report time, ms since the start of the run' },
  deviceId: { type: 'Dictionary<Uint32, Utf8>', meaning: "pseudonymous device id; 'ap:<apId>' for an AP-to-AP beacon" },
  tech: { type: 'Dictionary<Uint8, Utf8>', meaning: 'wifi | wifi-probe | ble-badge | ble-app' },
  apId: { type: 'Dictionary<Uint16, Utf8>', meaning: 'the AP that heard the report (site.aps[].id)' },
  rssiDbm: { type: 'Float32', meaning: 'received signal strength, dBm' },
} as const satisfies Record<string, ColumnSpec>;

export type ObservationColumn = keyof typeof OBSERVATION_SCHEMA;
export const OBSERVATION_COLUMNS = Object.keys(OBSERVATION_SCHEMA) as readonly ObservationColumn[];

/** One row per AP reading of the survey's reference device (engine/contract/survey.ts). */
export const SURVEY_SCHEMA = {
  floor: { type: 'Int16', meaning: 'floor id of the surveyed point' },
  x: { type: 'Float32', meaning: "the surveyed point, metres in the floor's frame" },
  y: { type: 'Float32', meaning: "the surveyed point, metres in the floor's frame" },
  apId: { type: 'Dictionary<Uint16, Utf8>', meaning: 'the AP that heard the reference device (site.aps[].id)' },
  band: { type: 'Dictionary<Uint8, Utf8>', meaning: 'wifi | ble' },
  rssiDbm: { type: 'Float32', meaning: 'received signal strength, dBm' },
} as const satisfies Record<string, ColumnSpec>;

export type SurveyColumn = keyof typeof SURVEY_SCHEMA;
export const SURVEY_COLUMNS = Object.keys(SURVEY_SCHEMA) as readonly SurveyColumn[];
