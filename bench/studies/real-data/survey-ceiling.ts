// How much of the per-row error on the UJI BLE splits a better survey could
// remove: each split's test rows located (as npm run realdata does, one row
// one epoch, no tracking) on three surveys: the split's own training rows (as
// in bench/results/realdata.md), the test rows themselves (a survey taken at
// the same points, the same day, the same scans: no staleness and nothing to
// interpolate, the most any survey of point means can give), and both. What
// the second still misses is the single scan's own noise, which no map
// removes; what separates the first from it is the survey's age and spacing.
// Then the collector's body: each phone was carried facing the way it walked,
// and every position was walked out and back (radio-fit/standing-facing.ts),
// so a survey and a test visit of one position faced opposite ways. Taking
// (depth / 2)·cos(bearing to the AP − walking direction) out of every reading
// (depth: localize.map.bodyDepthDb, the median indoor depth of ble-6ft-mitll's
// rotations; the walking direction from the phone's previous position, so
// known only to a log that is a walk) shows what a body-free survey alone,
// and a survey and log both freed of it, would give.
// Writes bench/results/survey-ceiling.md.
// Run: node bin/run-ts.js bench/studies/real-data/survey-ceiling.ts
import { join } from 'node:path';
import { formatTable } from '../../../reports/table.ts';
import { strictArgs } from '../../entry/args.ts';
import { writeStudyResult } from '../study-result.ts';
import { dataDir } from './data-dir.ts';
import { locateRows, wknn, type LocateScore } from './locate-path.ts';
import { DEFAULT_CONFIG } from '../../../engine/config.ts';
import { orientationGainDb } from '../../../sim/radio/body-orientation.ts';
import { loadZone, type UjiRow } from './uji.ts';
import type { RealSite } from './locate-path.ts';

strictArgs('bench/studies/real-data/survey-ceiling.ts').parseSync();

const LOCALIZERS = ['fused', 'map', 'knn', 'wknn5'] as const;
const dir = join(dataDir(), 'ble-localization-uji/data/');
const lib = loadZone(dir, 'lib'), geo = loadZone(dir, 'geo');
const campaign = (c: number): UjiRow[] => lib.rows.filter((r) => r.campaign === c);
// The office area's tx-power code 2, as the real-data splits read it.
const parity = (p: number): UjiRow[] => geo.rows.filter((r) => r.txCode === 2 && r.point % 2 === p);

const splits = [
  { name: 'UJI lib campaign 2 → 3', site: lib.site, train: campaign(2), test: campaign(3) },
  { name: 'UJI geo even → odd', site: geo.site, train: parity(0), test: parity(1) },
  { name: 'UJI geo odd → even', site: geo.site, train: parity(1), test: parity(0) },
];

/** Each row's walking direction: from its phone's previous position (in time, at one power), radians; NaN before the first move. */
function walkingDirections(all: readonly UjiRow[]): Map<UjiRow, number> {
  const byPhone = new Map<string, UjiRow[]>();
  for (const r of all) if (Number.isFinite(r.t)) byPhone.set(`${r.phone}|${r.txCode}`, [...(byPhone.get(`${r.phone}|${r.txCode}`) ?? []), r]);
  const out = new Map<UjiRow, number>();
  for (const rs of byPhone.values()) {
    let heading = NaN, prev: UjiRow | null = null;
    for (const r of rs.sort((a, b) => a.t - b.t)) {
      if (prev && (r.x !== prev.x || r.y !== prev.y)) heading = Math.atan2(r.y - prev.y, r.x - prev.x);
      out.set(r, heading);
      prev = r;
    }
  }
  return out;
}
const walking = new Map([...walkingDirections(lib.rows), ...walkingDirections(geo.rows.filter((r) => r.txCode === 2))]);
const DEPTH_DB = DEFAULT_CONFIG.localize.map.bodyDepthDb;
/** The rows less the body facing the way they walked (rows without a direction, or scanned with no time, as they are). */
const unbodied = (site: RealSite, rs: readonly UjiRow[]): UjiRow[] => rs.map((r) => {
  const h = walking.get(r);
  return h === undefined || Number.isNaN(h) ? r : { ...r, rssi: r.rssi.map((v, b) => (v === null ? null : v - orientationGainDb(DEPTH_DB, Math.atan2(site.aps[b].y - r.y, site.aps[b].x - r.x), h))) };
});

const rows: string[][] = [];
for (const s of splits) {
  const cases = [
    ['training rows', s.train, s.test], ['test rows', s.test, s.test], ['both', [...s.train, ...s.test], s.test],
    ['training rows less the body', unbodied(s.site, s.train), s.test], ['the same, and the test rows', unbodied(s.site, s.train), unbodied(s.site, s.test)],
  ] as const;
  for (const [survey, rowsOf, test] of cases) {
    for (const l of LOCALIZERS) {
      const r: LocateScore = l === 'wknn5' ? wknn(s.site, rowsOf, test) : await locateRows(s.site, 'ble-app', rowsOf, test, l);
      rows.push([s.name, survey, l, String(r.score.n), r.score.medianErrorM.toFixed(2), r.score.p90ErrorM.toFixed(2)]);
    }
  }
}
writeStudyResult(
  'survey-ceiling', false, 'What a better survey could give on the UJI BLE splits (bench/studies/real-data/survey-ceiling.ts)',
  [
    'Per-row fixes through ctsim locate (--tracker none), each split\'s test rows on three surveys: its training rows (bench/results/realdata.md),',
    'the test rows themselves (the same points, day and scans: the most a survey of point means can give) and both; then the training rows less the collector\'s',
    `body facing the way it walked (${DEPTH_DB} dB peak to peak, localize.map.bodyDepthDb), and those with the test rows also less it. wknn5: weighted 5 nearest survey points.`,
  ],
  formatTable(['split', 'survey', 'localizer', 'fixes', 'median m', 'p90 m'], rows) + '\n',
);
