// Whether standing carriers turned, on the UJI BLE fingerprints (see
// standing-facing-fit.ts), and writes bench/results/standing-facing.{json,md}.
// Run: node bin/run-ts.js bench/studies/radio-fit/standing-facing.ts
import { join } from 'node:path';
import { writeFileAtomic } from '../../../engine/io/atomic-write.ts';
import { formatTable } from '../../../reports/table.ts';
import { strictArgs } from '../../entry/args.ts';
import { dataDir } from '../real-data/data-dir.ts';
import { loadZone } from '../real-data/uji.ts';
import { revisitFacings, revisitPairs, standingFacings } from './standing-facing-fit.ts';

strictArgs('bench/studies/radio-fit/standing-facing.ts').parseSync();

const dir = join(dataDir(), 'ble-localization-uji/data/');
const visitOf = (r: { phone: number; campaign: number; txCode: number; point: number; x: number; y: number }): string => `${r.phone}|${r.campaign}|${r.txCode}|${r.point}|${r.x}|${r.y}`;
const zones = (['lib', 'geo'] as const).map((zone) => {
  const { site, rows } = loadZone(dir, zone);
  // The office area's tx-power code 2, as the real-data splits read it; the library has one power.
  return { zone, ...standingFacings(site, zone === 'geo' ? rows.filter((r) => r.txCode === 2) : rows, visitOf) };
});
const revisited = (['lib', 'geo'] as const).map((zone) => {
  const { site, rows } = loadZone(dir, zone);
  return { zone, ...revisitFacings(site, revisitPairs(zone === 'geo' ? rows.filter((r) => r.txCode === 2) : rows, visitOf)) };
});
const f2 = (x: number) => x.toFixed(2), f1 = (x: number) => x.toFixed(1);
const table = formatTable(
  ['zone', 'visits', 'scans', 'R² by bearing', 'R² shuffled', 'amplitude dB', 'shuffled dB'],
  zones.map((z) => [z.zone, String(z.visits), String(z.scans), f2(z.r2), f2(z.r2Shuffled), f1(z.amplitudeDb), f1(z.amplitudeShuffledDb)]),
);
const examples = zones.map((z) => `${z.zone}, the fitted facing scan by scan (°), first visits:\n${z.examples.map((e) => `  ${e.join(' ')}`).join('\n')}`).join('\n\n');
const revisitTable = formatTable(
  ['zone', 'positions revisited', 'R² by bearing', 'R² shuffled', 'amplitude dB', 'shuffled dB', 'facing along the first walk-in'],
  revisited.map((z) => [z.zone, String(z.positions), z.positions ? f2(z.r2) : '-', z.positions ? f2(z.r2Shuffled) : '-', z.positions ? f1(z.amplitudeDb) : '-', z.positions ? f1(z.amplitudeShuffledDb) : '-', z.positions ? f2(z.alongWalk) : '-']),
);
const revisitAbout = 'Positions one phone visited twice: the first visit\'s per-AP means less the second\'s, fitted the same way; a carrier facing the way it walked, walking back the second time, leaves twice its amplitude, peaking the way the first visit walked in.';
process.stdout.write(`${table}\n\n${examples}\n\n${revisitTable}\n`);
const results = new URL('../../results/', import.meta.url).pathname;
writeFileAtomic(join(results, 'standing-facing.json'), `${JSON.stringify({ visits: zones, revisits: revisited }, null, 2)}\n`);
writeFileAtomic(join(results, 'standing-facing.md'), `# Standing carriers' facing in the UJI BLE scans (bench/studies/radio-fit/standing-facing.ts)\n\nEach scan's readings less its visit's per-AP means, fitted with c + a·cos(bearing) + s·sin(bearing); shuffled: the same scan's bearings permuted.\n\n${table}\n\n${examples}\n\n${revisitAbout}\n\n${revisitTable}\n`);
