// The valid range of every numeric scenario field, and the work a scenario
// may ask for. Ranges keep each value physical (and the simulator's loops
// finite); the work estimate refuses, before anything is built, a scenario
// whose tables could not fit this machine's memory. The README points here.
import { totalmem } from 'node:os';
import { polygonBounds } from '../engine/contract/geometry.ts';
import { MAX_FLOOR_SIZE_M, MAX_WALL_LOSS_DB } from '../engine/contract/site-rules.ts';
import { MAX_SPAN_MS } from '../engine/contract/time-range.ts';
import { MAX_RETENTION_DAYS } from '../engine/contract/privacy.ts';
import type { Scenario, ScenarioZone } from './types.ts';

/** [min, max], both inclusive; `above` makes min exclusive (a positive quantity). */
export interface Limit {
  min: number;
  max: number;
  above?: boolean;
}

const DAY_S = 86_400;
/** A run's length: at most the longest log the engine reads (engine/contract/time-range.ts, 31 days). */
const DURATION_S: Limit = { min: 0, max: MAX_SPAN_MS / 1000, above: true };
/** Times within a run (arrivals, lunches, meeting gaps, ...). */
const TIME_OF_RUN_S: Limit = { min: 0, max: MAX_SPAN_MS / 1000 };
/** Durations of things people do (meetings, visits, breaks): 1 s to a day; shorter would plan events without end. */
const ACTIVITY_S: Limit = { min: 1, max: DAY_S };

