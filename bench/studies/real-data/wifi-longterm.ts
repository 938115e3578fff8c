// Radio-map ageing on real Wi-Fi: UJI_LIB_DB_v2 (Mendoza-Silva et al., Data
// 2018, 3, 3; Zenodo 10.5281/zenodo.1066041, CC BY 4.0), read from
// ../shared/data/wifi-longterm-uji. The survey is month 1's training sets;
// each later month's test sets are located against it, through the locate
// path, with month 1 as locate's survey (the phone hears the APs: 'wifi'
// epochs, the link in reverse).
// The database gives no AP positions: each AP is placed from the survey as
// locate places a site map's APs given without x and y
// (engine/calibrate/ap-placement.ts: the power-weighted centroid of its
// strongest readings on its strongest floor), as a site owner without a
// floor plan would.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DeepPartial, EngineConfig } from '../../../engine/config.ts';
import type { LocalizerName } from '../../../engine/localize/index.ts';
import { dataDir } from './data-dir.ts';
import { locateRows, wknn, type FingerprintRow, type LocateScore, type RealSite } from './locate-path.ts';
import { placesFromSurvey } from '../../../engine/calibrate/ap-placement.ts';

/** The database marks an AP not detected as RSSI 100. */
const NOT_HEARD = 100;
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
  // Every AP unplaced, the survey in row order: placed as locate places a site map's APs that give no x and y.
  const heard = raw.flatMap((r) => r.rssi.flatMap((v, a) => (v === NOT_HEARD ? [] : [{ r, a, v }])));
  const places = placesFromSurvey(
    { floors: [], walls: [], zones: [], aps: Array.from({ length: aps }, (_, a) => ({ id: `ap${a + 1}`, floor: NaN, x: NaN, y: NaN, radios: { wifi: { txPowerDbm: 0 } } })) },
    { length: heard.length, floor: Int16Array.from(heard, (h) => h.r.floor), x: heard.map((h) => h.r.x), y: heard.map((h) => h.r.y), apIdx: Uint16Array.from(heard, (h) => h.a), rssiDbm: Float32Array.from(heard, (h) => h.v) },
  );
  const keep = [...places.keys()].filter((a) => places.get(a) !== null);
  const placed: RealSite['aps'] = keep.map((a) => {
    const { id, floor, x, y } = places.get(a)!;
    return { id, floor, x, y };
  });
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
