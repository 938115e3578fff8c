// What of the UJI collectors' bodies the twins carry, beside the logs. The
// UJI library twin's fixes come out worse than the log's since the engine
// reads its carriers' bodies (engine/calibrate/walking-body.ts), and the
// office area's twin's better; this study shows where the twins' bodies and
// noise part from the logs'. For the UJI library and office-area twins, split
// as `npm run fidelity` splits them:
//   1. the body depth the twin's calibration fits (one regression over every
//      reading, bench/twin/calibrate.ts) beside a within-spot estimate: pairs
//      of one link's readings at one 0.5 m spot, their difference regressed
//      on the difference of (1/2)·cos(bearing − heading), so the field, the
//      AP's gain and the line cancel; on the test parts, real and twin;
//   2. those pairs' spread, √(½·mean Δ²), by lag and by how far the two
//      headings differ: what the calibration reads as the slow component;
//   3. at the true positions of the test part's walking epochs, each
//      reading about the survey map (its epoch's mean taken out) regressed on
//      (1/2)·cos(bearing − walking direction), by the AP's distance;
//   4. the engine's own reading of the walking body at its tracked fixes and
//      at the true positions (direction centred as the engine takes it);
//   5. 3. again within the calibration part alone, its earlier half (in
//      time) the survey and its later half walked about it: what a
//      calibration could match without the test part.
// Writes bench/results/twin-body.md. Run: node bin/run-ts.js bench/studies/fidelity/twin-body.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type EngineConfig } from '../../../engine/config.ts';
import type { ObservationBatch } from '../../../engine/contract/observations.ts';
import type { Site } from '../../../engine/contract/site.ts';
import type { SurveyBatch } from '../../../engine/contract/survey.ts';
import { fitWalkingBody, walkingTracks } from '../../../engine/calibrate/walking-body.ts';
import { writeFileAtomic } from '../../../engine/io/atomic-write.ts';
import { siteLayout, type SiteLayout } from '../../../engine/localize/layout.ts';
import { calibrate } from '../../../engine/pipeline/calibration.ts';
import { runEngine } from '../../../engine/run.ts';
import { loadScenario } from '../../../scenarios/load.ts';
import { formatTable } from '../../../reports/table.ts';
import { orientationGainDb } from '../../../sim/radio/body-orientation.ts';
import { strictArgs } from '../../entry/args.ts';
import { readTwinInput } from '../../twin/input.ts';
import { DEFAULT_MAX_GAP_MS, type DeviceTracks } from '../../twin/positions.ts';
import { joinLog, truthLookup, type Samples } from '../../twin/samples.ts';
import { parseSplit } from '../../twin/split.ts';
import { surveyOfPart, twinParts } from '../../twin/twin.ts';
import { subsetObservations } from '../../../engine/contract/observations.ts';
import { dataDir } from '../real-data/data-dir.ts';
import { ujiCase } from './uji.ts';

strictArgs('bench/studies/fidelity/twin-body.ts').parseSync();

/** As npm run fidelity (bench/studies/fidelity/main.ts). */
const SEED = 1, BOOTSTRAP = 0;
/** A spot: one link's readings within a square this wide (as the calibration's temporal pairs, bench/twin/calibrate.ts). */
const SPOT_M = 0.5;
/** Pair lags, s: within a stay, a walk's minutes, a revisit. */
const LAGS_S = [0, 6, 25, 100, Infinity];
const lagName = (k: number): string => (LAGS_S[k + 1] === Infinity ? `>${LAGS_S[k]} s` : `${LAGS_S[k]}-${LAGS_S[k + 1]} s`);
/** AP distance bands for the profile, m. */
const DIST_M = [0, 3, 6, 10, Infinity];
const distName = (k: number): string => (DIST_M[k + 1] === Infinity ? `≥${DIST_M[k]} m` : `${DIST_M[k]}-${DIST_M[k + 1]} m`);
/** The walking direction at the truth: from the true position this long before to this long after (the engine's window, ±2 epochs of 5 s). */
const HALF_WINDOW_MS = 10_000;
const MIN_WALK_M = 0.5;

/** The bearing from (x, y) to AP a less `heading`, wrapped to (−π, π]. */
function offBearing(site: Site, a: number, x: number, y: number, heading: number): number {
  const t = Math.atan2(site.aps[a].y - y, site.aps[a].x - x) - heading;
  return Math.atan2(Math.sin(t), Math.cos(t));
}

