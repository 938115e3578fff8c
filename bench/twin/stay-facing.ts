// The carrier's facing at a stay, which no position log records: a person
// who stops at a spot turns some way the walk in does not tell, and their
// body then shadows the APs behind them (sim/radio/body-orientation.ts). Over
// a stay (one device's consecutive reports at one spot) the facing holds, so
// the stay's mean residual per AP carries (depth / 2) · cos(bearing − facing)
// on top of the link's own field and noise. The spot's own field is the same
// at every visit and has a pattern over bearings of its own (the shelves and
// walls on one side), so only spots visited more than once tell the facing:
// each stay's mean per AP less the spot's mean over its stays (taken on each
// stay's residuals as they are, the spots' own fields read as a 23 dB body on
// wifi-longterm-uji's month 1). Per stay, a free cosine of the APs' bearings
// is fitted to them; a facing drawn at random puts (depth / 2)² · (cc + ss) / 2
// in its explained sum on average (cc, ss: the centred cosines' and sines'
// sums of squares) and the stay's noise 2 · noise², so summed over the stays
// the two give (depth / 2)², a stay with its APs to one side weighing as
// little as it tells.
// Read on every heard link: on wifi-longterm-uji's month-1 survey (1,779
// stays, 49 spots each visited about 30 times) 5.7 dB, beside ble-6ft-mitll's
// 5.2 dB measured for a phone held in the hand (bench/results/body-orientation.md).
// The links clear of the floor alone read 9.3 dB: the near APs also carry a
// stay's offset from its mark, whose pattern over bearings falls with
// distance, and a body's depth does not (the weak links lose their lowest
// readings to the floor, which reads them a little shallow).
import type { JoinedLog } from './samples.ts';
import { MIN_STEP_M } from '../../sim/emitter.ts';

/** A stay needs this many APs with a mean residual to fit a cosine with its noise (3 parameters). */
const MIN_STAY_APS = 6;
/** A gap between reports this long ends a stay, ms: the log does not say the carrier stood there through it. */
const MAX_STAY_GAP_MS = 60_000;
/** Stays needed before a depth is read. */
const MIN_STAYS = 30;

/** A stay: its spot, and its samples (indices into the fitted subset) per AP. */
export interface Stay {
  spot: string;
  byAp: number[][];
}

/** Reports this close share a spot, m (a grid, so a spot is the same whatever the order the stays come in). */
const SPOT_GRID_M = 0.1;

/**
 * Stays of the subset `idx` of a log's samples: runs of one device's reports at
 * one spot (within MIN_STEP_M, one floor, none more than MAX_STAY_GAP_MS after
 * the last), two reports or more.
 */
export function staysOf(idx: number[], s: JoinedLog['samples']): Stay[] {
  const order = Uint32Array.from(idx.keys()).sort((p, q) => s.device[idx[p]] - s.device[idx[q]] || s.tMs[idx[p]] - s.tMs[idx[q]]);
  const out: Stay[] = [];
  let run: number[] = [], times = 0, lastT = NaN;
  const close = (): void => {
    if (times >= 2) {
      const byAp = new Map<number, number[]>();
      for (const k of run) {
        const ks = byAp.get(s.ap[idx[k]]);
        if (ks) ks.push(k);
        else byAp.set(s.ap[idx[k]], [k]);
      }
      const i = idx[run[0]], g = (v: number): number => Math.round(v / SPOT_GRID_M);
      if (byAp.size >= MIN_STAY_APS) out.push({ spot: `${s.floor[i]}|${g(s.x[i])}|${g(s.y[i])}`, byAp: [...byAp.values()] });
    }
    run = [];
    times = 0;
  };
  for (const k of order) {
    const i = idx[k], first = run.length > 0 ? idx[run[0]] : -1;
    const same = first >= 0 && s.device[first] === s.device[i] && s.floor[first] === s.floor[i] && Math.hypot(s.x[i] - s.x[first], s.y[i] - s.y[first]) <= MIN_STEP_M && s.tMs[i] - lastT <= MAX_STAY_GAP_MS;
    if (!same) close();
    if (s.tMs[i] !== lastT || !same) times++;
    lastT = s.tMs[i];
    run.push(k);
  }
  close();
  return out;
}

