// The engine on real BLE data: the UJI BLE fingerprint database
// (Mendoza-Silva et al., Zenodo 10.5281/zenodo.1618692, CC BY 4.0), read from
// ../shared/data/ble-localization-uji. Phones heard fixed beacons, so the
// beacons are the site's APs and every fingerprint row is a 'ble-app' epoch,
// run through `ctsim locate` (locate-path.ts): the test rows are the log; the
// training rows, at their known points, are its survey when one is given
// (else calibration has only the log itself).
// Splits (never test on the rows calibrated on):
//   lib 'campaign': train on campaign 2, test on campaign 3 (one tx power, -12 dBm).
//   lib 'time': the earliest half of the rows (by first reading time) → the later half.
//   geo 'even': tx-power code 2 only (one power); train on even points, test on odd.
//   geo 'odd': the same the other way round (a split nothing was designed on).
//   The office area's points are 34 positions walked out and back (point p and
//   69 − p at one place), so each test row's position is surveyed, by the visit
//   that walked the other way (bench/studies/radio-fit/standing-facing.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeepPartial, EngineConfig } from '../../../engine/config.ts';
import type { LocalizerName } from '../../../engine/localize/index.ts';
import { dataDir } from './data-dir.ts';
import { locateRows, wknn, type FingerprintRow, type LocateScore, type RealSite } from './locate-path.ts';

export type UjiZone = 'lib' | 'geo';
export type UjiSplit = 'campaign' | 'time' | 'even' | 'odd';
export const UJI_SPLITS: readonly [UjiZone, UjiSplit][] = [['lib', 'campaign'], ['lib', 'time'], ['geo', 'even'], ['geo', 'odd']];
/** The database marks a beacon not heard as RSSI 100. */
const NOT_HEARD = 100;
/** Margin around beacons and points for the floor's extent, metres. */
const MARGIN_M = 2;

export interface UjiRow extends FingerprintRow {
  campaign: number;
  point: number;
  txCode: number;
  /** Earliest reading time of the row (the database's clock). */
  t: number;
  /** The phone that measured the row (id digit 1, the dataset's readme: phone = floor(id / 1e7)). */
  phone: number;
}

const csvRows = (path: string): string[][] =>
  readFileSync(path, 'utf8').trim().split(/\r?\n/).map((l) => l.split(',').map((s) => s.trim()));

/** A zone's beacons as the site's APs and its rows, both in the site's frame (shifted so the floor starts at 0). */
export function loadZone(dir: string, zone: UjiZone): { site: RealSite; rows: UjiRow[] } {
  const beacons = csvRows(join(dir, 'dep', `${zone}.csv`)).slice(1).map(([id, x, y]) => ({ id, x: Number(x), y: Number(y) }));
  const rss = csvRows(join(dir, 'rss', `${zone}_rss.csv`));
  const crd = csvRows(join(dir, 'rss', `${zone}_crd.csv`));
  const ids = csvRows(join(dir, 'rss', `${zone}_ids.csv`));
  const tms = csvRows(join(dir, 'rss', `${zone}_tms.csv`));
  const xs = [...beacons.map((b) => b.x), ...crd.map((c) => Number(c[0]))], ys = [...beacons.map((b) => b.y), ...crd.map((c) => Number(c[1]))];
  const ox = Math.min(...xs) - MARGIN_M, oy = Math.min(...ys) - MARGIN_M;
  const rows = rss.map((r, i): UjiRow => {
    const id = ids[i][0];
    const t = Math.min(...tms[i].map(Number).filter((v) => v > 0));
    return {
      floor: 0, x: Number(crd[i][0]) - ox, y: Number(crd[i][1]) - oy, rssi: r.map((v) => (Number(v) === NOT_HEARD ? null : Number(v))),
      txCode: Number(id[1]), campaign: Number(id[2]), point: Number(id.slice(3, 6)), t, phone: Number(id[0]),
    };
  });
  const site: RealSite = {
    floors: [{ id: 0, widthM: Math.max(...xs) - ox + MARGIN_M, heightM: Math.max(...ys) - oy + MARGIN_M }],
    aps: beacons.map((b) => ({ id: b.id, floor: 0, x: b.x - ox, y: b.y - oy })),
  };
  return { site, rows };
}

function split(s: UjiSplit, rows: UjiRow[]): { train: UjiRow[]; test: UjiRow[] } {
  switch (s) {
    case 'campaign': return { train: rows.filter((r) => r.campaign === 2), test: rows.filter((r) => r.campaign === 3) };
    case 'time': {
      const heard = rows.filter((r) => Number.isFinite(r.t)).sort((a, b) => a.t - b.t);
      const half = heard.length >> 1;
      return { train: heard.slice(0, half), test: heard.slice(half) };
    }
    case 'even':
    case 'odd': {
      const one = rows.filter((r) => r.txCode === 2);
      const even = one.filter((r) => r.point % 2 === 0), odd = one.filter((r) => r.point % 2 === 1);
      return s === 'even' ? { train: even, test: odd } : { train: odd, test: even };
    }
  }
}

export interface UjiResult extends LocateScore {
  zone: UjiZone;
  split: UjiSplit;
  localizer: LocalizerName | 'wknn5';
  /** The training rows were given to locate as its survey. */
  survey: boolean;
  trainRows: number;
}

const zoneFor = (s: UjiSplit): UjiZone => (s === 'campaign' || s === 'time' ? 'lib' : 'geo');

/** A split's test rows located through `ctsim locate` (with `overrides` set), with its training rows as the survey or without any (wknn5 always stands on them); apsFromSurvey: the site map names the beacons alone and locate places them from the survey. */
export async function evaluateUji(
  zone: UjiZone, localizer: LocalizerName | 'wknn5', s: UjiSplit = zone === 'lib' ? 'campaign' : 'even', survey = true,
  overrides: DeepPartial<EngineConfig> = {}, dir = join(dataDir(), 'ble-localization-uji/data/'), apsFromSurvey = false,
): Promise<UjiResult> {
  if (zoneFor(s) !== zone) throw new Error(`split ${s} is not a split of ${zone}`);
  const { site, rows } = loadZone(dir, zone);
  const { train, test } = split(s, rows);
  const r = localizer === 'wknn5' ? wknn(site, train, test) : await locateRows({ ...site, apsFromSurvey }, 'ble-app', survey ? train : undefined, test, localizer, overrides);
  return { ...r, zone, split: s, localizer, survey: survey || localizer === 'wknn5', trainRows: train.length };
}