interface SpotPairs {
  /** Within-spot depth estimate, dB, and the pairs with a heading change behind it. */
  depthDb: number;
  turned: number;
  /** √(½·mean Δ²) by lag (LAGS_S) and heading change: same (< 45°), side, opposite (> 135°); `less` with the within-spot body taken out of each reading. */
  spread: Record<string, { db: number; less: number; n: number }>;
}

/** Every pair of one link's readings at one spot (same device, AP, SPOT_M square), both headings known. */
function spotPairs(site: Site, s: Samples): SpotPairs {
  const spots = new Map<string, number[]>();
  for (let i = 0; i < s.length; i++) {
    if (Number.isNaN(s.headingRad[i])) continue;
    const key = `${s.device[i]}|${s.ap[i]}|${s.floor[i]}|${Math.floor(s.x[i] / SPOT_M)}|${Math.floor(s.y[i] / SPOT_M)}`;
    (spots.get(key) ?? spots.set(key, []).get(key)!).push(i);
  }
  const col = (i: number): number => orientationGainDb(1, Math.atan2(site.aps[s.ap[i]].y - s.y[i], site.aps[s.ap[i]].x - s.x[i]), s.headingRad[i]);
  const forEachPair = (visit: (i: number, j: number, dy: number, dx: number) => void): void => {
    for (const list of spots.values()) {
      for (let p = 0; p < list.length; p++) for (let q = p + 1; q < list.length; q++) visit(list[p], list[q], s.rssiDbm[list[p]] - s.rssiDbm[list[q]], col(list[p]) - col(list[q]));
    }
  };
  let sxy = 0, sxx = 0, turned = 0;
  forEachPair((_i, _j, dy, dx) => {
    if (Math.abs(dx) < 1e-9) return;
    sxy += dx * dy;
    sxx += dx * dx;
    turned++;
  });
  const depthDb = sxx > 0 ? sxy / sxx : NaN;
  const acc = new Map<string, { sum: number; less: number; n: number }>();
  forEachPair((i, j, dy, dx) => {
    const turn = Math.abs(Math.atan2(Math.sin(s.headingRad[i] - s.headingRad[j]), Math.cos(s.headingRad[i] - s.headingRad[j])));
    const lag = Math.abs(s.tMs[i] - s.tMs[j]) / 1000;
    const key = `${lagName(LAGS_S.findIndex((v, k) => lag >= v && lag < LAGS_S[k + 1]))}, ${turn < Math.PI / 4 ? 'same' : turn > (3 * Math.PI) / 4 ? 'opposite' : 'side'}`;
    const a = acc.get(key) ?? { sum: 0, less: 0, n: 0 };
    a.sum += 0.5 * dy * dy;
    a.less += 0.5 * (dy - (Number.isNaN(depthDb) ? 0 : depthDb) * dx) ** 2;
    a.n++;
    acc.set(key, a);
  });
  return { depthDb, turned, spread: Object.fromEntries([...acc].map(([k, a]) => [k, { db: Math.sqrt(a.sum / a.n), less: Math.sqrt(a.less / a.n), n: a.n }])) };
}

/**
 * Per AP-distance band, the depth (coefficient on (1/2)·cos(bearing − walking
 * direction)) of the walking epochs' readings about the survey map at their
 * true positions, each epoch's mean taken out; and the readings' spread about it.
 */
