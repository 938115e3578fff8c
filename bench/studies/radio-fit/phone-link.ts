// Fits the simulator's phone-to-phone link on real phone pairs (see
// phone-link-fit.ts) and writes bench/results/phone-link.{json,md}.
// Run: node bin/run-ts.js bench/studies/radio-fit/phone-link.ts
import { join } from 'node:path';
import { writeFileAtomic } from '../../../engine/io/atomic-write.ts';
import { formatTable } from '../../../reports/table.ts';
import { BAND_DEFAULTS } from '../../../scenarios/validate.ts';
import { strictArgs } from '../../entry/args.ts';
import { fitPhoneLink } from './phone-link-fit.ts';

// No flags: the fit is the same every run; strict, so a mistyped flag is refused rather than ignored.
strictArgs('bench/studies/radio-fit/phone-link.ts').parseSync();

const fit = fitPhoneLink(BAND_DEFAULTS.bodyLossDb);
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const table = formatTable(
  ['pcng pair', 'distances', 'level @1 m dBm', 'exponent', 'residual dB', 'body-free level dBm', 'median @2 m dBm'],
  fit.pairs.map((p) => [p.pair, String(p.distances), f1(p.levelDbmAt1m), f2(p.pathLossExponent), f1(p.residualDb), f1(p.bodyFreeLevelDbm), f1(fit.pcngAt2mDbm[p.pair])]),
);
const mitll = Object.entries(fit.mitllHandAt1_83mDbm).map(([env, r]) => `${env} ${f1(r)}`).join(', ');
const predicted = fit.refRssiDbmAt1m - 10 * fit.pathLossExponent * Math.log10(1.83);
const text = `${table}

phoneLink (hand-hand line; offset sd = sd of body-free levels / √2):
  refRssiDbmAt1m ${f1(fit.refRssiDbmAt1m)}, pathLossExponent ${f2(fit.pathLossExponent)}, offsetSigmaDb ${f1(fit.offsetSigmaDb)}
  body loss added back per phone (radio.ble.bodyLossDb): hand ${BAND_DEFAULTS.bodyLossDb.hand}, pocket ${BAND_DEFAULTS.bodyLossDb.pocket} (backpack counted as pocket)
cross-check, ble-6ft-mitll phone held to the ear at 1.83 m (median dBm): ${mitll}
  the fit predicts ${f1(predicted)} dBm there: mitll's iPhones read ${f1(Object.values(fit.mitllHandAt1_83mDbm).reduce((a, b) => a + b, 0) / Object.keys(fit.mitllHandAt1_83mDbm).length - predicted)} dB stronger on average
`;
process.stdout.write(text);
const results = new URL('../../results/', import.meta.url).pathname;
writeFileAtomic(join(results, 'phone-link.json'), `${JSON.stringify(fit, null, 2)}\n`);
writeFileAtomic(join(results, 'phone-link.md'), `# Phone-to-phone BLE link (bench/studies/radio-fit/phone-link.ts)\n\n${text}`);
