// What ctsim calibrate and ctsim twin read: a site, an RSSI log (engine
// format), the devices' true positions (bench/twin/positions.ts) and
// optionally a survey. Checks that positions and reports meet in time. The
// log's reports are read at their emissions' times (bench/twin/emissions.ts).
import type { Site, Tech } from '../../engine/contract/site.ts';
import type { ObservationBatch } from '../../engine/contract/observations.ts';
import { SURVEY_BANDS, type SurveyBatch } from '../../engine/contract/survey.ts';
import { ABSENT_FLOOR, TrackBuilder } from '../../sim/track.ts';
import { InputError } from '../../engine/contract/input-error.ts';
import { readObservationsFile, type BadRows, type OnBadRow } from '../../engine/io/observations-reader.ts';
import { readSurveyFile } from '../../engine/io/survey-table.ts';
import { readSiteOrScenario } from './site-file.ts';
import { readPositionsFile, type DeviceTracks } from './positions.ts';
import { atEmissionTimes } from './emissions.ts';
import { joinLog, truthLookup, type JoinedLog } from './samples.ts';

export interface TwinInput {
  site: Site;
  observations: ObservationBatch;
  tracks: DeviceTracks;
  survey?: SurveyBatch;
  /** Span of the reports that have a true position, ms. */
  firstMs: number;
  lastMs: number;
  /** The log's rows left out (InputPaths.onBadRow 'skip'). */
  skipped: BadRows;
}

export interface InputPaths {
  site: string;
  observations: string;
  positions: string;
  survey?: string;
  maxGapS: number;
  /** A bad row of the log: stop naming it (default), or leave it out, counted (TwinInput.skipped). */
  onBadRow?: OnBadRow;
}

export function readTwinInput(p: InputPaths): TwinInput {
  const site = readSiteOrScenario(p.site);
  const read = readObservationsFile(p.observations, site, p.onBadRow);
  const observations = atEmissionTimes(read.observations), skipped = read.skipped;
  const tracks = readPositionsFile(p.positions, site, p.maxGapS * 1000);
  const survey = p.survey === undefined ? undefined : readSurveyFile(p.survey, site);
  if (observations.length === 0) throw new InputError(`${p.observations}: no device reports`);
  const { firstMs, lastMs } = positionedSpan(observations, tracks, p);
  return { site, observations, tracks, survey, firstMs, lastMs, skipped };
}

/**
 * The span of the log's reports that have a true position, ms. Refuses
 * positions that name none of the log's devices or never meet its reports
 * (each report outside its device's positions or in a gap of them).
 */
export function positionedSpan(observations: ObservationBatch, tracks: DeviceTracks, p: Pick<InputPaths, 'observations' | 'positions' | 'maxGapS'>): { firstMs: number; lastMs: number } {
  const named = observations.devices.filter((d) => tracks.has(d.id)).length;
  if (named === 0) throw new InputError(`${p.positions}: none of the ${observations.devices.length} devices of ${p.observations} has positions (device ids must match)`);
  const at = truthLookup(observations, tracks);
  let firstMs = Infinity, lastMs = -Infinity;
  for (let i = 0; i < observations.length; i++) {
    if (!at(observations.deviceIdx[i], observations.tMs[i])) continue;
    firstMs = Math.min(firstMs, observations.tMs[i]);
    lastMs = Math.max(lastMs, observations.tMs[i]);
  }
  if (firstMs === Infinity) {
    const posSpan = [...tracks.values()].reduce(([lo, hi], t) => [Math.min(lo, t.tMs[0]), Math.max(hi, t.tMs[t.tMs.length - 1])], [Infinity, -Infinity]);
    const span = `reports ${observations.tMs[0]}..${observations.tMs[observations.length - 1]} ms, positions ${posSpan[0]}..${posSpan[1]} ms`;
    // Spans that overlap with no report placed: each fell outside its own device's positions or in a gap of them.
    if (posSpan[0] <= observations.tMs[observations.length - 1] && posSpan[1] >= observations.tMs[0]) {
      throw new InputError(`${p.positions}: no report of ${p.observations} has a position at its time: each falls outside its device's positions or in a gap between them longer than --max-gap-s ${p.maxGapS} s (${span})`);
    }
    throw new InputError(`${p.positions}: no overlap in time with ${p.observations} (${span})`);
  }
  return { firstMs, lastMs };
}

/**
 * A survey as a log to calibrate on: one device per band (the reference
 * device: a Wi-Fi phone, a BLE badge) standing at each point in turn, each
 * point a minute of its own (so each is a bootstrap cluster). No emissions:
 * a survey's readings per point do not say how many were sent.
 */
export function surveyAsLog(site: Site, survey: SurveyBatch, path: string): { observations: ObservationBatch; log: JoinedLog } {
  if (survey.length === 0) throw new InputError(`${path}: no survey readings`);
  const pointIdx = new Map<string, number>();
  const pointAt: { floor: number; x: number; y: number }[] = [];
  const rows = Array.from({ length: survey.length }, (_, i) => {
    const key = `${survey.floor[i]}|${survey.x[i]}|${survey.y[i]}`;
    let p = pointIdx.get(key);
    if (p === undefined) {
      pointIdx.set(key, (p = pointIdx.size));
      pointAt.push({ floor: survey.floor[i], x: survey.x[i], y: survey.y[i] });
    }
    return { i, p };
  }).sort((a, b) => a.p - b.p || survey.band[a.i] - survey.band[b.i]);
  const devices = SURVEY_BANDS.map((band) => ({ id: `survey-${band}`, tech: (band === 'wifi' ? 'wifi' : 'ble-badge') as Tech }));
  const observations: ObservationBatch = {
    length: rows.length,
    tMs: Float64Array.from(rows, (r) => r.p * MINUTE_MS),
    deviceIdx: Uint32Array.from(rows, (r) => survey.band[r.i]),
    apIdx: Uint16Array.from(rows, (r) => survey.apIdx[r.i]),
    rssiDbm: Float32Array.from(rows, (r) => survey.rssiDbm[r.i]),
    devices,
  };
  const tracks: DeviceTracks = new Map(devices.map((d) => {
    const b = new TrackBuilder();
    pointAt.forEach((pt, p) => {
      b.add(p * MINUTE_MS, pt.x, pt.y, pt.floor);
      b.add(p * MINUTE_MS + 1, NaN, NaN, ABSENT_FLOOR);
    });
    return [d.id, b.build()];
  }));
  return { observations, log: { ...joinLog(site, observations, tracks), emissions: [] } };
}

const MINUTE_MS = 60_000;
