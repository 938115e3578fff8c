// Which emissions the APs heard, fitted for the twin's calibration
// (bench/twin/calibrate.ts) from every (emission, AP) link of the calibration
// part with the link's fitted mean:
//   - the detection ramp (BandRadio.sensitivityRampDb): the receiver reports
//     readings down to its floor (the weakest readings), but a scanning receiver
//     detects a frame less often the nearer it is to that floor (fitRamp);
//   - on links clear of the floor and ramp (mean well above them), the count
//     each emission's clear links heard is a beta-binomial: each emission's own
//     hearing probability, mean m and intra-emission correlation ρ
//     (sim/radio/emission-hearing.ts). A log holds only emissions something
//     heard, so an emission heard by none of its other links is conditioned
//     on at least one hearing (zero-truncated). Maximum likelihood on a grid;
//   - each AP's own hearing rate (fitApHearing).
import { gammaln } from 'simple-statistics';

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
}

const M_GRID = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
const RHO_GRID = [0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.13, 0.16, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
/** Where the ramp's width is searched, dB (LIMITS.sensitivityRampDb). */
const RAMP_RANGE_DB: [number, number] = [0, 40];
/** Links with mean ≥ clearDbm are clear of the receiver's floor and ramp. */
export function fitHearing(l: HearingLinks, clearDbm: number): HearingFit | null {
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
  const cells = [...table].map(([key, weight]) => ({ n: Math.floor(key / 2048), k: Math.floor(key / 2) % 1024, truncated: key % 2 === 1, weight }));
  // An emission known only by its one clear link hearing it says nothing of the rate (its likelihood is 1 at every m):
  // a log whose emissions reach one AP (one on the air) tells none.
  if (!cells.some((c) => !c.truncated || c.n >= 2)) return null;
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
  return { meanHeard: best.m, correlation: best.rho };
}

export interface HeardReadings {
  rssiDbm: Float64Array;
  /** Fitted mean of each reading's link, dBm. */
  meanDbm: Float64Array;
  w: Float64Array;
}

/** Ramp widths searched, dB: 0 to RAMP_RANGE_DB[1] in 0.5 dB steps. */
const RAMP_GRID_DB = Array.from({ length: 2 * RAMP_RANGE_DB[1] + 1 }, (_, i) => i / 2);
/** Readings and link means are binned this finely for the ramp's search, dB. */
const READING_BIN_DB = 0.25;
/** Quadrature of a reading around its link's mean over ±4 sd: points (sd) and Gaussian weights summing to 1. */
const QUAD_Z = Array.from({ length: 41 }, (_, i) => -4 + i / 5);
const QUAD_RAW = QUAD_Z.map((z) => Math.exp(-0.5 * z * z));
const QUAD_W = QUAD_RAW.map((w) => w / QUAD_RAW.reduce((a, b) => a + b, 0));

/** The chance a reading `aboveDb` over the floor is detected (sim/radio/channel.ts receive): none below it, rising across the ramp, certain past it. */
function detectChance(aboveDb: number, rampDb: number): number {
  return aboveDb <= 0 ? 0 : rampDb > 0 && aboveDb < rampDb ? aboveDb / rampDb : 1;
}

/** E[D] for a link whose mean is `aboveDb` over the floor, its readings spread σ. */
export function expectedDetection(aboveDb: number, rampDb: number, sigmaDb: number): number {
  let e = 0;
  for (let q = 0; q < QUAD_Z.length; q++) e += QUAD_W[q] * detectChance(aboveDb + sigmaDb * QUAD_Z[q], rampDb);
  return e;
}

/**
 * The ramp width that makes the heard readings above the floor most likely:
 * a link of mean μ gives a reading v (spread σ) detected with chance
 * D(v) = min(1, (v − floor) / width), so the heard readings' density is
 * D(v) φ((v − μ)/σ) / E[D]. This reads the ramp off the shape of the weak
 * readings (real histograms pile up a few dB above the floor, then fall to
 * it: wifi-longterm-uji's survey peaks at −88 dBm above a −96 dBm floor), so
 * links an AP missed for other reasons (off the air, a line that runs high far
 * out) do not widen it, as matching the weak links' hearing did (40 dB, the
 * search's end, on that survey). Null with no reading above the floor.
 */
export function fitRamp(r: HeardReadings, floorDbm: number, sigmaDb: number): number | null {
  const readings = new Map<number, number>(), means = new Map<number, number>();
  for (let i = 0; i < r.rssiDbm.length; i++) {
    if (!(r.rssiDbm[i] > floorDbm) || r.w[i] === 0) continue;
    const v = Math.round((r.rssiDbm[i] - floorDbm) / READING_BIN_DB);
    readings.set(v, (readings.get(v) ?? 0) + r.w[i]);
    const m = Math.round((r.meanDbm[i] - floorDbm) / READING_BIN_DB);
    means.set(m, (means.get(m) ?? 0) + r.w[i]);
  }
  if (readings.size === 0) return null;
  let best = { rampDb: 0, ll: -Infinity };
  for (const rampDb of RAMP_GRID_DB) {
    let ll = 0;
    for (const [v, w] of readings) ll += w * Math.log(detectChance(v * READING_BIN_DB, rampDb));
    for (const [m, w] of means) ll -= w * Math.log(Math.max(expectedDetection(m * READING_BIN_DB, rampDb, sigmaDb), 1e-300));
    if (ll > best.ll) best = { rampDb, ll };
  }
  return best.rampDb;
}

/** Links' expected detections an AP needs before its own hearing rate is fitted (fewer: the band's applies). */
const MIN_AP_DETECTIONS = 20;
/** The APs on the air all the time are those from this quantile of relative hearing up (by expected detections); 0.75 or 0.97 move the fidelity twins by 1-2 of 305 rows. */
const ON_AIR_QUANTILE = 0.9;

export interface ApHearing {
  /** The band's hearing rate for an AP on the air all the time. */
  bandRate: number;
  /** Each AP's own rate, at most bandRate (site order; NaN where its links say too little). */
  rate: Float64Array;
  /** The loss per floor slab beyond the heard readings' line, dB: what makes the links between floors heard as often as they were (0 with none, or none missed beyond it). */
  slabExtraDb: number;
  /** Per wall material (the `walls` columns' order), the loss per crossing beyond the heard readings' line, dB: what makes the links on the APs' own floors through such walls heard as often as they were. */
  wallExtraDb: number[];
  /** Per device (the links' device index; empty when not asked), its hearing relative to what the APs' rates predict for its links (NaN where they say too little, or with one device). */
  deviceScale: Float64Array;
}

/**
 * Each AP's own hearing rate, from the links on its own floor. Real APs
 * differ far more than packet loss does: one is off part of the time, or
 * stands elsewhere than the map says (wifi-longterm-uji, month 1: of the 29
 * APs with clear links, 9 heard under 10 % of them and 16 over 90 %). An AP's
 * relative hearing is what it heard over what detection alone predicts for
 * its links (their means, the floor and ramp), against the band's. The APs at
 * the top (ON_AIR_QUANTILE) are on the air all the time: the band's rate for
 * them is `meanHeard` (fitted on every AP) times their relative hearing (at
 * most 1), and each other AP's is `meanHeard` times its own.
 *
 * Then the links between floors: the line fitted to heard readings sees only
 * those that got through, on their peaks (wifi-longterm-uji: 1 dB a slab), so
 * it over-predicts how many do (month 1's test: 8 % of those 8-16 m away
 * heard, 0.2 % beyond, against 18 % on the same floor at 8-16 m). The loss a
 * slab adds beyond the line is the one at which their APs' rates times
 * detection at their lowered means predict as many heard as were: a slab
 * costs a level, so a link right above its AP still gets through where a
 * far one does not. A twin of the ideal campus (bench/results/twin-closure.md)
 * finds its 20 dB floors 22.7 dB, where the heard readings alone say 15.9.
 * Walls the same way, on the links of the APs' own floors, each material's
 * loss in turn with the others' held (three sweeps): a made-up log of 10 dB
 * concrete and 4 dB drywall, heard down to −95 dBm, reads them 8.3 and 3.3 dB
 * off its heard readings and 9.9 and 4.8 dB with what its missed links add.
 */
export function fitApHearing(l: HearingLinks, ap: Uint16Array, slabs: Uint8Array, apCount: number, meanHeard: number, floorDbm: number, rampDb: number, sigmaDb: number, device?: Int32Array, devices = 0, walls: readonly Float64Array[] = []): ApHearing {
  const heard = new Float64Array(apCount), expected = new Float64Array(apCount);
  const detect = Float64Array.from(l.meanDbm, (m) => expectedDetection(m - floorDbm, rampDb, sigmaDb));
  for (let i = 0; i < l.meanDbm.length; i++) {
    if (l.w[i] === 0 || slabs[i] > 0) continue;
    heard[ap[i]] += l.w[i] * l.heard[i];
    expected[ap[i]] += l.w[i] * detect[i];
  }
  const fitted = [...expected.keys()].filter((a) => expected[a] >= MIN_AP_DETECTIONS);
  const rate = new Float64Array(apCount).fill(NaN);
  let bandRate = meanHeard;
  if (fitted.length > 0) {
    const total = fitted.reduce((t, a) => t + expected[a], 0);
    const band = fitted.reduce((t, a) => t + heard[a], 0) / total;
    const relative = (a: number): number => heard[a] / expected[a] / band;
    let acc = 0, top = 1;
    for (const a of [...fitted].sort((p, q) => relative(p) - relative(q))) {
      acc += expected[a];
      top = relative(a);
      if (acc >= ON_AIR_QUANTILE * total) break;
    }
    bandRate = Math.min(1, meanHeard * top);
    for (const a of fitted) rate[a] = Math.min(bandRate, meanHeard * relative(a));
  }
  const rateOf = (a: number): number => (Number.isNaN(rate[a]) ? bandRate : rate[a]);
  const detectAt = (meanDbm: number): number => expectedDetection(meanDbm - floorDbm, rampDb, sigmaDb);
  return {
    bandRate, rate, slabExtraDb: fitSlabExtra(l, ap, slabs, rateOf, detectAt), wallExtraDb: fitWallExtra(l, ap, slabs, walls, rateOf, detectAt),
    deviceScale: device ? deviceHearing(l, ap, slabs, detect, rateOf, device, devices) : new Float64Array(0),
  };
}

/**
 * Each device's hearing over what its links' APs' rates and detection
 * predict (on their own floors; at least MIN_AP_DETECTIONS predicted), with
 * two devices or more: weighted by their predictions these average 1, so
 * the APs' rates keep the fleet's. Phones scan unlike one another: on the UJI
 * library's campaign 3, phone1 heard 9.6 beacons a scan against phone2's and
 * phone3's 15.9 and 16.9, while reading them 17 dB louder, where a twin
 * that knew only its louder readings had it hear 17.
 */
function deviceHearing(l: HearingLinks, ap: Uint16Array, slabs: Uint8Array, detect: Float64Array, rateOf: (ap: number) => number, device: Int32Array, devices: number): Float64Array {
  const heard = new Float64Array(devices), predicted = new Float64Array(devices);
  for (let i = 0; i < l.meanDbm.length; i++) {
    if (l.w[i] === 0 || slabs[i] > 0 || device[i] < 0) continue;
    heard[device[i]] += l.w[i] * l.heard[i];
    predicted[device[i]] += l.w[i] * rateOf(ap[i]) * detect[i];
  }
  const fitted = [...predicted.keys()].filter((d) => predicted[d] >= MIN_AP_DETECTIONS);
  // Relative to the fleet's own heard over predicted: the APs' rates are the fleet's.
  const fleet = fitted.reduce((t, d) => t + heard[d], 0) / fitted.reduce((t, d) => t + predicted[d], 0);
  return Float64Array.from(predicted, (p, d) => (fitted.length >= 2 && fitted.includes(d) ? heard[d] / p / fleet : NaN));
}

/** Where an extra loss per crossing is searched, dB: 40 dB below what the heard readings say leaves no such link heard at any spread a log shows (4-10 dB). */
const EXTRA_RANGE_DB: [number, number] = [0, 40];

/**
 * The loss per crossing beyond `otherDb` at which `rows`' predicted hearing,
 * Σ rate · E[D(mean − otherDb − loss · crossings)], is what they heard
 * (bisection; 0 when they heard as many or more).
 */
function extraLossDb(l: HearingLinks, rows: readonly number[], crossings: (i: number) => number, otherDb: (i: number) => number, rateOf: (i: number) => number, detectAt: (meanDbm: number) => number): number {
  const heard = rows.reduce((t, i) => t + l.w[i] * l.heard[i], 0);
  const predicted = (lossDb: number): number => rows.reduce((t, i) => t + l.w[i] * rateOf(i) * detectAt(l.meanDbm[i] - otherDb(i) - lossDb * crossings(i)), 0);
  let [lo, hi] = EXTRA_RANGE_DB;
  if (rows.length === 0 || predicted(lo) < MIN_AP_DETECTIONS || predicted(lo) <= heard) return 0;
  for (let it = 0; it < 30; it++) {
    const mid = (lo + hi) / 2;
    if (predicted(mid) > heard) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The extra loss per slab that makes the links between floors heard as often as they were. */
function fitSlabExtra(l: HearingLinks, ap: Uint16Array, slabs: Uint8Array, rateOf: (ap: number) => number, detectAt: (meanDbm: number) => number): number {
  const rows = [...slabs.keys()].filter((i) => l.w[i] > 0 && slabs[i] > 0);
  return extraLossDb(l, rows, (i) => slabs[i], () => 0, (i) => rateOf(ap[i]), detectAt);
}

/** Walls crossed in a sweep of each material's extra loss, the others held. */
const WALL_SWEEPS = 3;

/** Per material (walls[m][i]: crossings of link i), the extra loss per crossing that makes the links on the APs' own floors through such walls heard as often as they were. */
function fitWallExtra(l: HearingLinks, ap: Uint16Array, slabs: Uint8Array, walls: readonly Float64Array[], rateOf: (ap: number) => number, detectAt: (meanDbm: number) => number): number[] {
  const extra = walls.map(() => 0);
  const rows = walls.map((c) => [...c.keys()].filter((i) => l.w[i] > 0 && slabs[i] === 0 && c[i] > 0));
  const others = (m: number) => (i: number): number => walls.reduce((t, c, k) => (k === m ? t : t + extra[k] * c[i]), 0);
  for (let sweep = 0; sweep < WALL_SWEEPS; sweep++) {
    walls.forEach((c, m) => (extra[m] = extraLossDb(l, rows[m], (i) => c[i], others(m), (i) => rateOf(ap[i]), detectAt)));
  }
  return extra;
}
