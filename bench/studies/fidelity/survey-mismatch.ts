// How a later walk's readings part from the survey's, log beside twin, where
// the Wi-Fi long-term twin's map fixes come out kinder than the log's
// (bench/twin/ageing.ts, npm run fidelity). On wifi-longterm-uji's month 1,
// month 1's training sets the survey and its test sets the walk: every test
// reading taken within MATCH_M of a surveyed point, less that point's survey
// mean for its AP (the survey's field cancels), per scan of SCAN_MIN_APS or
// more such readings:
//   - the mismatch's spread, its scan mean's (what a fix's device offset
//     takes out) and what is left within the scan;
//   - within the scan, how two APs' mismatches go together by how far apart
//     the APs are;
//   - within the scan, a cosine of the AP's bearing fitted freely (a facing,
//     or a position off its label, moves a fix) and the share of variance it
//     takes, beside the same fit with the scan's bearings shuffled.
// The twin is the ageing twin's month 1 (calibrated on the training sets,
// its survey and walk simulated) on seeds 1-3.
// Writes bench/results/survey-mismatch.md. Run: node bin/run-ts.js bench/studies/fidelity/survey-mismatch.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObservationBatch } from '../../../engine/contract/observations.ts';
import type { Site } from '../../../engine/contract/site.ts';
import type { SurveyBatch } from '../../../engine/contract/survey.ts';
import { writeFileAtomic } from '../../../engine/io/atomic-write.ts';
import { formatTable } from '../../../reports/table.ts';
import { loadScenario } from '../../../scenarios/load.ts';
import { Rng } from '../../../sim/rng.ts';
import { strictArgs } from '../../entry/args.ts';
import { readTwinInput } from '../../twin/input.ts';
import { subsetObservations } from '../../../engine/contract/observations.ts';
import type { DeviceTracks } from '../../twin/positions.ts';
import { truthLookup } from '../../twin/samples.ts';
import { simulateTwin, twinScenario } from '../../twin/simulate.ts';
import { splitRule } from '../../twin/split.ts';
import { calibrateTwin, partRule, twinDevices, twinSurvey } from '../../twin/twin.ts';
import { longtermCase } from './longterm.ts';

strictArgs('bench/studies/fidelity/survey-mismatch.ts').parseSync();

const SEEDS = [1, 2, 3];
/** A test reading counts where its true position lies this near a surveyed point, m. */
const MATCH_M = 0.75;
/** A survey mean of fewer readings than this is left out: its own noise would dominate. */
const MIN_SURVEY_READINGS = 3;
/** Scans with fewer matched readings than this are left out: too few APs to tell a pattern over bearings. */
const SCAN_MIN_APS = 6;
/** Distances between the two APs of a pair, m. */
const PAIR_M = [0, 3, 6, 10];
const pairName = (k: number): string => (k + 1 === PAIR_M.length ? `≥${PAIR_M[k]} m` : `${PAIR_M[k]}-${PAIR_M[k + 1]} m`);

interface Reading { ap: number; mismatchDb: number; bearingRad: number }

interface Mismatch {
  readings: number;
  scans: number;
  spreadDb: number;
  scanMeanDb: number;
  withinDb: number;
  /** Per PAIR_M band: the correlation of two APs' within-scan mismatches. */
  pairCorrelation: number[];
  cosineAmplitudeDb: number;
  cosineShare: number;
  shuffledShare: number;
}

