// The UJI BLE fingerprint database (Mendoza-Silva et al., Zenodo
// 10.5281/zenodo.1618692, CC BY 4.0) in the twin format. A phone heard fixed
// beacons (the APs; tech ble-app), standing at known points; each row is one
// scan at a point, its time the median of its cells' times (nanoseconds on
// each phone's own clock: 1-2 s between scans), counted from the device's first; a device is
// one phone (in geo one phone's even or odd points). Obstacles
// (shelves, pillars) become walls of material obstacle-<type>, their loss
// fitted by the calibration (the site file's 3 dB is only a placeholder).
//   lib: calibrate on campaign 2, compare on campaign 3 (one tx power), split
//        by time: each phone walked campaign 2, then 3, on one clock, so the
//        same three phones (and their gains) are on both sides; the
//        calibration campaign is also the survey.
//   geo: tx-power code 2 only; calibrate on even points, compare on odd; the
//        even points are the survey.
//   geo-walk: the same rows as one device: its 68 points are 34 positions
//        walked out and back (point p and 69 − p at one place), the way out
//        calibrates (and is the survey), the way back is compared: a survey
//        walked one way, a log walking the other (the collector faced the
//        way it walked: bench/studies/radio-fit/standing-facing.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Site } from '../../../engine/contract/site.ts';
import { frameAround, polygonWalls, writeTwinFiles, type Fix, type Reading, type SurveyReading, type TwinCase } from './twin-files.ts';

/** The database marks a beacon not heard as RSSI 100. */
const NOT_HEARD = 100;
const PLACEHOLDER_WALL_LOSS_DB = 3;

const csvRows = (path: string): string[][] => readFileSync(path, 'utf8').trim().split(/\r?\n/).map((l) => l.split(',').map((s) => s.trim()));

export function ujiCase(dataDir: string, variant: 'lib' | 'geo' | 'geo-walk', workDir: string): TwinCase {
  const dir = join(dataDir, 'ble-localization-uji/data');
  const zone = variant === 'lib' ? 'lib' : 'geo';
  const beacons = csvRows(join(dir, 'dep', `${zone}.csv`)).slice(1).map(([id, x, y]) => ({ id: `B${id}`, x: Number(x), y: Number(y) }));
  const rss = csvRows(join(dir, 'rss', `${zone}_rss.csv`));
  const crd = csvRows(join(dir, 'rss', `${zone}_crd.csv`));
  const tms = csvRows(join(dir, 'rss', `${zone}_tms.csv`));
  const ids = csvRows(join(dir, 'rss', `${zone}_ids.csv`));
  const obstacles = new Map<string, { material: string; points: [number, number][] }>();
  for (const [id, x, y, type] of csvRows(join(dir, 'obs', `${zone}.csv`)).slice(1)) {
    const o = obstacles.get(id) ?? { material: `obstacle-${type}`, points: [] };
    o.points.push([Number(x), Number(y)]);
    obstacles.set(id, o);
  }
  const rows = rss.map((r, i) => {
    const id = ids[i][0];
    const times = tms[i].map(Number).filter((t) => t > 0).sort((a, b) => a - b);
    return { rssi: r.map(Number), x: Number(crd[i][0]), y: Number(crd[i][1]), phone: Number(id[0]), tx: Number(id[1]), campaign: Number(id[2]), point: Number(id.slice(3, 6)), tMs: times[times.length >> 1] };
  }).filter((r) => r.tMs !== undefined && (zone === 'lib' || r.tx === 2));
  // One device per phone (its own clock and gain; the library's three walked the points apart), and in geo per parity of points.
  const deviceOf = (r: (typeof rows)[number]): string => (variant === 'geo' ? `phone${r.phone}-${r.point % 2 ? 'odd' : 'even'}` : `phone${r.phone}`);
  const lastPoint = Math.max(...rows.map((r) => r.point));
  const calibrates = (r: (typeof rows)[number]): boolean => (variant === 'lib' ? r.campaign === 2 : variant === 'geo' ? r.point % 2 === 0 : 2 * r.point <= lastPoint);
  const allPts = [...beacons, ...rows, ...[...obstacles.values()].flatMap((o) => o.points.map(([x, y]) => ({ x, y })))];
  const f = frameAround(allPts.map((p) => p.x), allPts.map((p) => p.y));
  const t0 = new Map<string, number>();
  for (const r of rows) t0.set(deviceOf(r), Math.min(t0.get(deviceOf(r)) ?? Infinity, r.tMs));
  const site: Site = {
    floors: [{ id: 0, name: zone, widthM: f.widthM, heightM: f.heightM, elevationM: 0 }],
    walls: polygonWalls([...obstacles.values()].map((o) => ({ material: o.material, points: o.points.map(([x, y]) => [x - f.ox, y - f.oy] as [number, number]) })), 0, PLACEHOLDER_WALL_LOSS_DB),
    zones: [],
    aps: beacons.map((b) => ({ id: b.id, floor: 0, x: b.x - f.ox, y: b.y - f.oy, radios: { ble: { txPowerDbm: 0 } } })),
  };
  const readings: Reading[] = [], fixes: Fix[] = [], survey: SurveyReading[] = [];
  for (const r of rows) {
    const deviceId = deviceOf(r), tMs = Math.round((r.tMs - t0.get(deviceId)!) / 1e6), x = r.x - f.ox, y = r.y - f.oy;
    fixes.push({ tMs, deviceId, floor: 0, x, y });
    r.rssi.forEach((v, b) => {
      if (v === NOT_HEARD) return;
      readings.push({ tMs, deviceId, apId: beacons[b].id, rssiDbm: v });
      if (calibrates(r)) survey.push({ floor: 0, x, y, apId: beacons[b].id, rssiDbm: v });
    });
  }
  fixes.sort((a, b) => a.tMs - b.tMs);
  const paths = writeTwinFiles(workDir, site, 'ble-app', readings, fixes, survey, 'ble');
  const about = {
    lib: 'UJI BLE library: campaign 2 calibrates (and is the survey), campaign 3 compared',
    geo: 'UJI BLE office area, tx code 2: even points calibrate (and are the survey), odd compared',
    'geo-walk': 'UJI BLE office area, tx code 2, walked out and back: the way out calibrates (and is the survey), the way back compared',
  }[variant];
  const timed = rows.map((r) => ({ tMs: Math.round((r.tMs - t0.get(deviceOf(r))!) / 1e6), calibrates: calibrates(r) }));
  return {
    name: `uji-${variant}`, about,
    paths, split: variant === 'geo' ? `device:${[...t0.keys()].filter((d) => d.endsWith('-odd')).sort().join(',')}` : timeSplit(variant, timed),
    surveyAgeDays: 0, surveyGridM: 0,
  };
}

/** The time split between the calibrating rows and the compared ones (every phone's compared rows come after every phone's calibrating rows, on clocks counted from each phone's first scan). */
function timeSplit(variant: string, rows: { tMs: number; calibrates: boolean }[]): string {
  const endCalibrate = Math.max(...rows.filter((r) => r.calibrates).map((r) => r.tMs));
  const startCompared = Math.min(...rows.filter((r) => !r.calibrates).map((r) => r.tMs));
  if (!(endCalibrate < startCompared)) throw new Error(`uji ${variant}: the calibrating and compared rows overlap in time`);
  const first = Math.min(...rows.map((r) => r.tMs)), last = Math.max(...rows.map((r) => r.tMs));
  return `time:${(((endCalibrate + startCompared) / 2 - first) / (last - first)).toFixed(4)}`;
}