/**
 * Peak-to-trough depth of the facing pattern over the stays, dB, from the
 * residuals `resid` (subset order) weighted by `w` (0 leaves a sample out);
 * null with fewer than MIN_STAYS usable stays. `bearingOf(k)`: the AP's
 * bearing from sample k's position, radians.
 */
export function stayFacingDepthDb(stays: Stay[], resid: Float64Array, w: Float64Array, apOf: (k: number) => number, bearingOf: (k: number) => number): number | null {
  // Each stay's weighted mean per AP, then each (spot, AP)'s mean over its stays.
  const means = stays.map((stay) => stay.byAp.map((ks) => {
    let sw = 0, sr = 0;
    for (const k of ks) { sw += w[k]; sr += w[k] * resid[k]; }
    return { k: ks[0], w: sw, mean: sw > 0 ? sr / sw : NaN };
  }));
  const spots = new Map<string, { sum: number; n: number }>();
  stays.forEach((stay, j) => means[j].forEach((m) => {
    if (m.w <= 0) return;
    const key = `${stay.spot}|${apOf(m.k)}`, acc = spots.get(key) ?? { sum: 0, n: 0 };
    acc.sum += m.mean;
    acc.n++;
    spots.set(key, acc);
  }));
  let signal = 0, design = 0, used = 0;
  for (const [j, stay] of stays.entries()) {
    const r: number[] = [], c: number[] = [], sn: number[] = [];
    let stayW = 0;
    for (const m of means[j]) {
      const spot = m.w > 0 ? spots.get(`${stay.spot}|${apOf(m.k)}`)! : null;
      if (!spot || spot.n < 2) continue;
      // The spot's mean holds 1/n of this stay's facing: the scale gives the deviation the facing's full variance.
      r.push((m.mean - spot.sum / spot.n) * Math.sqrt(spot.n / (spot.n - 1)));
      const b = bearingOf(m.k);
      c.push(Math.cos(b));
      sn.push(Math.sin(b));
      stayW += m.w;
    }
    const m = r.length;
    if (m < MIN_STAY_APS) continue;
    // Least squares on [1, cos, sin]: the centred normal equations for the cosine's two coefficients.
    const mean = (v: number[]): number => v.reduce((a, x) => a + x, 0) / m;
    const mr = mean(r), mc = mean(c), ms = mean(sn);
    let cc = 0, ss = 0, cs = 0, rc = 0, rs = 0, rr = 0;
    for (let q = 0; q < m; q++) {
      const dc = c[q] - mc, ds = sn[q] - ms, dr = r[q] - mr;
      cc += dc * dc; ss += ds * ds; cs += dc * ds; rc += dr * dc; rs += dr * ds; rr += dr * dr;
    }
    const det = cc * ss - cs * cs;
    // APs all on one line through the spot tell no facing.
    if (det < 1e-3 * m * m) continue;
    const explained = ((rc * ss - rs * cs) * rc + (rs * cc - rc * cs) * rs) / det;
    const noise2 = (rr - explained) / (m - 3);
    // A facing drawn at random puts (depth / 2)² · (cc + ss) / 2 in the explained sum on average, the noise 2 · noise²;
    // summed over stays, so a stay with APs on one side weighs as little as it tells.
    const stayWeight = stayW / m;
    signal += stayWeight * (explained - 2 * noise2);
    design += stayWeight * (cc + ss) / 2;
    used++;
  }
  if (used < MIN_STAYS || design <= 0) return null;
  return 2 * Math.sqrt(Math.max(signal / design, 0));
}