/** Each scan's matched readings: a reading less its nearest surveyed point's mean for its AP. */
function scansOf(site: Site, obs: ObservationBatch, tracks: DeviceTracks, survey: SurveyBatch): Reading[][] {
  const sums = new Map<string, { sum: number; n: number }>();
  const points = new Map<string, { floor: number; x: number; y: number }>();
  for (let i = 0; i < survey.length; i++) {
    const point = `${survey.floor[i]}|${survey.x[i]}|${survey.y[i]}`;
    points.set(point, { floor: survey.floor[i], x: survey.x[i], y: survey.y[i] });
    const s = sums.get(`${point}|${survey.apIdx[i]}`) ?? { sum: 0, n: 0 };
    s.sum += survey.rssiDbm[i];
    s.n++;
    sums.set(`${point}|${survey.apIdx[i]}`, s);
  }
  const at = truthLookup(obs, tracks);
  const scans = new Map<string, Reading[]>();
  for (let i = 0; i < obs.length; i++) {
    const p = at(obs.deviceIdx[i], obs.tMs[i]);
    if (!p) continue;
    let nearest: string | null = null, best = MATCH_M;
    for (const [key, q] of points) {
      const d = q.floor === p.floor ? Math.hypot(q.x - p.x, q.y - p.y) : Infinity;
      if (d < best) [nearest, best] = [key, d];
    }
    const s = nearest === null ? undefined : sums.get(`${nearest}|${obs.apIdx[i]}`);
    if (!s || s.n < MIN_SURVEY_READINGS) continue;
    const ap = site.aps[obs.apIdx[i]];
    const scan = `${obs.deviceIdx[i]}|${obs.tMs[i]}`;
    const list = scans.get(scan) ?? [];
    list.push({ ap: obs.apIdx[i], mismatchDb: obs.rssiDbm[i] - s.sum / s.n, bearingRad: Math.atan2(ap.y - p.y, ap.x - p.x) });
    scans.set(scan, list);
  }
  return [...scans.values()].filter((l) => l.length >= SCAN_MIN_APS);
}

/** The least-squares cosine a·cos(b) + c·sin(b) through the scan's centred mismatches: its amplitude and the sum of squares it takes. */
function cosineFit(y: number[], bearings: number[]): { amplitude: number; explained: number } | null {
  let cc = 0, ss = 0, cs = 0, yc = 0, ys = 0;
  bearings.forEach((b, k) => {
    const c = Math.cos(b), s = Math.sin(b);
    cc += c * c; ss += s * s; cs += c * s; yc += y[k] * c; ys += y[k] * s;
  });
  const det = cc * ss - cs * cs;
  if (det < 1e-6) return null;
  const a = (yc * ss - ys * cs) / det, c = (ys * cc - yc * cs) / det;
  return { amplitude: Math.hypot(a, c), explained: a * yc + c * ys };
}

function mismatchOf(site: Site, scans: Reading[][], seed: number): Mismatch {
  const rng = new Rng(seed, 'survey-mismatch:shuffle');
  const all: number[] = [], scanMeans: number[] = [], within: number[] = [];
  const pairs = PAIR_M.map(() => ({ xy: 0, xx: 0, yy: 0 }));
  let amplitude = 0, explained = 0, shuffled = 0, total = 0, fitted = 0;
  for (const scan of scans) {
    const mean = scan.reduce((s, r) => s + r.mismatchDb, 0) / scan.length;
    const y = scan.map((r) => r.mismatchDb - mean);
    scanMeans.push(mean);
    scan.forEach((r, k) => { all.push(r.mismatchDb); within.push(y[k]); });
    for (let a = 0; a < scan.length; a++) {
      for (let b = a + 1; b < scan.length; b++) {
        const A = site.aps[scan[a].ap], B = site.aps[scan[b].ap];
        if (A.floor !== B.floor) continue;
        const d = Math.hypot(A.x - B.x, A.y - B.y);
        const band = pairs[PAIR_M.filter((m) => d >= m).length - 1];
        band.xy += y[a] * y[b]; band.xx += y[a] ** 2; band.yy += y[b] ** 2;
      }
    }
    const bearings = scan.map((r) => r.bearingRad);
    const fit = cosineFit(y, bearings), shuffle = cosineFit(y, rng.shuffle([...bearings]));
    if (!fit || !shuffle) continue;
    amplitude += fit.amplitude; explained += fit.explained; shuffled += shuffle.explained;
    total += y.reduce((s, v) => s + v * v, 0);
    fitted++;
  }
  const sd = (v: number[]): number => {
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length);
  };
  return {
    readings: all.length, scans: scans.length, spreadDb: sd(all), scanMeanDb: sd(scanMeans), withinDb: sd(within),
    pairCorrelation: pairs.map((p) => p.xy / Math.sqrt(p.xx * p.yy)),
    cosineAmplitudeDb: amplitude / fitted, cosineShare: explained / total, shuffledShare: shuffled / total,
  };
}

