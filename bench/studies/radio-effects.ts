// What each fitted radio effect does to the engine: the office (seed 1, whole
// day) run with the ideal chain, with each new effect alone (temporal
// variation, body orientation, a survey 30 days old with drift, other
// people's bodies, device models, BLE timing, the map as a drawing of the
// world), with the first three together and with all seven; then Wi-Fi as APs
// hear it (channels and roaming, traffic by use, AP reports per interval), each
// alone and the three together. Per technology: median / p90 localization error, how often the 68 %
// radius holds the truth, and contact F1. Nothing in the engine changes.
// Run: node bin/run-ts.js bench/studies/radio-effects.ts
// Writes bench/results/radio-effects.{json,md}.
import { join } from 'node:path';
import { writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { loadScenario } from '../../scenarios/load.ts';
import type { RadioEffects, Scenario } from '../../scenarios/types.ts';
import { formatTable } from '../../reports/table.ts';
import { runExperiment } from '../harness/experiment.ts';
import { strictArgs } from '../entry/args.ts';

// No flags: the fit is the same every run; strict, so a mistyped flag is refused rather than ignored.
strictArgs('bench/studies/radio-effects.ts').parseSync();

/** A survey this old in the drift rows (a month between survey and use). */
const SURVEY_AGE_DAYS = 30;

const NONE: Partial<RadioEffects> = { temporal: false, bodyOrientation: false, drift: false, otherBodies: false, deviceModels: false, bleTiming: false, mapDrawing: false, wifiChannels: false, wifiTraffic: false, wifiReports: false };
const only = (effect: keyof RadioEffects): Partial<RadioEffects> => ({ ...NONE, [effect]: true });

const VARIANTS: { name: string; effects: Partial<RadioEffects>; aged: boolean }[] = [
  { name: 'ideal', effects: NONE, aged: false },
  { name: 'temporal', effects: only('temporal'), aged: false },
  { name: 'body orientation', effects: only('bodyOrientation'), aged: false },
  { name: `drift (${SURVEY_AGE_DAYS}-day survey)`, effects: only('drift'), aged: true },
  { name: 'other bodies', effects: only('otherBodies'), aged: false },
  { name: 'device models', effects: only('deviceModels'), aged: false },
  { name: 'BLE timing', effects: only('bleTiming'), aged: false },
  { name: 'map is a drawing', effects: only('mapDrawing'), aged: false },
  { name: 'first three', effects: { ...NONE, temporal: true, bodyOrientation: true, drift: true }, aged: true },
  { name: 'all seven', effects: { temporal: true, bodyOrientation: true, drift: true, otherBodies: true, deviceModels: true, bleTiming: true, mapDrawing: true }, aged: true },
  { name: 'wifi channels', effects: only('wifiChannels'), aged: false },
  { name: 'wifi traffic', effects: only('wifiTraffic'), aged: false },
  { name: 'wifi reports', effects: only('wifiReports'), aged: false },
  { name: 'wifi all three', effects: { ...NONE, wifiChannels: true, wifiTraffic: true, wifiReports: true }, aged: false },
];

function variant(effects: Partial<RadioEffects>, aged: boolean): Scenario {
  const s = loadScenario('office');
  s.radio.effects = { ...s.radio.effects, ...effects };
  if (aged) s.survey!.ageDays = SURVEY_AGE_DAYS;
  return s;
}

const rows: string[][] = [];
const results = [];
for (const v of VARIANTS) {
  const { metrics } = await runExperiment(variant(v.effects, v.aged));
  results.push({ variant: v.name, perTech: metrics.perTech });
  for (const [tech, t] of Object.entries(metrics.perTech)) {
    const l = t.localization;
    rows.push([v.name, tech, l.medianErrorM.toFixed(2), l.p90ErrorM.toFixed(2), l.coverage.toFixed(2), t.contacts.f1.toFixed(3)]);
  }
  process.stderr.write(`${v.name} done\n`);
}
const table = formatTable(['world', 'tech', 'median m', 'p90 m', '68% radius holds', 'contact F1'], rows);
process.stdout.write(`${table}\n`);
const dir = new URL('../results/', import.meta.url).pathname;
writeFileAtomic(join(dir, 'radio-effects.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileAtomic(join(dir, 'radio-effects.md'), `# The engine under each fitted radio effect (bench/studies/radio-effects.ts; office, seed 1)\n\n${table}\n`);
