// Whether the carrier's body, facing the way it walks, can be taken out of a
// walk's readings by a heading the engine itself could know (the UJI
// collectors faced the way they walked: radio-fit/standing-facing.ts). Each
// shared log as recorded (walks.ts) is located once with the default config;
// each device's walking direction is read off that track (the direction of
// its last move of more than MOVE_M, from the fix before the epoch it is used
// on), and every reading of an epoch loses (depth / 2)·cos(bearing to the AP
// from the epoch's fix − heading) before the log is located again. Depths:
// localize.map.bodyDepthDb (the median indoor depth of ble-6ft-mitll's
// rotations), and the one the log's own readings tell along that heading
// (their residuals about the survey map at the first fixes, each epoch's mean
// taken out, regressed on the cosine; a tracked fix that lags its walker
// reads the same way, so it is an upper bound). Last, with the true walking
// direction and position in place of the track's (no engine knows them: what
// a perfect heading would give). Then the survey less its surveyor's body
// (where it visited a position once: the way it walked in, which a survey
// knows of its own walk), with the log as it is and less its own. And what
// ships: the engine's own reading (engine/calibrate/walking-body.ts), the
// direction centred on each epoch, used where it stands out of chance.
// Writes bench/results/walking-body.md. Run: node bin/run-ts.js bench/studies/real-data/walking-body.ts
import { DEFAULT_CONFIG, resolveConfig } from '../../../engine/config.ts';
import type { ObservationBatch } from '../../../engine/contract/observations.ts';
import type { Site } from '../../../engine/contract/site.ts';
import type { SurveyBatch } from '../../../engine/contract/survey.ts';
import { siteLayout } from '../../../engine/localize/layout.ts';
import type { Estimates } from '../../../engine/outputs.ts';
import { calibrate } from '../../../engine/pipeline/calibration.ts';
import { runEngine } from '../../../engine/run.ts';
import { orientationGainDb } from '../../../sim/radio/body-orientation.ts';
import { formatTable } from '../../../reports/table.ts';
import { strictArgs } from '../../entry/args.ts';
import { scoreEngine } from '../../twin/twin.ts';
import { writeStudyResult } from '../study-result.ts';
import { realWalks, type RealWalk } from './walks.ts';

strictArgs('bench/studies/real-data/walking-body.ts').parseSync();

/** A fix this far from where the device last set its heading is a move, m: about the spread of a standing device's tracked fixes. */
const MOVE_M = 0.5;
// The engine's own reading of the walking body (walkingBody.fromLog) off: each variant below takes the body out itself.
const cfg = resolveConfig({ run: { workers: 0 }, walkingBody: { fromLog: false } });
const engineCfg = resolveConfig({ run: { workers: 0 } });

/** Where a device was and which way it walked, per epoch (ascending tMs), as known at that epoch. */
interface Walked {
  tMs: number[];
  x: number[];
  y: number[];
  floor: number[];
  headingRad: number[];
}

/** Each device's epochs from its fixes, the heading the direction of its last move (NaN before the first). */
function walkedFromFixes(est: Estimates): Map<number, Walked> {
  const out = new Map<number, Walked>();
  const order = Array.from({ length: est.length }, (_, i) => i).sort((a, b) => est.deviceIdx[a] - est.deviceIdx[b] || est.tMs[a] - est.tMs[b]);
  for (const i of order) {
    let w = out.get(est.deviceIdx[i]);
    if (!w) out.set(est.deviceIdx[i], (w = { tMs: [], x: [], y: [], floor: [], headingRad: [] }));
    w.tMs.push(est.tMs[i]);
    w.x.push(est.x[i]);
    w.y.push(est.y[i]);
    w.floor.push(est.floor[i]);
  }
  for (const w of out.values()) {
    let ax = w.x[0], ay = w.y[0], heading = NaN;
    w.tMs.forEach((_, k) => {
      if (Math.hypot(w.x[k] - ax, w.y[k] - ay) > MOVE_M) [heading, ax, ay] = [Math.atan2(w.y[k] - ay, w.x[k] - ax), w.x[k], w.y[k]];
      w.headingRad.push(heading);
    });
  }
  return out;
}

/** The same from the true tracks at the fixes' times: true position, and the direction from the previous true position. */
function walkedInTruth(walk: RealWalk, fixes: Map<number, Walked>): Map<number, Walked> {
  const out = new Map<number, Walked>();
  for (const [d, f] of fixes) {
    const track = walk.input.tracks.get(walk.test.devices[d].id);
    if (!track) continue;
    const w: Walked = { tMs: f.tMs, x: [], y: [], floor: [], headingRad: [] };
    let j = 0;
    for (const t of f.tMs) {
      while (j + 1 < track.tMs.length && track.tMs[j + 1] <= t) j++;
      // The last position before this one, across the track's gaps (rows off the floor: NaN).
      let m = j;
      while (m > 0 && (Number.isNaN(track.x[m - 1]) || (track.x[m - 1] === track.x[j] && track.y[m - 1] === track.y[j]))) m--;
      w.x.push(track.x[j]);
      w.y.push(track.y[j]);
      w.floor.push(track.floor[j]);
      w.headingRad.push(m > 0 && !Number.isNaN(track.x[j]) ? Math.atan2(track.y[j] - track.y[m - 1], track.x[j] - track.x[m - 1]) : NaN);
    }
    out.set(d, w);
  }
  return out;
}

