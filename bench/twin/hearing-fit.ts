// Which emissions the APs heard, fitted for the twin's calibration
// (bench/twin/calibrate.ts) from every (emission, AP) link of the calibration
// part with the link's fitted mean:
//   - on links clear of sensitivity (mean well above it), the count each
//     emission's clear links heard is a beta-binomial: each emission's own
//     hearing probability, mean m and intra-emission correlation ρ
//     (sim/radio/emission-hearing.ts). A log holds only emissions something
//     heard, so an emission heard by none of its other links is conditioned
//     on at least one hearing (zero-truncated). Maximum likelihood on a grid.
//   - the detection ramp (BandRadio.sensitivityRampDb): the receiver reports
//     readings down to its floor (the weakest readings), but a scanning receiver
//     detects a frame less often the nearer it is to that floor, so fewer weak
//     links are heard than a hard floor implies. The ramp's width is where the
//     weak links' predicted hearing, m · E[min(1, max(0, (mean + residual −
//     floor) / width))] with the residual's spread, adds up to what they heard
//     (0: a hard floor hears no more than they did).
import { errorFunction, gammaln } from 'simple-statistics';

export interface HearingLinks {
  /** Fitted mean RSSI of each link, dBm. */
  meanDbm: Float64Array;
  heard: Uint8Array;
  /** Emission of each link (0-based, links of one emission together). */
  emission: Uint32Array;
  /** Weight of each link (bootstrap). */
  w: Float64Array;
}

export interface HearingFit {
  /** Mean share of clear links an emission reaches (1 − packet loss). */
  meanHeard: number;
  /** Intra-emission correlation of hearing. */
  correlation: number;
  /** Width of the detection ramp above the floor, dB; null when no link is weak enough to say. */
  rampDb: number | null;
}

const M_GRID = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
const RHO_GRID = [0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.13, 0.16, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
/** Where the ramp's width is searched, dB (LIMITS.sensitivityRampDb). */
const RAMP_RANGE_DB: [number, number] = [0, 40];
/** The weak links' means are binned this finely for the ramp's search, dB. */
const MEAN_BIN_DB = 0.25;
/** Points of the midpoint rule across the ramp. */
const RAMP_STEPS = 16;

/** The receiver reports nothing below floorDbm; links with mean ≥ clearDbm are clear of it; residualSigmaDb is the spread around a link's mean. */
export function fitHearing(l: HearingLinks, floorDbm: number, clearDbm: number, residualSigmaDb: number): HearingFit | null {
  // Per emission: clear links, how many heard, whether a weak link was heard (then the emission's presence says nothing of the clear ones).
  const emissions = l.emission.length > 0 ? l.emission[l.emission.length - 1] + 1 : 0;
  const n = new Uint16Array(emissions), k = new Uint16Array(emissions), weakHeard = new Uint8Array(emissions);
  const w = new Float64Array(emissions), wn = new Float64Array(emissions);
  for (let i = 0; i < l.meanDbm.length; i++) {
    const e = l.emission[i];
    if (l.meanDbm[i] >= clearDbm) {
      n[e]++; k[e] += l.heard[i]; w[e] += l.w[i]; wn[e]++;
    } else if (l.heard[i]) weakHeard[e] = 1;
  }
  // (n, k, truncated) → total weight.
  const table = new Map<number, number>();
  let nMax = 0;
  for (let e = 0; e < emissions; e++) {
    if (n[e] === 0 || w[e] === 0) continue;
    const key = (n[e] * 1024 + k[e]) * 2 + (weakHeard[e] ? 0 : 1);
    table.set(key, (table.get(key) ?? 0) + w[e] / wn[e]);
    nMax = Math.max(nMax, n[e]);
  }
  if (table.size === 0) return null;
  const cells = [...table].map(([key, weight]) => ({ n: Math.floor(key / 2048), k: Math.floor(key / 2) % 1024, truncated: key % 2 === 1, weight }));
  const lnChoose = (nn: number, kk: number): number => gammaln(nn + 1) - gammaln(kk + 1) - gammaln(nn - kk + 1);
  let best = { m: NaN, rho: 0, ll: -Infinity };
  const la = new Float64Array(nMax + 1), lb = new Float64Array(nMax + 1), lab = new Float64Array(nMax + 1);
  for (const rho of RHO_GRID) {
    for (const m of M_GRID) {
      // Cumulative log-rising factorials: ln B(k+a, n−k+b) − ln B(a, b) = la[k] + lb[n−k] − lab[n]; ρ = 0 is the binomial.
      if (rho === 0) {
        for (let i = 1; i <= nMax; i++) { la[i] = i * Math.log(m); lb[i] = i * Math.log(1 - m); lab[i] = 0; }
      } else {
        const s = 1 / rho - 1, a = m * s, b = (1 - m) * s;
        for (let i = 1; i <= nMax; i++) { la[i] = la[i - 1] + Math.log(a + i - 1); lb[i] = lb[i - 1] + Math.log(b + i - 1); lab[i] = lab[i - 1] + Math.log(a + b + i - 1); }
      }
      let ll = 0;
      for (const c of cells) {
        let lp = lnChoose(c.n, c.k) + la[c.k] + lb[c.n - c.k] - lab[c.n];
        if (c.truncated) lp -= Math.log(Math.max(1e-300, 1 - Math.exp(lb[c.n] - lab[c.n])));
        ll += c.weight * lp;
      }
      if (ll > best.ll) best = { m, rho, ll };
    }
  }
  return { meanHeard: best.m, correlation: best.rho, rampDb: matchRamp(l, floorDbm, clearDbm, residualSigmaDb, best.m) };
}

/** The ramp width at which the weak links' predicted hearing equals what they heard; null with no weak link heard or missed. */
function matchRamp(l: HearingLinks, floorDbm: number, clearDbm: number, sigmaDb: number, meanHeard: number): number | null {
  // The weak links' weights by their mean, binned (a log may hold a million of them).
  const bins = new Map<number, number>();
  let heard = 0, links = 0;
  for (let i = 0; i < l.meanDbm.length; i++) {
    if (!(l.meanDbm[i] < clearDbm) || l.w[i] === 0) continue;
    heard += l.w[i] * l.heard[i];
    links += l.w[i];
    const b = Math.round(l.meanDbm[i] / MEAN_BIN_DB);
    bins.set(b, (bins.get(b) ?? 0) + l.w[i]);
  }
  if (links === 0 || heard === 0 || heard >= links * meanHeard) return null;
  const weak = [...bins].map(([b, w]) => ({ meanDbm: b * MEAN_BIN_DB, w }));
  // Expected detections: the chance of clearing each level across the ramp, averaged (midpoint rule).
  const predicted = (rampDb: number): number => {
    let p = 0;
    for (const { meanDbm, w } of weak) {
      let detect = 0;
      if (rampDb <= 0) detect = normalUpper((floorDbm - meanDbm) / sigmaDb);
      else for (let k = 0; k < RAMP_STEPS; k++) detect += normalUpper((floorDbm + ((k + 0.5) / RAMP_STEPS) * rampDb - meanDbm) / sigmaDb) / RAMP_STEPS;
      p += w * meanHeard * detect;
    }
    return p;
  };
  let [lo, hi] = RAMP_RANGE_DB;
  if (predicted(lo) <= heard) return lo;
  if (predicted(hi) >= heard) return hi;
  for (let it = 0; it < 30; it++) {
    const mid = (lo + hi) / 2;
    if (predicted(mid) > heard) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(Z ≥ z) for a standard normal. */
const normalUpper = (z: number): number => 0.5 * (1 - errorFunction(z / Math.SQRT2));
