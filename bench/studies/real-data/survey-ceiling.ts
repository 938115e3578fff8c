// How much of the per-row error on the UJI BLE splits a better survey could
// remove: each split's test rows located (as npm run realdata does, one row
// one epoch, no tracking) on three surveys: the split's own training rows (as
// in bench/results/realdata.md), the test rows themselves (a survey taken at
// the same points, the same day, the same scans: no staleness and nothing to
// interpolate, the most any survey of point means can give), and both. What
// the second still misses is the single scan's own noise, which no map
// removes; what separates the first from it is the survey's age and spacing.
// Writes bench/results/survey-ceiling.md.
// Run: node bin/run-ts.js bench/studies/real-data/survey-ceiling.ts
import { join } from 'node:path';
import { formatTable } from '../../../reports/table.ts';
import { strictArgs } from '../../entry/args.ts';
import { writeStudyResult } from '../study-result.ts';
import { dataDir } from './data-dir.ts';
import { locateRows, wknn, type LocateScore } from './locate-path.ts';
import { loadZone, type UjiRow } from './uji.ts';

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

const rows: string[][] = [];
for (const s of splits) {
  for (const [survey, rowsOf] of [['training rows', s.train], ['test rows', s.test], ['both', [...s.train, ...s.test]]] as const) {
    for (const l of LOCALIZERS) {
      const r: LocateScore = l === 'wknn5' ? wknn(s.site, rowsOf, s.test) : await locateRows(s.site, 'ble-app', rowsOf, s.test, l);
      rows.push([s.name, survey, l, String(r.score.n), r.score.medianErrorM.toFixed(2), r.score.p90ErrorM.toFixed(2)]);
    }
  }
}
writeStudyResult(
  'survey-ceiling', false, 'What a better survey could give on the UJI BLE splits (bench/studies/real-data/survey-ceiling.ts)',
  [
    'Per-row fixes through ctsim locate (--tracker none), each split\'s test rows on three surveys: its training rows (bench/results/realdata.md),',
    'the test rows themselves (the same points, day and scans: the most a survey of point means can give) and both. wknn5: weighted 5 nearest survey points.',
  ],
  formatTable(['split', 'survey', 'localizer', 'fixes', 'median m', 'p90 m'], rows) + '\n',
);