function truthProfile(site: Site, layout: SiteLayout, obs: ObservationBatch, tracks: DeviceTracks, survey: SurveyBatch, cfg: EngineConfig): { depthDb: number[]; n: number[]; spreadDb: number } {
  const map = calibrate(site, obs.devices, cfg, layout, { survey, log: obs }).data.maps.find(Boolean)!;
  const g = map.grid, aps = layout.apX.length;
  const at = truthLookup(obs, tracks);
  const epochs = new Map<string, number[]>();
  for (let i = 0; i < obs.length; i++) {
    const key = `${obs.deviceIdx[i]}|${Math.floor(obs.tMs[i] / cfg.ingest.epochMs)}`;
    (epochs.get(key) ?? epochs.set(key, []).get(key)!).push(i);
  }
  const sxy = DIST_M.slice(1).map(() => 0), sxx = sxy.map(() => 0), n = sxy.map(() => 0);
  let ss = 0, count = 0;
  for (const rows of epochs.values()) {
    const d = obs.deviceIdx[rows[0]], t = obs.tMs[rows[0]];
    const p = at(d, t), before = at(d, t - HALF_WINDOW_MS), after = at(d, t + HALF_WINDOW_MS);
    if (!p || !before || !after || before.floor !== after.floor || rows.length < 3) continue;
    if (Math.hypot(after.x - before.x, after.y - before.y) < MIN_WALK_M) continue;
    const heading = Math.atan2(after.y - before.y, after.x - before.x);
    const f = layout.floorId.indexOf(p.floor);
    const cell = (Math.min(g.ny[f] - 1, Math.floor(p.y / g.cellM)) * g.nx[f] + Math.min(g.nx[f] - 1, Math.floor(p.x / g.cellM))) * aps;
    const res = rows.map((r) => obs.rssiDbm[r] - g.gainDb[f][cell + obs.apIdx[r]] - map.apOffsetDb[obs.apIdx[r]]);
    const mean = res.reduce((a, b) => a + b, 0) / res.length;
    rows.forEach((r, k) => {
      const a = obs.apIdx[r];
      const band = DIST_M.findIndex((v, j) => Math.hypot(site.aps[a].x - p.x, site.aps[a].y - p.y) >= v && Math.hypot(site.aps[a].x - p.x, site.aps[a].y - p.y) < DIST_M[j + 1]);
      const x = 0.5 * Math.cos(offBearing(site, a, p.x, p.y, heading)), y = res[k] - mean;
      sxy[band] += x * y;
      sxx[band] += x * x;
      n[band]++;
      ss += y * y;
      count++;
    });
  }
  return { depthDb: sxy.map((v, k) => v / sxx[k]), n, spreadDb: Math.sqrt(ss / count) };
}

/** The engine's reading of the walking body (depth dB, z) at its tracked fixes and at the true positions. */
async function engineReadings(site: Site, layout: SiteLayout, obs: ObservationBatch, tracks: DeviceTracks, survey: SurveyBatch, cfg: EngineConfig): Promise<{ tracked: string; truth: string }> {
  const maps = calibrate(site, obs.devices, cfg, layout, { survey, log: obs }).data.maps;
  const est = (await runEngine(site, obs, { ...cfg, walkingBody: { ...cfg.walkingBody, fromLog: false } }, { survey })).estimates;
  const at = truthLookup(obs, tracks);
  const truth = { ...est, x: Float32Array.from(est.x), y: Float32Array.from(est.y), floor: Int16Array.from(est.floor) };
  for (let i = 0; i < est.length; i++) {
    const p = at(est.deviceIdx[i], est.tMs[i]);
    if (p) [truth.x[i], truth.y[i], truth.floor[i]] = [p.x, p.y, p.floor];
  }
  const read = (fixes: typeof est): string => {
    const b = fitWalkingBody(layout, obs, walkingTracks([fixes], obs.devices.length, cfg.ingest.epochMs, cfg.walkingBody), maps, cfg.ingest.epochMs, cfg.walkingBody).find(Boolean);
    return b ? `${b.depthDb} dB, z ${b.z.toFixed(1)}` : '-';
  };
  return { tracked: read(est), truth: read(truth) };
}

