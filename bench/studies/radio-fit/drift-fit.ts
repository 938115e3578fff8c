// How fast a site's radio field drifts away from its survey: wifi-longterm-uji
// (UJI_LIB_DB_v2) surveyed the same points of a library every month for 25
// months with one phone model. Per month, each (point, AP) heard in every
// sample of the `tst01` set gives a mean; between two months the means
// differ by a common shift (device, firmware, season: per-AP calibration
// removes it) plus per-link drift plus measurement noise. The noise is the
// spread between `trn01` and `tst01`, the same points in the same month.
// Per gap of Δ months, the median over month pairs of the difference's
// variance, less the noise, is the drift variance, fitted by
// σd²(Δ) = σ∞² · (1 − exp(−Δ / T)).
// That compares only links heard in both months. The APs themselves come and
// go too (apSurvival): of the APs month 1 heard, how many are still on the
// air under the same identity in each later month, fitted by an exponential
// life (sim/radio/ap-turnover.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { median } from 'simple-statistics';
import { dataDir } from '../real-data/data-dir.ts';

export const MONTHS = 25;
/** "100 means not detected" (the dataset's Readme). */
const NOT_HEARD = 100;
/** Month pairs sharing fewer links than this are left out. */
const MIN_LINKS = 50;
export const DAYS_PER_MONTH = 30.44;

/** Mean RSSI per (point, AP) over a set's samples at that point, for links heard in every sample (no censoring bias). */
export function linkMeans(dir: string, month: number, set: 'trn01' | 'tst01'): Map<string, number> {
  const read = (kind: string) => gunzipSync(readFileSync(join(dir, String(month).padStart(2, '0'), `${set}${kind}.csv.gz`))).toString().trim().split('\n');
  const rss = read('rss').map((l) => l.split(',').map(Number));
  const byPoint = new Map<string, number[][]>();
  read('crd').forEach((line, i) => byPoint.set(line, [...(byPoint.get(line) ?? []), rss[i]]));
  const means = new Map<string, number>();
  for (const [point, rows] of byPoint) {
    for (let ap = 0; ap < rows[0].length; ap++) {
      if (rows.some((r) => r[ap] === NOT_HEARD)) continue;
      means.set(`${point}|${ap}`, rows.reduce((s, r) => s + r[ap], 0) / rows.length);
    }
  }
  return means;
}

/** Variance of the differences over the links both hold, about their mean (the common shift removed). */
function differenceVariance(a: Map<string, number>, b: Map<string, number>): { variance: number; links: number } {
  const d: number[] = [];
  for (const [k, v] of b) {
    const u = a.get(k);
    if (u !== undefined) d.push(v - u);
  }
  const mean = d.reduce((s, x) => s + x, 0) / d.length;
  return { variance: d.reduce((s, x) => s + (x - mean) ** 2, 0) / d.length, links: d.length };
}

export interface DriftCurve {
  /** Measurement noise of a link's difference within one month, dB (sd). */
  noiseSdDb: number;
  /** Per gap in months: pairs compared and the drift sd. */
  gaps: { months: number; pairs: number; driftSdDb: number }[];
  /** The fit: saturation sd, dB, and time constant, days. */
  sigmaInfDb: number;
  timeDays: number;
}

export function driftCurve(dir = join(dataDir(), 'wifi-longterm-uji', 'UJI_LIB_DB_v2', 'db')): DriftCurve {
  const tst = Array.from({ length: MONTHS }, (_, m) => linkMeans(dir, m + 1, 'tst01'));
  const trn = Array.from({ length: MONTHS }, (_, m) => linkMeans(dir, m + 1, 'trn01'));
  const noiseVar = median(tst.map((t, m) => differenceVariance(trn[m], t)).filter((d) => d.links >= MIN_LINKS).map((d) => d.variance));
  const byGap = new Map<number, number[]>();
  for (let i = 0; i < MONTHS; i++) {
    for (let j = i + 1; j < MONTHS; j++) {
      const d = differenceVariance(tst[i], tst[j]);
      if (d.links >= MIN_LINKS) byGap.set(j - i, [...(byGap.get(j - i) ?? []), d.variance]);
    }
  }
  const gaps = [...byGap].sort(([a], [b]) => a - b).map(([months, vs]) => ({ months, pairs: vs.length, driftVar: Math.max(0, median(vs) - noiseVar) }));
  // Weighted least squares in variance (weights: pairs per gap) over a grid of T, σ∞² in closed form.
  let best = { sigmaInfDb: 0, timeDays: 1, sse: Infinity };
  for (let t = 1; t <= 3000; t *= 1.02) {
    const e = gaps.map((g) => 1 - Math.exp(-(g.months * DAYS_PER_MONTH) / t));
    const s2 = gaps.reduce((s, g, i) => s + g.pairs * e[i] * g.driftVar, 0) / gaps.reduce((s, g, i) => s + g.pairs * e[i] * e[i], 0);
    const sse = gaps.reduce((s, g, i) => s + g.pairs * (g.driftVar - s2 * e[i]) ** 2, 0);
    if (sse < best.sse) best = { sigmaInfDb: Math.sqrt(s2), timeDays: t, sse };
  }
  return {
    noiseSdDb: Math.sqrt(noiseVar),
    gaps: gaps.map((g) => ({ months: g.months, pairs: g.pairs, driftSdDb: Math.sqrt(g.driftVar) })),
    sigmaInfDb: best.sigmaInfDb,
    timeDays: best.timeDays,
  };
}

/** Per gap, what of the drift is a shift of each AP's whole level and what varies over the floor about it. */
export interface DriftParts {
  gaps: { months: number; pairs: number; apShiftSdDb: number; floorSdDb: number }[];
}