export const LIMITS = {
  durationS: DURATION_S,
  /** Any integer seedrandom takes exactly (a double's integers). */
  seed: { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  /** A floor up to 1 km on a side: the site-map rule (engine/contract/site-rules.ts), which checks it. */
  floorSizeM: { min: 0, max: MAX_FLOOR_SIZE_M, above: true },
  elevationM: { min: -100, max: 1000 },
  /** Per wall or floor crossing: the site map's wall rule (engine/contract/site-rules.ts). */
  lossDb: { min: 0, max: MAX_WALL_LOSS_DB },
  /** People per zone. */
  capacity: { min: 1, max: 100_000 },
  /** Seat grid: below 0.3 m seats overlap people (the library uses 1-1.2 m). */
  seatSpacingM: { min: 0.3, max: 100 },
  /** A direction in degrees, one turn. */
  seatFacingDeg: { min: 0, max: 360 },
  /** Occupants (campus: 10,000). */
  count: { min: 1, max: 100_000 },
  /** Walking speed: a stroll to a run. */
  walkSpeedMps: { min: 0.1, max: 10 },
  timeOfRunS: TIME_OF_RUN_S,
  activityS: ACTIVITY_S,
  breaksPerDay: { min: 0, max: 100 },
  /** Emission interval: BLE advertising's 20 ms floor to an hour. */
  intervalS: { min: 0.02, max: 3600 },
  /** Transmit power, dBm (BLE tags −20 .. Wi-Fi APs +30). */
  txPowerDbm: { min: -40, max: 40 },
  pathLossExponent: { min: 1, max: 8 },
  refLossDbAt1m: { min: 0, max: 150 },
  /** Phone-to-phone RSSI at 1 m: real pairs read −95 (pocket to pocket, ble-proximity-pcng) to −50 (ble-6ft-mitll's iPhones). */
  phoneRssiDbmAt1m: { min: -120, max: 0 },
  sigmaDb: { min: 0, max: 30 },
  /** An AP's own gain: antenna and mounting differences span a few dB, 30 is past any real one. */
  apGainDb: { min: -30, max: 30 },
  /** Shadowing correlation length: its grid has cells of a quarter of it (≥ 0.25 m) and a kernel three times it long. */
  shadowingDecorrelationM: { min: 1, max: 100 },
  ricianKDb: { min: -30, max: 40 },
  sensitivityDbm: { min: -130, max: -20 },
  /** Detection ramp above sensitivity: a hard floor (0) to a scan that misses most links 40 dB above it. */
  sensitivityRampDb: { min: 0, max: 40 },
  /** Survey grid spacing (the library's 1.5 m; 0.25 m is finer than any survey walks). */
  surveySpacingM: { min: 0.25, max: 100 },
  surveyDwellS: { min: 0.02, max: 3600 },
  /** Survey age: up to a century (the drift saturates within a year). */
  surveyAgeDays: { min: 0, max: 36_500 },
  /** Correlation time of a link's slow temporal component (fitted 1.5-2.5 s). */
  correlationS: { min: 0.01, max: 3600 },
  /** Distance a moving device's slow component decorrelates over: from under a 0.25 m step to a building's length. */
  slowDecorrelationM: { min: 0.1, max: 1000 },
  /** Time constant of the field's drift since the survey (fitted 78 days). */
  driftTimeDays: { min: 0.1, max: 36_500 },
  contactDistanceM: { min: 0, max: 100, above: true },
  /** Ground-truth position sampling. */
  sampleIntervalS: { min: 0.1, max: 3600 },
  contactMinExposureS: { min: 0, max: DAY_S, above: true },
  /** The engine's own privacy rule (engine/privacy/settings.ts): a scenario's privacy is the engine's PrivacyRules as they are. */
  retentionDays: { min: 0, max: MAX_RETENTION_DAYS, above: true },
} as const satisfies Record<string, Limit>;

/** Why n is outside `limit`, or '' when it is inside. */
export function limitError(n: number, limit: Limit): string {
  if (limit.above ? n <= limit.min : n < limit.min) {
    return `${limit.above ? (limit.min === 0 ? 'must be a positive number' : `must be more than ${limit.min}`) : `must be at least ${limit.min}`}, got ${n}`;
  }
  return n > limit.max ? `must be at most ${limit.max}, got ${n}` : '';
}

/** Seats a zone could hold at its spacing (its bounding box's grid): checked before the seats themselves are listed. */
export const MAX_SEATS_PER_ZONE = 100_000;

export function seatGridSize(zone: Pick<ScenarioZone, 'polygon' | 'seatSpacingM'>): number {
  const b = polygonBounds(zone.polygon);
  return (Math.floor((b.maxX - b.minX) / zone.seatSpacingM) + 1) * (Math.floor((b.maxY - b.minY) / zone.seatSpacingM) + 1);
}

/**
 * Bytes per row of the tables a run holds (observations: tMs 8, device 4,
 * AP 2, RSSI 4; a survey reading: 17; a truth sample: tMs 8, x, y 8,
 * floor and zone 4), and the APs one emission is assumed heard by: those of
 * the busiest floor, at most 8 (the office hears all its 8; a campus floor's
 * far APs miss most).
 */
const OBSERVATION_BYTES = 18, SURVEY_BYTES = 17, TRUTH_BYTES = 20, HEARD_BY_MAX_APS = 8;

export interface WorkEstimate {
  /** The field to change, and why, when the estimate exceeds memoryBytes; null when it fits. */
  tooMuch: { field: string; problem: string } | null;
  bytes: number;
}

/**
 * An upper estimate of the memory a run of `s` needs for its observations,
 * survey and ground truth (everyone present the whole run, every emission
 * heard), against `memoryBytes` (default: this machine's memory).
 */
export function estimateWork(s: Scenario, memoryBytes = totalmem()): WorkEstimate {
  const apsPerFloor = new Map<number, number>();
  for (const ap of s.site.aps) apsPerFloor.set(ap.floor, (apsPerFloor.get(ap.floor) ?? 0) + 1);
  const heardBy = Math.min(HEARD_BY_MAX_APS, Math.max(0, ...apsPerFloor.values()));
  const techs = Object.entries(s.devices).map(([tech, d]) => ({ tech, rows: s.population.count * d.share * (s.durationS / d.intervalS) * heardBy }));
  const observations = techs.reduce((n, t) => n + t.rows, 0);
  const floorArea = s.site.floors.reduce((a, f) => a + f.widthM * f.heightM, 0);
  const surveyPoints = s.survey ? floorArea / s.survey.spacingM ** 2 : 0;
  const surveyReadings = s.survey ? surveyPoints * Math.max(1, s.survey.dwellS / s.survey.intervalS) * heardBy * 2 : 0;
  const truthRows = s.population.count * (s.durationS / s.truth.sampleIntervalS);
  const parts = [
    { bytes: observations * OBSERVATION_BYTES, field: `devices.${[...techs].sort((p, q) => q.rows - p.rows)[0]?.tech}.intervalS`, what: `about ${fmt(observations)} observations (population.count ${s.population.count} over durationS ${s.durationS})` },
    { bytes: surveyReadings * SURVEY_BYTES, field: s.survey && surveyPoints > 1e6 ? 'survey.spacingM' : 'survey.intervalS', what: `about ${fmt(surveyReadings)} survey readings (${fmt(surveyPoints)} points)` },
    { bytes: truthRows * TRUTH_BYTES, field: 'truth.sampleIntervalS', what: `about ${fmt(truthRows)} ground-truth samples` },
  ];
  const bytes = parts.reduce((b, p) => b + p.bytes, 0);
  if (bytes <= memoryBytes) return { tooMuch: null, bytes };
  const worst = parts.reduce((p, q) => (q.bytes > p.bytes ? q : p));
  return { bytes, tooMuch: { field: worst.field, problem: `${worst.what} need about ${gb(bytes)}, more than this machine's ${gb(memoryBytes)} of memory` } };
}

const fmt = (n: number): string => (n < 1e6 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));
const gb = (bytes: number): string => `${(bytes / 2 ** 30).toLocaleString('en-US', { maximumFractionDigits: 1 })} GiB`;