/** Per reading, its device's epoch (the last at or before it) and the heading known before it (the epoch before's); −1 without one. */
function epochOfReading(obs: ObservationBatch, walked: Map<number, Walked>): Int32Array {
  const out = new Int32Array(obs.length).fill(-1);
  for (let i = 0; i < obs.length; i++) {
    const w = walked.get(obs.deviceIdx[i]);
    if (!w) continue;
    let lo = 0, hi = w.tMs.length - 1, k = -1;
    while (lo <= hi) {
      const m = (lo + hi) >> 1;
      if (w.tMs[m] <= obs.tMs[i]) [k, lo] = [m, m + 1];
      else hi = m - 1;
    }
    if (k > 0 && !Number.isNaN(w.headingRad[k - 1])) out[i] = k;
  }
  return out;
}

/** cos(bearing to the reading's AP from the epoch's position − the heading known before it); NaN without one. */
function cosines(site: Site, obs: ObservationBatch, walked: Map<number, Walked>): Float64Array {
  const epoch = epochOfReading(obs, walked);
  return Float64Array.from({ length: obs.length }, (_, i) => {
    const k = epoch[i];
    if (k < 0) return NaN;
    const w = walked.get(obs.deviceIdx[i])!, ap = site.aps[obs.apIdx[i]];
    return Math.cos(Math.atan2(ap.y - w.y[k], ap.x - w.x[k]) - w.headingRad[k - 1]);
  });
}

/**
 * The survey less the surveyor's body: at each position the calibrating part
 * of the log visited once, each reading less (depth / 2)·cos(bearing to its
 * AP − the way the surveyor walked in), from the true track (a survey knows
 * its own walk); positions visited more than once hold both facings and stay as they are.
 */
function unbodiedSurvey(walk: RealWalk, depthDb: number): SurveyBatch | undefined {
  const survey = walk.survey;
  if (!survey) return undefined;
  const key = (x: number, y: number): string => `${Math.round(x * 100)}|${Math.round(y * 100)}`;
  const walkedIn = new Map<string, number>(), visits = new Map<string, number>();
  for (const [id, track] of walk.input.tracks) {
    let px = NaN, py = NaN, heading = NaN;
    for (let j = 0; j < track.tMs.length; j++) {
      const x = track.x[j], y = track.y[j];
      if (Number.isNaN(x) || walk.rule(id, track.tMs[j], track.floor[j], x, y) !== 'calibrate' || (x === px && y === py)) continue;
      if (!Number.isNaN(px)) heading = Math.atan2(y - py, x - px);
      visits.set(key(x, y), (visits.get(key(x, y)) ?? 0) + 1);
      walkedIn.set(key(x, y), heading);
      [px, py] = [x, y];
    }
  }
  const aps = walk.input.site.aps;
  return {
    ...survey,
    rssiDbm: Float32Array.from(survey.rssiDbm, (v, i) => {
      const k = key(survey.x[i], survey.y[i]), h = walkedIn.get(k);
      return h === undefined || Number.isNaN(h) || visits.get(k) !== 1 ? v : v - orientationGainDb(depthDb, Math.atan2(aps[survey.apIdx[i]].y - survey.y[i], aps[survey.apIdx[i]].x - survey.x[i]), h);
    }),
  };
}

/** The log with each reading less (depth / 2)·cos (the simulator's body, orientationGainDb). */
function unbodied(obs: ObservationBatch, cos: Float64Array, depthDb: number): ObservationBatch {
  return { ...obs, rssiDbm: Float32Array.from(obs.rssiDbm, (v, i) => (Number.isNaN(cos[i]) ? v : v - (depthDb / 2) * cos[i])) };
}

