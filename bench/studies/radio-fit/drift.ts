// Fits the radio field's drift between survey and use on wifi-longterm-uji,
// and the life of its APs on the air (see drift-fit.ts); writes
// bench/results/radio-drift.{json,md}.
// Run: node bin/run-ts.js bench/studies/radio-fit/drift.ts
import { join } from 'node:path';
import { writeFileAtomic } from '../../../engine/io/atomic-write.ts';
import { formatTable } from '../../../reports/table.ts';
import { driftSigmaDb } from '../../../sim/radio/drift.ts';
import { apSurvival, DAYS_PER_MONTH, driftCurve, driftParts } from './drift-fit.ts';
import { strictArgs } from '../../entry/args.ts';

// No flags: the fit is the same every run; strict, so a mistyped flag is refused rather than ignored.
strictArgs('bench/studies/radio-fit/drift.ts').parseSync();

const curve = driftCurve();
const f2 = (x: number) => x.toFixed(2);
const table = formatTable(
  ['gap months', 'month pairs', 'drift sd dB', 'fit dB'],
  curve.gaps.map((g) => [String(g.months), String(g.pairs), f2(g.driftSdDb), f2(driftSigmaDb(curve.sigmaInfDb, curve.timeDays, g.months * DAYS_PER_MONTH))]),
);
const summary = `Noise (same month, trn01 vs tst01): ${f2(curve.noiseSdDb)} dB. Fit: σ∞ = ${f2(curve.sigmaInfDb)} dB, T = ${curve.timeDays.toFixed(0)} days.`;
const parts = driftParts(curve.noiseSdDb);
const partsTable = formatTable(
  ['gap months', 'month pairs', 'AP shift sd dB', 'over the floor sd dB'],
  parts.gaps.map((g) => [String(g.months), String(g.pairs), f2(g.apShiftSdDb), f2(g.floorSdDb)]),
);
const partsSummary = 'Each AP\'s mean difference over its points (10 links or more, about the month pair\'s common shift) and each link\'s about its AP\'s, less what the noise leaves in each: the drift is mostly a shift of each AP\'s level, the field over the floor barely moves. sim/radio/drift.ts draws it as a field per link: one fix reads a shift per AP and a field of the same sd alike.';
const survival = apSurvival();
const apTable = formatTable(
  ['month', 'APs on the air', 'fit'],
  survival.months.map((m) => [String(m.month), String(m.onAir), (survival.inService * Math.exp(-((m.month - 1) * DAYS_PER_MONTH) / survival.lifeDays)).toFixed(1)]),
);
const apSummary = `Of the ${survival.inService} APs month 1's scans hear in a tenth of them or more, those a later month still hears at all (1 % of its scans): an exponential life L = ${survival.lifeDays.toFixed(0)} days by maximum likelihood. The data show one refresh of half the network at once (month 12), not a steady rate; the life spreads it over time.`;
process.stdout.write(`${table}\n\n${summary}\n\n${partsTable}\n\n${partsSummary}\n\n${apTable}\n\n${apSummary}\n`);
const results = new URL('../../results/', import.meta.url).pathname;
writeFileAtomic(join(results, 'radio-drift.json'), `${JSON.stringify({ ...curve, parts, apSurvival: survival }, null, 2)}\n`);
writeFileAtomic(join(results, 'radio-drift.md'), `# Radio field drift between survey and use (bench/studies/radio-fit/drift.ts, wifi-longterm-uji)\n\n${table}\n\n${summary}\n\n## A shift per AP, or over the floor\n\n${partsTable}\n\n${partsSummary}\n\n## APs on the air\n\n${apTable}\n\n${apSummary}\n`);
