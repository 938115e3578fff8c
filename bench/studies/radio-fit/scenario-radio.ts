// Where the library scenarios' realistic radio parameters come from: `ctsim
// calibrate`'s fit (bench/twin/calibrate.ts) on each shared BLE log with
// known positions, the same files `npm run fidelity` builds (UJI library and
// office area, ble-anchors-calib2021's calibration run), and the median over
// them, which the scenarios' BLE band takes (scenarios/*.json descriptions).
// Run: node bin/run-ts.js bench/studies/radio-fit/scenario-radio.ts
// Writes bench/results/scenario-radio.{json,md}.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../engine/io/atomic-write.ts';
import { formatTable } from '../../../reports/table.ts';
import { strictArgs } from '../../entry/args.ts';
import { calibrate, type BandCalibration } from '../../twin/calibrate.ts';
import { fadingOf } from '../../twin/calibrate.ts';
import { readTwinInput } from '../../twin/input.ts';
import { DEFAULT_MAX_GAP_MS } from '../../twin/positions.ts';
import { joinLog } from '../../twin/samples.ts';
import { anchorsCase } from '../fidelity/anchors.ts';
import { ujiCase } from '../fidelity/uji.ts';
import { dataDir } from '../real-data/data-dir.ts';

strictArgs('bench/studies/radio-fit/scenario-radio.ts').parseSync();

const FIELDS: [string, (c: BandCalibration) => number | null][] = [
  ['pathLossExponent', (c) => c.pathLossExponent.value],
  ['shadowingSigmaDb', (c) => c.shadowingSigmaDb.value],
  ['shadowingDecorrelationM', (c) => c.shadowingDecorrelationM?.value ?? null],
  ['ricianKDb', (c) => fadingOf(c.fadingSigmaDb.value).ricianKDb],
  ['slowSigmaDb', (c) => c.slowSigmaDb?.value ?? null],
  ['slowCorrelationS', (c) => c.slowCorrelationS?.value ?? null],
  ['deviceOffsetSigmaDb', (c) => c.deviceOffsetSigmaDb?.value ?? null],
  ['hearingRate', (c) => c.hearingRate?.value ?? null],
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const work = mkdtempSync(join(tmpdir(), 'ctsim-scenario-radio-'));
const fits: { name: string; values: Record<string, number | null> }[] = [];
try {
  const cases = [(d: string) => ujiCase(dataDir(), 'lib', d), (d: string) => ujiCase(dataDir(), 'geo', d), (d: string) => anchorsCase(dataDir(), d)];
  for (const [k, make] of cases.entries()) {
    const dir = join(work, String(k));
    mkdirSync(dir);
    const c = make(dir);
    const input = readTwinInput({ ...c.paths, maxGapS: DEFAULT_MAX_GAP_MS / 1000 });
    const cal = calibrate(input.site, input.observations, joinLog(input.site, input.observations, input.tracks), { bootstrap: 0, seed: 1 });
    const ble = cal.bands.find((b) => b.band === 'ble');
    if (!ble) continue;
    fits.push({ name: c.name, values: Object.fromEntries(FIELDS.map(([f, get]) => [f, get(ble)])) });
    process.stderr.write(`${c.name} done\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const medians = Object.fromEntries(FIELDS.map(([f]) => [f, median(fits.map((x) => x.values[f]).filter((v): v is number => v !== null))]));
const cell = (v: number | null): string => (v === null ? '-' : v.toFixed(2));
const table = formatTable(['fit', ...FIELDS.map(([f]) => f)], [...fits.map((x) => [x.name, ...FIELDS.map(([f]) => cell(x.values[f]))]), ['median', ...FIELDS.map(([f]) => cell(medians[f]))]]);
process.stdout.write(`${table}\n`);
const dir = new URL('../../results/', import.meta.url).pathname;
writeFileAtomic(join(dir, 'scenario-radio.json'), `${JSON.stringify({ fits, medians }, null, 2)}\n`);
writeFileAtomic(join(dir, 'scenario-radio.md'), `# BLE radio fits for the library scenarios (bench/studies/radio-fit/scenario-radio.ts)\n\n\`ctsim calibrate\`'s fit on each shared BLE log with known positions (no bootstrap); the library scenarios' realistic BLE band takes the medians.\n\n\`\`\`\n${table}\n\`\`\`\n`);
