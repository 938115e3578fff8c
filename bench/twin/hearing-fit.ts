// Which emissions the APs heard, fitted for the twin's calibration
// (bench/twin/calibrate.ts) from every (emission, AP) link of the calibration
// part with the link's fitted mean:
//   - on links clear of sensitivity (mean well above it), the count each
//     emission's clear links heard is a beta-binomial: each emission's own
//     hearing probability, mean m and intra-emission correlation ρ
//     (sim/radio/emission-hearing.ts). A log holds only emissions something
//     heard, so an emission heard by none of its other links is conditioned
//     on at least one hearing (zero-truncated). Maximum likelihood on a grid.
//   - sensitivity: the level at which the weaker links' predicted hearing,
//     m · P(mean + residual ≥ sensitivity) with the residual's spread, adds up
//     to what they heard. A receiver that fades out softly below its
//     strongest-fade minimum reports fewer far links than the 0.1 % quantile
//     of the readings implies; this matches how far the log's APs hear.
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
  /** Null when no link is weak enough to say. */
  sensitivityDbm: number | null;
}

const M_GRID = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
const RHO_GRID = [0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.13, 0.16, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
/** Where the sensitivity is searched, dBm (LIMITS.sensitivityDbm's span and more). */
const SENSITIVITY_RANGE_DBM: [number, number] = [-130, -30];

/** Links with mean ≥ clearDbm are clear of sensitivity; residualSigmaDb is the spread around a link's mean. */
export function fitHearing(l: HearingLinks, clearDbm: number, residualSigmaDb: number): HearingFit | null {
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
  return { meanHeard: best.m, correlation: best.rho, sensitivityDbm: matchSensitivity(l, clearDbm, residualSigmaDb, best.m) };
}

/** The sensitivity at which the weak links' predicted hearing equals what they heard; null with no weak link heard or missed. */
function matchSensitivity(l: HearingLinks, clearDbm: number, sigmaDb: number, meanHeard: number): number | null {
  let heard = 0, links = 0;
  for (let i = 0; i < l.meanDbm.length; i++) {
    if (l.meanDbm[i] >= clearDbm || l.w[i] === 0) continue;
    heard += l.w[i] * l.heard[i];
    links += l.w[i];
  }
  if (links === 0 || heard === 0 || heard >= links * meanHeard) return null;
  const predicted = (s: number): number => {
    let p = 0;
    for (let i = 0; i < l.meanDbm.length; i++) if (l.meanDbm[i] < clearDbm && l.w[i] > 0) p += l.w[i] * meanHeard * normalUpper((s - l.meanDbm[i]) / sigmaDb);
    return p;
  };
  let [lo, hi] = SENSITIVITY_RANGE_DBM;
  for (let it = 0; it < 40; it++) {
    const mid = (lo + hi) / 2;
    if (predicted(mid) > heard) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(Z ≥ z) for a standard normal. */
const normalUpper = (z: number): number => 0.5 * (1 - errorFunction(z / Math.SQRT2));
