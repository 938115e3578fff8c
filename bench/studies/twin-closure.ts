// Closure: the twin of a log whose world is known. The campus (three floors,
// 60 APs) is simulated for its first half hour, its badges' (or connected phones') readings and true
// positions are written in the twin's format, and `ctsim twin`'s path
// calibrates on the first half and compares the second, as for a real log.
// With the ideal preset the twin's own world is the log's kind, so what it
// fails is what its calibration gets wrong; with the realistic preset the log
// also holds effects a one-device twin does not draw (other people's bodies,
// device models, BLE timing, the map as a drawing). The table sets the fitted
// parameters beside the scenario's. Between them, the ideal campus with one
// realistic effect at a time tells which of them the twin cannot draw.
// Run: node bin/run-ts.js bench/studies/twin-closure.ts
// Writes bench/results/twin-closure.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { simulate } from '../../sim/simulate.ts';
import { formatTable } from '../../reports/table.ts';
import type { RadioEffects } from '../../scenarios/types.ts';
import { strictArgs } from '../entry/args.ts';
import { readTwinInput } from '../twin/input.ts';
import { DEFAULT_MAX_GAP_MS } from '../twin/positions.ts';
import { parseSplit } from '../twin/split.ts';
import { runTwin } from '../twin/twin.ts';
import { fidelityTable } from '../twin/format.ts';
import { writeTwinFiles, type Fix, type Reading } from './fidelity/twin-files.ts';

strictArgs('bench/studies/twin-closure.ts').parseSync();

const SCENARIO = 'campus';
const DURATION_S = 1800;
const SEED = 1;
/** Badges' true positions are written this often, ms (a tracker's log). */
const POSITION_EVERY_MS = 5000;

/** The realistic effects a log without a survey shows (drift needs one), each alone over the ideal world. */
const ONE_EFFECT: (keyof RadioEffects)[] = ['temporal', 'bodyOrientation', 'otherBodies', 'deviceModels', 'bleTiming', 'mapDrawing'];
/** Each world's log: the badges' (BLE), or with `wifi` the connected phones' as every AP hears them (the ideal preset has no channel plan). */
const WORLDS: { name: string; preset: 'ideal' | 'realistic'; on?: keyof RadioEffects; wifi?: boolean; detail: boolean }[] = [
  { name: 'ideal', preset: 'ideal', detail: true },
  ...ONE_EFFECT.map((on) => ({ name: `ideal + ${on}`, preset: 'ideal' as const, on, detail: false })),
  { name: 'realistic', preset: 'realistic', detail: true },
  { name: 'ideal, Wi-Fi phones', preset: 'ideal', wifi: true, detail: true },
];

