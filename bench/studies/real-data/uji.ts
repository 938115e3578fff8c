// The engine on real BLE data: the UJI BLE fingerprint database
// (Mendoza-Silva et al., Zenodo 10.5281/zenodo.1618692, CC BY 4.0), read from
// ../shared/data/ble-localization-uji. Phones heard fixed beacons, so the
// beacons are the site's APs and every fingerprint row is a 'ble-app' epoch.
//
// The path is the one a user takes with `ctsim locate` (locate-cli.ts): the
// test rows are the log; the training rows, at their known positions, are
// the survey when one is given (else calibration has only the log itself);
// error is scored on the test rows only.
//   lib: train on campaign 2, test on campaign 3 (one tx power, -12 dBm).
//   geo: tx-power code 2 only (one power); train on even points, test on odd.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalizerName } from '../../../engine/localize/index.ts';
import type { TechCalibration } from '../../../engine/pipeline/calibration.ts';
import type { Site } from '../../../engine/contract/site.ts';
import { dataDir } from './data-dir.ts';
import { locateRows } from './locate-cli.ts';
import { scoreLocalization } from '../../score/per-tech.ts';
import type { LocalizationScore } from '../../../reports/schemas/metrics.ts';

export type UjiZone = 'lib' | 'geo';
/** The database marks a beacon not heard as RSSI 100. */
const NOT_HEARD = 100;
/** Margin around beacons and points for the floor's extent, metres. */
const MARGIN_M = 2;

export interface Row {
  rssi: number[];
  x: number;
  y: number;
  campaign: number;
  point: number;
  txCode: number;
  /** The phone that measured the row (id digit 1, the dataset's readme: phone = floor(id / 1e7)). */
  phone: number;
}

const csvRows = (path: string): string[][] =>
  readFileSync(path, 'utf8').trim().split(/\r?\n/).map((l) => l.split(',').map((s) => s.trim()));

export function loadZone(dir: string, zone: UjiZone): { beacons: { id: string; x: number; y: number }[]; rows: Row[] } {
  const beacons = csvRows(join(dir, 'dep', `${zone}.csv`)).slice(1).map(([id, x, y]) => ({ id, x: Number(x), y: Number(y) }));
  const rss = csvRows(join(dir, 'rss', `${zone}_rss.csv`));
  const crd = csvRows(join(dir, 'rss', `${zone}_crd.csv`));
  const ids = csvRows(join(dir, 'rss', `${zone}_ids.csv`));
  const rows = rss.map((r, i) => {
    const id = ids[i][0];
    return { rssi: r.map(Number), x: Number(crd[i][0]), y: Number(crd[i][1]), txCode: Number(id[1]), campaign: Number(id[2]), point: Number(id.slice(3, 6)), phone: Number(id[0]) };
  });
  return { beacons, rows };
}

function split(zone: UjiZone, rows: Row[]): { train: Row[]; test: Row[] } {
  if (zone === 'lib') return { train: rows.filter((r) => r.campaign === 2), test: rows.filter((r) => r.campaign === 3) };
  const one = rows.filter((r) => r.txCode === 2);
  return { train: one.filter((r) => r.point % 2 === 0), test: one.filter((r) => r.point % 2 === 1) };
}

export interface UjiResult {
  zone: UjiZone;
  localizer: LocalizerName;
  /** The training rows were given to locate as its survey. */
  survey: boolean;
  calibration: TechCalibration;
  trainRows: number;
  score: LocalizationScore;
  /** Share of test rows whose errorRadiusM held the true position. */
  coverage: number;
}

/** The zone's test rows located through `ctsim locate`, with the training rows as its survey or without any. */
export function evaluateUji(zone: UjiZone, localizer: LocalizerName, withSurvey: boolean, extra: string[] = [], dir = join(dataDir(), 'ble-localization-uji/data/')): UjiResult {
  const { beacons, rows } = loadZone(dir, zone);
  const { train, test } = split(zone, rows);
  const xs = [...beacons.map((b) => b.x), ...rows.map((r) => r.x)], ys = [...beacons.map((b) => b.y), ...rows.map((r) => r.y)];
  const ox = Math.min(...xs) - MARGIN_M, oy = Math.min(...ys) - MARGIN_M;
  const site: Site = {
    floors: [{ id: 0, name: zone, widthM: Math.max(...xs) - ox + MARGIN_M, heightM: Math.max(...ys) - oy + MARGIN_M, elevationM: 0 }],
    walls: [],
    zones: [],
    aps: beacons.map((b) => ({ id: b.id, floor: 0, x: b.x - ox, y: b.y - oy, radios: { ble: { txPowerDbm: 0 } } })),
  };
  const heard = (r: Row): [string, number][] => r.rssi.flatMap((v, b) => (v === NOT_HEARD ? [] : [[beacons[b].id, v] as [string, number]]));
  const survey = withSurvey
    ? train.flatMap((r) => heard(r).map(([apId, rssiDbm]) => ({ floor: 0, x: r.x - ox, y: r.y - oy, apId, band: 'ble' as const, rssiDbm })))
    : undefined;
  const run = locateRows(site, 'ble-app', test.map((r) => ({ heard: heard(r), x: r.x - ox, y: r.y - oy })), localizer, survey, extra);
  return { zone, localizer, survey: withSurvey, calibration: run.calibration, trainRows: train.length, score: scoreLocalization(Float64Array.from(run.errorsM)), coverage: run.covered };
}
