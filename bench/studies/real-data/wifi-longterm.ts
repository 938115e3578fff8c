// Radio-map ageing on real Wi-Fi: UJI_LIB_DB_v2 (Mendoza-Silva et al., Data
// 2018, 3, 3; Zenodo 10.5281/zenodo.1066041, CC BY 4.0), read from
// ../shared/data/wifi-longterm-uji. The survey is month 1's training sets;
// each later month's test sets are located against it, through the locate
// path, with month 1 as locate's survey (the phone hears the APs: 'wifi'
// epochs, the link in reverse).
// The database gives no AP positions: each AP is placed at the weighted
// centroid of the survey points that hear it best (weights 10^(rssi/10),
// its strongest floor), as a site owner without a floor plan would.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DeepPartial, EngineConfig } from '../../../engine/config.ts';
import type { LocalizerName } from '../../../engine/localize/index.ts';
import { dataDir } from './data-dir.ts';
import { locateRows, wknn, type FingerprintRow, type LocateScore, type RealSite } from './locate-path.ts';

/** The database marks an AP not detected as RSSI 100. */
const NOT_HEARD = 100;
/** An AP heard at fewer survey rows than this is left out of the site (too little to place it). */
const MIN_SURVEY_ROWS = 10;
/** Each AP's position is the weighted centroid of its this many strongest survey points. */
const PLACE_POINTS = 5;
const MARGIN_M = 2;
export const LONGTERM_MONTHS = 25;

export const gz = (path: string): string[][] => gunzipSync(readFileSync(path)).toString('utf8').trim().split(/\r?\n/).map((l) => l.split(','));

export function readSet(dir: string, name: string): RawRow[] {
  const rss = gz(join(dir, `${name}rss.csv.gz`)), crd = gz(join(dir, `${name}crd.csv.gz`));
  return rss.map((r, i) => ({ floor: Number(crd[i][2]), x: Number(crd[i][0]), y: Number(crd[i][1]), rssi: r.map(Number) }));
}

export const monthDir = (m: number): string => join(dataDir(), 'wifi-longterm-uji/UJI_LIB_DB_v2/db', String(m).padStart(2, '0'));
export const setsOf = (m: number, kind: 'trn' | 'tst'): string[] =>
  [...new Set(readdirSync(monthDir(m)).filter((f) => f.startsWith(kind)).map((f) => f.slice(0, 5)))].sort();

export type RawRow = { floor: number; x: number; y: number; rssi: number[] };

/** The site (APs placed from the survey), month 1's survey rows over the APs kept, and how any month's raw row is read in its frame. */
export function loadLongtermSurvey(): { site: RealSite; survey: FingerprintRow[]; toSite: (r: RawRow) => FingerprintRow } {
  const raw = setsOf(1, 'trn').flatMap((s) => readSet(monthDir(1), s));
  const aps = raw[0].rssi.length;
  const keep: number[] = [];
  const placed: RealSite['aps'] = [];
  for (let a = 0; a < aps; a++) {
    const heard = raw.filter((r) => r.rssi[a] !== NOT_HEARD);
    if (heard.length < MIN_SURVEY_ROWS) continue;
    heard.sort((p, q) => q.rssi[a] - p.rssi[a]);
    const floor = heard[0].floor;
    const best = heard.filter((r) => r.floor === floor).slice(0, PLACE_POINTS);
    let sw = 0, sx = 0, sy = 0;
    for (const r of best) {
      const w = 10 ** (r.rssi[a] / 10);
      sw += w;
      sx += w * r.x;
      sy += w * r.y;
    }
    keep.push(a);
    placed.push({ id: `ap${a + 1}`, floor, x: sx / sw, y: sy / sw });
  }
  const xs = raw.map((r) => r.x), ys = raw.map((r) => r.y);
  const ox = Math.min(...xs) - MARGIN_M, oy = Math.min(...ys) - MARGIN_M;
  const w = Math.max(...xs) - ox + MARGIN_M, h = Math.max(...ys) - oy + MARGIN_M;
  const floors = [...new Set(raw.map((r) => r.floor))].sort().map((id) => ({ id, widthM: w, heightM: h }));
  const site: RealSite = { floors, aps: placed.map((a) => ({ ...a, x: a.x - ox, y: a.y - oy })) };
  const toSite = (r: RawRow): FingerprintRow => ({
    floor: r.floor, x: r.x - ox, y: r.y - oy, rssi: keep.map((a) => (r.rssi[a] === NOT_HEARD ? null : r.rssi[a])),
  });
  return { site, survey: raw.map(toSite), toSite };
}

let cached: ReturnType<typeof loadLongtermSurvey> | undefined;

/** Month m's test rows (every tst set of the month), against month 1's survey. */
export async function evaluateLongtermMonth(m: number, localizer: LocalizerName | 'wknn5', overrides: DeepPartial<EngineConfig> = {}): Promise<LocateScore> {
  cached ??= loadLongtermSurvey();
  const { site, survey, toSite } = cached;
  const test = setsOf(m, 'tst').flatMap((s) => readSet(monthDir(m), s)).map(toSite);
  return localizer === 'wknn5' ? wknn(site, survey, test) : locateRows(site, 'wifi', survey, test, localizer, overrides);
}
