// Fits the simulator's temporal-variation model on real static BLE sessions
// (see temporal-fit.ts) and writes bench/results/temporal-variation.{json,md}.
// Run: node bin/run-ts.js bench/studies/radio-fit/temporal.ts
import { join } from 'node:path';
import { writeFileAtomic } from '../../../engine/io/atomic-write.ts';
import { formatTable } from '../../../reports/table.ts';
import { FIT_LAGS_S, fitGroup, realSessionGroups } from './temporal-fit.ts';
import { strictArgs } from '../../entry/args.ts';

// No flags: the fit is the same every run; strict, so a mistyped flag is refused rather than ignored.
strictArgs('bench/studies/radio-fit/temporal.ts').parseSync();

const fits = [...realSessionGroups()].map(([group, sessions]) => fitGroup(group, sessions));
const f2 = (x: number) => x.toFixed(2);
const rows = fits.map((f) => [f.group, String(f.sessions), f2(f.sigmaDb), ...f.rho.map(f2), `${f2(f.slowShare)} [${f2(f.slowShareCi[0])}, ${f2(f.slowShareCi[1])}]`, `${f2(f.correlationS)} [${f2(f.correlationSCi[0])}, ${f2(f.correlationSCi[1])}]`, f2(f.slowSigmaDb), f2(f.fastSigmaDb)]);
const table = formatTable(['group', 'sessions', 'sd dB', ...FIT_LAGS_S.map((L) => `ρ(${L} s)`), 'slow share [90 %]', 'τ s [90 %]', 'slow sd dB', 'fast sd dB'], rows);
process.stdout.write(`${table}\n`);
const results = new URL('../../results/', import.meta.url).pathname;
writeFileAtomic(join(results, 'temporal-variation.json'), `${JSON.stringify({ lagsS: FIT_LAGS_S, fits }, null, 2)}\n`);
writeFileAtomic(join(results, 'temporal-variation.md'), `# Temporal variation of static BLE links (bench/studies/radio-fit/temporal.ts)\n\n${table}\n`);