const work = mkdtempSync(join(tmpdir(), 'ctsim-survey-mismatch-'));
const rows: [string, Mismatch][] = [];
try {
  const c = longtermCase(work, [1]);
  const input = readTwinInput({ ...c.paths, maxGapS: c.maxGapS! });
  const { site, observations: obs, tracks, survey } = input;
  const [part] = c.parts;
  const rule = splitRule({ kind: 'device', ids: part.deviceIds }, tracks, input.firstMs, input.lastMs);
  const partOf = partRule(obs, tracks, rule);
  const calib = subsetObservations(obs, (i) => partOf(i) === 'calibrate');
  rows.push(['log', mismatchOf(site, scansOf(site, subsetObservations(obs, (i) => partOf(i) === 'test'), tracks, survey!), 1)]);
  for (const seed of SEEDS) {
    // As the ageing twin (bench/twin/ageing.ts) simulates month 1: calibrated once, the walk and the survey as old as it was.
    const twin = calibrateTwin(site, calib, tracks, { bootstrap: 0, seed, base: loadScenario('office', { radioPreset: 'ideal' }).radio, effects: c.effects!, fitApPositions: c.fitApPositions });
    const scenario = twinScenario(twin.world, twin.radio, seed, twin.materialLossDb);
    const tested = new Set(part.deviceIds);
    const walk = simulateTwin(scenario, twinDevices(obs, tracks, twin.calibration).filter((d) => tested.has(d.id)), null).observations;
    const simSurvey = simulateTwin(scenario, [], twinSurvey(survey!, part.ageDays)).survey!;
    const simPart = partRule(walk, tracks, rule);
    rows.push([`twin, seed ${seed}`, mismatchOf(site, scansOf(site, subsetObservations(walk, (i) => simPart(i) === 'test'), tracks, simSurvey), seed)]);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const f2 = (v: number): string => v.toFixed(2);
const md = [
  '# A later walk against the survey, log beside twin (bench/studies/fidelity/survey-mismatch.ts)',
  '',
  `wifi-longterm-uji (UJI_LIB_DB_v2, Zenodo 10.5281/zenodo.1066041, CC BY 4.0), month 1: its training sets the survey, its test sets (tst01+tst05) the walk. Each test reading whose true position lies within ${MATCH_M} m of a surveyed point, less that point's survey mean for its AP (${MIN_SURVEY_READINGS}+ readings), per scan of ${SCAN_MIN_APS}+ such readings. Twin: the ageing twin's month 1 (bench/twin/ageing.ts: calibrated on the training sets, APs where they put them, survey and walk simulated).`,
  '',
  'Spread of the mismatch, dB: every reading, its scan\'s mean (a fix\'s device offset takes it out), within the scan; within the scan, a cosine of the AP\'s bearing fitted per scan (a facing, or a position off its label): its mean amplitude and its share of the variance, and that share with each scan\'s bearings shuffled',
  '',
  '```text',
  formatTable(['side', 'readings', 'scans', 'spread dB', 'scan mean dB', 'within dB', 'cosine dB', 'cosine share', 'shuffled'], rows.map(([name, m]) => [
    name, String(m.readings), String(m.scans), f2(m.spreadDb), f2(m.scanMeanDb), f2(m.withinDb), f2(m.cosineAmplitudeDb), f2(m.cosineShare), f2(m.shuffledShare),
  ])),
  '```',
  '',
  'Within the scan, the correlation of two APs\' mismatches by how far apart the APs are (same floor)',
  '',
  '```text',
  formatTable(['side', ...PAIR_M.map((_, k) => pairName(k))], rows.map(([name, m]) => [name, ...m.pairCorrelation.map(f2)])),
  '```',
  '',
].join('\n');
writeFileAtomic('bench/results/survey-mismatch.md', md);
process.stdout.write(md);