/** The depth the readings tell: their residual about the survey map at the epoch's fix, less the epoch's mean, regressed on the cosine, times 2. */
function depthFromLog(site: Site, obs: ObservationBatch, survey: SurveyBatch, walked: Map<number, Walked>, cos: Float64Array): number {
  const layout = siteLayout(site);
  const cal = calibrate(site, obs.devices, cfg, layout, { survey, log: obs });
  const epoch = epochOfReading(obs, walked), aps = site.aps.length;
  const groups = new Map<string, { r: number[]; c: number[] }>();
  for (let i = 0; i < obs.length; i++) {
    const k = epoch[i];
    const map = cal.survey.maps[obs.devices[obs.deviceIdx[i]].tech.startsWith('ble') ? 'ble' : 'wifi'];
    if (k < 0 || !map) continue;
    const w = walked.get(obs.deviceIdx[i])!, f = layout.floorId.indexOf(w.floor[k]);
    if (f < 0 || site.aps[obs.apIdx[i]].floor !== w.floor[k]) continue;
    const ci = Math.min(Math.max(Math.floor(w.x[k] / map.cellM), 0), map.nx[f] - 1), cj = Math.min(Math.max(Math.floor(w.y[k] / map.cellM), 0), map.ny[f] - 1);
    const key = `${obs.deviceIdx[i]}|${k}`;
    const g = groups.get(key) ?? { r: [], c: [] };
    groups.set(key, g);
    g.r.push(obs.rssiDbm[i] - map.gainDb[f][(cj * map.nx[f] + ci) * aps + obs.apIdx[i]]);
    g.c.push(cos[i]);
  }
  let sxy = 0, sxx = 0;
  for (const { r, c } of groups.values()) {
    if (r.length < 3) continue;
    const mr = r.reduce((s, v) => s + v, 0) / r.length, mc = c.reduce((s, v) => s + v, 0) / c.length;
    r.forEach((v, j) => {
      sxy += (v - mr) * (c[j] - mc);
      sxx += (c[j] - mc) ** 2;
    });
  }
  return sxx > 0 ? Math.max(0, (2 * sxy) / sxx) : 0;
}

const rows: string[][] = [];
const f2 = (x: number): string => x.toFixed(2);
for (const walk of realWalks()) {
  if (!walk.survey) continue;
  const { site } = walk.input;
  const score = (obs: ObservationBatch, survey = walk.survey) => scoreEngine(site, obs, walk.input.tracks, walk.rule, cfg, survey);
  const first = await score(walk.test);
  const fixes = walkedFromFixes((await runEngine(site, walk.test, cfg, { survey: walk.survey })).estimates);
  const cos = cosines(site, walk.test, fixes);
  const fitted = depthFromLog(site, walk.test, walk.survey, fixes, cos);
  const truthCos = cosines(site, walk.test, walkedInTruth(walk, fixes));
  const DEPTH_DB = DEFAULT_CONFIG.localize.map.bodyDepthDb;
  for (const [heading, depth, c] of [['-', 0, cos], ['track', DEPTH_DB, cos], ['track', fitted, cos], ['true', DEPTH_DB, truthCos]] as const) {
    const s = depth === 0 ? first : await score(unbodied(walk.test, c, depth));
    rows.push([walk.name, 'as is', heading, depth.toFixed(1), String(s.fixes), f2(s.medianM), f2(s.p90M), f2(s.coverage)]);
  }
  // What ships: the engine reads the body itself (centred direction, position free near the fix) where it stands out of chance.
  const own = await scoreEngine(site, walk.test, walk.input.tracks, walk.rule, engineCfg, walk.survey);
  const read = Object.values((await runEngine(site, walk.test, engineCfg, { survey: walk.survey })).calibrationSources).find((c) => c?.walkingBody)?.walkingBody;
  rows.push([walk.name, 'as is', read?.used ? 'engine' : 'engine (none)', (read?.used ? read.depthDb : 0).toFixed(1), String(own.fixes), f2(own.medianM), f2(own.p90M), f2(own.coverage)]);
  const surveyUnbodied = unbodiedSurvey(walk, DEPTH_DB);
  for (const [heading, obs] of [['-', walk.test], ['track', unbodied(walk.test, cos, DEPTH_DB)]] as const) {
    const s = await score(obs, surveyUnbodied);
    rows.push([walk.name, 'less the body', heading, DEPTH_DB.toFixed(1), String(s.fixes), f2(s.medianM), f2(s.p90M), f2(s.coverage)]);
  }
}
writeStudyResult(
  'walking-body', false, "The carrier's body by its walking direction, on the shared logs as recorded (bench/studies/real-data/walking-body.ts)",
  [
    'Each log located with the default config but walkingBody.fromLog off (tracker and stays on, with its survey); heading: none (as located), the walking direction off that first track',
    `(its last move of more than ${MOVE_M} m), or the true one (at the true position). Depth: ${DEFAULT_CONFIG.localize.map.bodyDepthDb} dB (localize.map.bodyDepthDb) or what the log's residuals`,
    'about the survey map read along the track\'s heading. Each reading less (depth / 2)·cos(bearing to its AP − heading), then located again.',
    'Survey less the body: at each position the survey visited once, its readings less the same with the way the surveyor walked in (positions visited twice hold both facings).',
    'heading "engine": the default engine (walkingBody.fromLog), which reads the depth itself off its tracks, the direction centred on each epoch; "engine (none)": it read none that stood out of chance.',
  ],
  formatTable(['log', 'survey', 'heading', 'depth dB', 'fixes', 'median m', 'p90 m', 'r68 cover'], rows) + '\n',
);