/** An AP's shift is read where it holds this many links in both months. */
const MIN_AP_LINKS = 10;

/**
 * The drift between two months split in two, over the links both hold (as
 * driftCurve): each AP's mean difference over its points, about the month
 * pair's common shift (a shift of the AP's whole level: a power tweaked), and
 * each link's difference about its AP's (what drifts over the floor). Per
 * gap, the median over month pairs of each variance, less what the
 * within-month noise (driftCurve's) and a mean over an AP's n links leave in it.
 */
export function driftParts(noiseSdDb: number, dir = join(dataDir(), 'wifi-longterm-uji', 'UJI_LIB_DB_v2', 'db')): DriftParts {
  const tst = Array.from({ length: MONTHS }, (_, m) => linkMeans(dir, m + 1, 'tst01'));
  const byGap = new Map<number, { shift: number; floor: number }[]>();
  for (let i = 0; i < MONTHS; i++) {
    for (let j = i + 1; j < MONTHS; j++) {
      const byAp = new Map<string, number[]>();
      for (const [k, v] of tst[j]) {
        const u = tst[i].get(k);
        const ap = k.slice(k.lastIndexOf('|') + 1);
        if (u !== undefined) byAp.set(ap, [...(byAp.get(ap) ?? []), v - u]);
      }
      const aps = [...byAp.values()].filter((d) => d.length >= MIN_AP_LINKS);
      if (aps.reduce((n, d) => n + d.length, 0) < MIN_LINKS) continue;
      const means = aps.map((d) => d.reduce((s, x) => s + x, 0) / d.length);
      const common = means.reduce((s, x) => s + x, 0) / means.length;
      // About each AP's own mean a link keeps (1 − 1/n) of its variance, and an AP's mean 1/n of it.
      const within = aps.reduce((s, d, a) => s + d.reduce((t, x) => t + (x - means[a]) ** 2, 0), 0) / aps.reduce((n, d) => n + d.length - 1, 0);
      const perLinkOfMean = aps.reduce((s, d) => s + 1 / d.length, 0) / aps.length;
      const shift = means.reduce((s, x) => s + (x - common) ** 2, 0) / (means.length - 1) - within * perLinkOfMean;
      byGap.set(j - i, [...(byGap.get(j - i) ?? []), { shift, floor: within - noiseSdDb ** 2 }]);
    }
  }
  return {
    gaps: [...byGap].sort(([a], [b]) => a - b).map(([months, v]) => ({
      months, pairs: v.length,
      apShiftSdDb: Math.sqrt(Math.max(0, median(v.map((x) => x.shift)))), floorSdDb: Math.sqrt(Math.max(0, median(v.map((x) => x.floor)))),
    })),
  };
}

/** An AP counts as in service at the survey when month 1's scans hear it this often (it is near, not a passer-by's hotspot). */
const IN_SERVICE_SHARE = 0.1;
/** ... and as still on the air in a later month when that month's scans hear it at all this often. */
const ON_AIR_SHARE = 0.01;

/** Share of a month's trn01 and tst01 scans that hear each AP column. */
function hearingShares(dir: string, month: number): number[] {
  const rows = (['trn01', 'tst01'] as const).flatMap((set) => gunzipSync(readFileSync(join(dir, String(month).padStart(2, '0'), `${set}rss.csv.gz`))).toString().trim().split('\n'));
  const heard = new Array<number>(rows[0].split(',').length).fill(0);
  for (const line of rows) line.split(',').forEach((v, ap) => { if (Number(v) !== NOT_HEARD) heard[ap]++; });
  return heard.map((h) => h / rows.length);
}

export interface ApSurvival {
  /** APs in service at month 1. */
  inService: number;
  /** Per later month: how many of them are still on the air. */
  months: { month: number; onAir: number }[];
  /** The fit: mean life of an AP's identity on the air, days (S(age) = exp(−age / L)). */
  lifeDays: number;
}

/**
 * Of month 1's APs in service, how many each later month still hears, and the
 * exponential life that fits when each went for good: an AP last heard in
 * month m went between m and m + 1 (interval-censored), one heard in the last
 * month outlived the data (right-censored); maximum likelihood over L.
 */
export function apSurvival(dir = join(dataDir(), 'wifi-longterm-uji', 'UJI_LIB_DB_v2', 'db')): ApSurvival {
  const shares = Array.from({ length: MONTHS }, (_, m) => hearingShares(dir, m + 1));
  const aps = shares[0].flatMap((s, ap) => (s >= IN_SERVICE_SHARE ? [ap] : []));
  // Months since month 1 at which each AP was last heard.
  const last = aps.map((ap) => Math.max(...shares.flatMap((s, m) => (s[ap] >= ON_AIR_SHARE ? [m] : []))));
  const end = MONTHS - 1;
  const logLikelihood = (lifeDays: number): number => last.reduce((sum, m) => sum + (m === end
    ? -(end * DAYS_PER_MONTH) / lifeDays
    : Math.log(Math.exp(-(m * DAYS_PER_MONTH) / lifeDays) - Math.exp(-((m + 1) * DAYS_PER_MONTH) / lifeDays))), 0);
  let lifeDays = 1;
  for (let l = 10; l <= 100_000; l *= 1.01) if (logLikelihood(l) > logLikelihood(lifeDays)) lifeDays = l;
  return {
    inService: aps.length,
    months: shares.slice(1).map((s, k) => ({ month: k + 2, onAir: aps.filter((ap) => s[ap] >= ON_AIR_SHARE).length })),
    lifeDays,
  };
}
