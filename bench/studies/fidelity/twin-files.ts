// Writing a dataset in the twin's documented format (bench/twin/positions.ts,
// engine/io): site.json, observations.csv, positions.csv and survey.csv, so
// every dataset's twin goes through the path a user's log takes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Site, Tech, Wall } from '../../../engine/contract/site.ts';
import type { RadioEffects } from '../../../scenarios/types.ts';

export interface Reading {
  tMs: number;
  deviceId: string;
  apId: string;
  rssiDbm: number;
}

export interface Fix {
  tMs: number;
  deviceId: string;
  floor: number;
  x: number;
  y: number;
}

export interface SurveyReading {
  floor: number;
  x: number;
  y: number;
  apId: string;
  rssiDbm: number;
}

export interface TwinCase {
  name: string;
  /** What the dataset is and where it comes from, one line. */
  about: string;
  paths: { site: string; observations: string; positions: string; survey?: string };
  split: string;
  surveyAgeDays: number;
  /** Effects switched on or off over the base radio's, where the log's kind of link calls for it. */
  effects?: Partial<RadioEffects>;
  /** Positions further apart are a gap in tracking, s (default: the positions file's DEFAULT_MAX_GAP_MS). */
  maxGapS?: number;
  /** The site's AP positions are placed, not surveyed: the twin's world holds them where the readings put them (bench/twin/twin.ts fitApPositions). */
  fitApPositions?: boolean;
  /** The survey is the calibration part's readings at their positions snapped to this grid, m (0: as they are); bench/twin/twin.ts surveyFromCalibration. */
  surveyGridM: number;
}

/** Margin around everything for the floor's extent, m. */
const MARGIN_M = 2;

export interface Frame {
  ox: number;
  oy: number;
  widthM: number;
  heightM: number;
}

/** A frame holding every point with a margin: its origin and extent. */
export function frameAround(xs: number[], ys: number[]): Frame {
  const ox = Math.min(...xs) - MARGIN_M, oy = Math.min(...ys) - MARGIN_M;
  return { ox, oy, widthM: Math.max(...xs) - ox + MARGIN_M, heightM: Math.max(...ys) - oy + MARGIN_M };
}

export function writeTwinFiles(
  dir: string, site: Site, tech: Tech, readings: Reading[], fixes: Fix[], survey: SurveyReading[] | null, band: 'wifi' | 'ble',
): TwinCase['paths'] {
  const paths = { site: join(dir, 'site.json'), observations: join(dir, 'observations.csv'), positions: join(dir, 'positions.csv'), survey: survey ? join(dir, 'survey.csv') : undefined };
  writeFileSync(paths.site, JSON.stringify(site));
  readings.sort((a, b) => a.tMs - b.tMs);
  writeFileSync(paths.observations, ['tMs,deviceId,tech,apId,rssiDbm', ...readings.map((r) => `${r.tMs},${r.deviceId},${tech},${r.apId},${r.rssiDbm}`)].join('\n') + '\n');
  writeFileSync(paths.positions, ['tMs,deviceId,floor,x,y', ...fixes.map((f) => `${f.tMs},${f.deviceId},${f.floor},${f.x.toFixed(3)},${f.y.toFixed(3)}`)].join('\n') + '\n');
  if (survey && paths.survey) writeFileSync(paths.survey, ['floor,x,y,apId,band,rssiDbm', ...survey.map((s) => `${s.floor},${s.x.toFixed(3)},${s.y.toFixed(3)},${s.apId},${band},${s.rssiDbm}`)].join('\n') + '\n');
  return paths;
}

/** Polygons (vertex lists) as closed rings of walls of one material each (a ring already closed, or a repeated vertex, gives no wall of no length). */
export function polygonWalls(polygons: { material: string; points: [number, number][] }[], floor: number, lossDb: number): Wall[] {
  return polygons.flatMap(({ material, points }) => points.flatMap(([x1, y1], k) => {
    const [x2, y2] = points[(k + 1) % points.length];
    return x1 === x2 && y1 === y2 ? [] : [{ floor, x1, y1, x2, y2, material, lossDb }];
  }));
}