const sections: string[] = [];
const summary: string[][] = [];
for (const world of WORLDS) {
  const scenario = loadScenario(SCENARIO, { radioPreset: world.preset });
  scenario.durationS = DURATION_S;
  scenario.seed = SEED;
  if (world.on) scenario.radio.effects = { ...scenario.radio.effects, [world.on]: true };
  const { observations: obs, truth } = simulate(scenario);
  const tech = world.wifi ? 'wifi' : 'ble-badge', band = world.wifi ? 'wifi' : 'ble';
  const logged = obs.devices.map((d) => d.tech === tech);
  const readings: Reading[] = [];
  for (let i = 0; i < obs.length; i++) {
    if (logged[obs.deviceIdx[i]]) readings.push({ tMs: obs.tMs[i], deviceId: obs.devices[obs.deviceIdx[i]].id, apId: scenario.site.aps[obs.apIdx[i]].id, rssiDbm: obs.rssiDbm[i] });
  }
  const carried = new Map<number, string[]>();
  obs.devices.forEach((d, k) => logged[k] && (carried.get(truth.deviceOwner[k]) ?? carried.set(truth.deviceOwner[k], []).get(truth.deviceOwner[k])!).push(d.id));
  const fixes: Fix[] = [];
  const p = truth.positions;
  for (let i = 0; i < p.length; i++) {
    if (p.tMs[i] % POSITION_EVERY_MS !== 0) continue;
    for (const deviceId of carried.get(p.person[i]) ?? []) fixes.push({ tMs: p.tMs[i], deviceId, floor: p.floor[i], x: p.x[i], y: p.y[i] });
  }
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-closure-'));
  try {
    const paths = writeTwinFiles(dir, scenario.site, tech, readings, fixes, null, band);
    const input = readTwinInput({ ...paths, maxGapS: DEFAULT_MAX_GAP_MS / 1000 });
    const report = await runTwin(input, {
      split: parseSplit('time:0.5'), seed: SEED, bootstrap: 0, base: loadScenario('office', { radioPreset: 'ideal' }).radio, effects: {},
      engine: { run: { workers: 0 } }, surveyAgeDays: 0, surveyFromCalibration: { gridM: 0 },
    });
    const fit = report.calibration.bands.find((b) => b.band === band)!, truthBand = scenario.radio[band];
    const passed = report.rows.filter((r) => r.pass).length;
    const median = (loc: string): string => {
      const r = report.rows.find((x) => x.metric === 'median error m' && x.of === `${loc}, no survey`)!;
      return `${r.real.toFixed(2)} / ${r.sim.toFixed(2)}`;
    };
    summary.push([world.name, `${passed} of ${report.rows.length}`, String(report.reports.realTest), String(report.reports.simTest), median('centroid'), median('wls')]);
    if (world.detail) {
      const params = formatTable(['parameter', 'scenario', 'fitted'], [
        ['path-loss exponent', truthBand.pathLossExponent.toFixed(2), fit.pathLossExponent.value.toFixed(2)],
        ['floor loss, dB', truthBand.floorLossDb.toFixed(1), fit.floorLossDb?.value.toFixed(1) ?? '-'],
        ['  of it from the missed links between floors, dB', '', fit.floorLossFromHearingDb?.value.toFixed(1) ?? '-'],
        ...Object.entries(fit.wallLossDb).flatMap(([m, e]) => [
          [`wall loss ${m}, dB`, scenario.site.materials[m]?.toFixed(1) ?? '-', e.value.toFixed(1)],
          ['  of it from the missed links through them, dB', '', fit.wallLossFromHearingDb[m]?.value.toFixed(1) ?? '-'],
        ]),
        ['shadowing σ, dB', truthBand.shadowingSigmaDb.toFixed(2), fit.shadowingSigmaDb.value.toFixed(2)],
        ['shadowing decorrelation, m', truthBand.shadowingDecorrelationM.toFixed(1), fit.shadowingDecorrelationM?.value.toFixed(1) ?? '-'],
        ['sensitivity, dBm', truthBand.sensitivityDbm.toFixed(1), fit.sensitivityDbm.value.toFixed(1)],
        ['hearing rate', (1 - truthBand.packetLoss).toFixed(3), fit.hearingRate?.value.toFixed(3) ?? '-'],
      ]);
      sections.push(`## ${world.name}: ${passed} of ${report.rows.length} rows\n\n\`\`\`text\n${params}\n\n${fidelityTable(report.rows)}\n\`\`\``);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stderr.write(`${world.name} done\n`);
}
const head = formatTable(['world', 'rows within tolerance', 'real test reports', 'simulated', 'centroid median m, real / sim', 'wls median m, real / sim'], summary);
process.stdout.write(`${head}\n`);
const md = `# Closure: the twin of a simulated log (bench/studies/twin-closure.ts)\n\n${SCENARIO}, seed ${SEED}, its first ${DURATION_S / 60} minutes: the badges' (or connected phones') readings and true positions (every ${POSITION_EVERY_MS / 1000} s) through \`ctsim twin\`'s path, split time:0.5, no survey, the twin's base the office's ideal radio.\n\n\`\`\`text\n${head}\n\`\`\`\n\n${sections.join('\n\n')}\n`;
writeFileAtomic(new URL('../results/twin-closure.md', import.meta.url).pathname, md);
