// Fits the body-orientation depth per carry position on ble-6ft-mitll (see
// body-orientation-fit.ts) and writes bench/results/body-orientation.{json,md}.
// Run: node bin/run-ts.js bench/studies/radio-fit/body-orientation.ts
import { join } from 'node:path';
import { writeFileAtomic } from '../../../engine/io/atomic-write.ts';
import { formatTable } from '../../../reports/table.ts';
import { INDOOR, indoorDepthByCarry, MITLL_PHONES, orientationFits } from './body-orientation-fit.ts';
import { strictArgs } from '../../entry/args.ts';

// No flags: the fit is the same every run; strict, so a mistyped flag is refused rather than ignored.
strictArgs('bench/studies/radio-fit/body-orientation.ts').parseSync();

const fits = orientationFits();
const byCarry = indoorDepthByCarry(fits);
const f1 = (x: number) => x.toFixed(1);
const table = formatTable(
  ['environment', 'phone', 'carried in', 'depth dB', 'device faces °', 'residual dB'],
  fits.map((f) => [f.environment, f.phone, MITLL_PHONES[f.phone].carriedIn, f1(f.depthDb), f1(f.facingDeg), f1(f.residualDb)]),
);
const summary = `Indoor (${INDOOR.join(', ')}) median depth: ${Object.entries(byCarry).map(([c, d]) => `${c} ${f1(d)} dB`).join(', ')}`;
process.stdout.write(`${table}\n\n${summary}\n`);
const results = new URL('../../results/', import.meta.url).pathname;
writeFileAtomic(join(results, 'body-orientation.json'), `${JSON.stringify({ fits, indoorDepthByCarry: byCarry }, null, 2)}\n`);
writeFileAtomic(join(results, 'body-orientation.md'), `# Body loss by orientation (bench/studies/radio-fit/body-orientation.ts, ble-6ft-mitll)\n\n${table}\n\n${summary}\n`);