const f1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '-');
const sections: string[] = [];
const work = mkdtempSync(join(tmpdir(), 'ctsim-twin-body-'));
try {
  const base = loadScenario('office', { radioPreset: 'ideal' }).radio;
  for (const zone of ['lib', 'geo'] as const) {
    const c = ujiCase(dataDir(), zone, work);
    process.stderr.write(`${c.name}\n`);
    const input = readTwinInput({ ...c.paths, maxGapS: c.maxGapS ?? DEFAULT_MAX_GAP_MS / 1000 });
    const parts = twinParts(input, {
      split: parseSplit(c.split), seed: SEED, bootstrap: BOOTSTRAP, base, effects: c.effects ?? {}, engine: {}, surveyAgeDays: c.surveyAgeDays, surveyFromCalibration: { gridM: c.surveyGridM },
    });
    const { site, tracks } = input;
    const layout = siteLayout(site);
    const cfg = resolveConfig({ run: { workers: 0 } });
    const ble = parts.calibration.bands.find((b) => b.band === 'ble')!;
    const sides = [
      { name: 'log', obs: parts.test, survey: input.survey! },
      { name: 'twin', obs: parts.simTest, survey: parts.simSurvey! },
    ];
    const calibPairs = spotPairs(site, parts.calJoined.samples);
    const pairs = sides.map((s) => spotPairs(site, joinLog(site, s.obs, tracks, parts.geometry).samples));
    const profiles = sides.map((s) => truthProfile(site, layout, s.obs, tracks, s.survey, cfg));
    const readings = [];
    for (const s of sides) readings.push(await engineReadings(site, layout, s.obs, tracks, s.survey, cfg));
    // Within the calibration part alone: its earlier half (in time) as the survey, its later half's walks about it.
    const halves = [parts.calib, parts.simCalib].map((obs) => {
      const mid = [...obs.tMs].sort((a, b) => a - b)[obs.length >> 1];
      const later = subsetObservations(obs, (i) => obs.tMs[i] >= mid);
      return truthProfile(site, layout, later, tracks, surveyOfPart(obs, tracks, (i) => obs.tMs[i] < mid, c.surveyGridM), cfg);
    });

    const keys = [...new Set([...Object.keys(pairs[0].spread), ...Object.keys(pairs[1].spread)])].sort();
    sections.push([
      `## ${c.name}: ${c.about}`,
      '',
      `The twin's calibration (its calibration part, every reading): body depth ${f1(ble.orientationDepthDb?.value ?? NaN)} dB, slow component ${f1(ble.slowSigmaDb?.value ?? NaN)} dB over ${f1(ble.slowCorrelationS?.value ?? NaN)} s, shadowing ${f1(ble.shadowingSigmaDb.value)} dB.`,
      `Within-spot depth on the calibration part: ${f1(calibPairs.depthDb)} dB (${calibPairs.turned} pairs whose heading changed); on the test part, log ${f1(pairs[0].depthDb)} dB (${pairs[0].turned}), twin ${f1(pairs[1].depthDb)} dB (${pairs[1].turned}).`,
      '',
      'One link at one spot: the spread of its readings\' pairs, √(½·mean Δ²), dB, by lag and heading change (test parts), and with each side\'s within-spot body taken out',
      '',
      '```text',
      formatTable(['pairs', 'log dB', 'less its body', 'log n', 'twin dB', 'less its body', 'twin n'], keys.map((k) => {
        const [l, t] = pairs.map((p) => p.spread[k]);
        return [k, f1(l?.db ?? NaN), f1(l?.less ?? NaN), String(l?.n ?? 0), f1(t?.db ?? NaN), f1(t?.less ?? NaN), String(t?.n ?? 0)];
      })),
      '```',
      '',
      `Walking epochs at their true positions, readings about the survey map (epoch mean out): spread log ${f1(profiles[0].spreadDb)} dB, twin ${f1(profiles[1].spreadDb)} dB; depth on (1/2)·cos(bearing − walking direction) by the AP's distance`,
      '',
      '```text',
      formatTable(['AP distance', 'log dB', 'log n', 'twin dB', 'twin n'], DIST_M.slice(1).map((_, k) => [distName(k), f1(profiles[0].depthDb[k]), String(profiles[0].n[k]), f1(profiles[1].depthDb[k]), String(profiles[1].n[k])])),
      '```',
      '',
      `The engine's walking-body reading (fused, with the survey): log ${readings[0].tracked} at its tracked fixes, ${readings[0].truth} at the true positions; twin ${readings[1].tracked} and ${readings[1].truth}.`,
      '',
      `The calibration part alone, its earlier half (in time) the survey and its later half's walking epochs about it, as above: spread log ${f1(halves[0].spreadDb)} dB, twin ${f1(halves[1].spreadDb)} dB; lean by AP distance ${DIST_M.slice(1).map((_, k) => `${distName(k)} ${f1(halves[0].depthDb[k])} / ${f1(halves[1].depthDb[k])}`).join(', ')} dB (log / twin).`,
    ].join('\n'));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const md = `# The UJI carriers' bodies in the twins (bench/studies/fidelity/twin-body.ts)\n\nUJI BLE (Mendoza-Silva et al., Zenodo 10.5281/zenodo.1618692, CC BY 4.0), split as npm run fidelity splits it; seed ${SEED}. Headings: the device's last move (as the twin's simulator turns its carrier); walking direction: true positions ${HALF_WINDOW_MS / 1000} s before and after.\n\n${sections.join('\n\n')}\n`;
writeFileAtomic('bench/results/twin-body.md', md);
process.stdout.write(md);
