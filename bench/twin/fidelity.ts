// The twin's comparison: statistics of the real and the simulated test part
// side by side, each row with a verdict against the tolerances of issue 15:
//   RSSI mean per distance band (and per AP and band)    within 2 dB
//   RSSI spread (sd within an AP) per distance band        within 20 %
//   autocorrelation of a link's RSSI at 1 s and 10 s       within 0.15
//   engine median and p90 error per localizer              within 20 %
//   share of fixes whose 68 % radius holds the truth       within 0.10
// and, tolerances of our own (the issue names none), the hearing rate per
// distance band within 0.10 and, for phone-to-phone logs (bench/twin/phone-twin.ts),
// the shipped detector's balanced accuracy at 2 m within 0.05.
import type { JoinedLog } from './samples.ts';
import { bandAps, LinkGeometry } from './samples.ts';
import type { Site } from '../../engine/contract/site.ts';

export const TOLERANCES = { rssiMeanDb: 2, rssiSpreadRel: 0.2, autocorrelation: 0.15, errorRel: 0.2, coverage: 0.1, hearingRate: 0.1, balancedAccuracy: 0.05 } as const;

/** Distance bands, m (3-D, AP to device). */
export const DISTANCE_EDGES_M = [0, 2, 4, 8, 16, Infinity];
const bandName = (k: number): string => (DISTANCE_EDGES_M[k + 1] === Infinity ? `≥${DISTANCE_EDGES_M[k]} m` : `${DISTANCE_EDGES_M[k]}-${DISTANCE_EDGES_M[k + 1]} m`);
const distanceBand = (d: number): number => {
  let k = 0;
  while (d >= DISTANCE_EDGES_M[k + 1]) k++;
  return k;
};
/** Groups (an AP in a distance band) with fewer readings than this on either side are not compared. */
export const MIN_GROUP = 20;
/** Lags compared, s, each ± a quarter. */
export const AUTOCORRELATION_LAGS_S = [1, 10];

export interface Row {
  metric: string;
  /** What it is about: a distance band, a lag, a localizer. */
  of: string;
  real: number;
  sim: number;
  tolerance: string;
  pass: boolean;
  /** Readings, links or fixes behind the real figure. */
  n: number;
}

interface Group { n: number; sum: number; sum2: number }
const add = (g: Map<string, Group>, key: string, v: number): void => {
  const x = g.get(key) ?? { n: 0, sum: 0, sum2: 0 };
  x.n++; x.sum += v; x.sum2 += v * v;
  g.set(key, x);
};
const meanOf = (g: Group): number => g.sum / g.n;
const varOf = (g: Group): number => Math.max(0, g.sum2 / g.n - meanOf(g) ** 2);

export interface RadioStats {
  /** Per `${apIdx}|${distanceBand}`. */
  groups: Map<string, Group>;
  /** Per distance band: heard links over all (emission, AP) links. */
  heard: number[];
  links: number[];
  /** Per lag: Pearson correlation of link-demeaned RSSI pairs, and their count. */
  autocorrelation: { r: number; pairs: number }[];
}

export function radioStats(site: Site, log: JoinedLog, geometry = new LinkGeometry(site)): RadioStats {
  const s = log.samples;
  const groups = new Map<string, Group>();
  for (let i = 0; i < s.length; i++) add(groups, `${s.ap[i]}|${distanceBand(s.distanceM[i])}`, s.rssiDbm[i]);
  const bands = DISTANCE_EDGES_M.length - 1;
  const heard = new Array<number>(bands).fill(0), links = new Array<number>(bands).fill(0);
  const apsOf = [bandAps(site, 0), bandAps(site, 1)];
  for (const e of log.emissions) {
    for (const a of apsOf[e.band]) {
      const k = distanceBand(geometry.distanceM(a, e.x, e.y, e.floor));
      links[k]++;
      if (e.heard.has(a)) heard[k]++;
    }
  }
  return { groups, heard, links, autocorrelation: AUTOCORRELATION_LAGS_S.map((lag) => autocorrelation(log, lag)) };
}

function autocorrelation(log: JoinedLog, lagS: number): { r: number; pairs: number } {
  const s = log.samples;
  const links = new Map<string, number[]>();
  for (let i = 0; i < s.length; i++) {
    const key = `${s.device[i]}|${s.ap[i]}`;
    const l = links.get(key);
    if (l) l.push(i);
    else links.set(key, [i]);
  }
  return streamAutocorrelation([...links.values()].map((l) => {
    l.sort((a, b) => s.tMs[a] - s.tMs[b]);
    return { tMs: l.map((i) => s.tMs[i]), rssiDbm: l.map((i) => s.rssiDbm[i]) };
  }), lagS);
}

/**
 * Pearson correlation of stream-demeaned RSSI pairs `lagS` ± a quarter apart, over streams (one link each) in time order,
 * and the pairs' mean time apart, s (the first reading in the window: nearer its start than `lagS` when readings are sparse).
 */
export function streamAutocorrelation(streams: Iterable<{ tMs: ArrayLike<number>; rssiDbm: ArrayLike<number> }>, lagS: number): { r: number; pairs: number; meanLagS: number } {
  let sab = 0, saa = 0, sbb = 0, pairs = 0, lagSumMs = 0;
  const lo = lagS * 750, hi = lagS * 1250;
  for (const { tMs, rssiDbm } of streams) {
    const n = tMs.length;
    if (n < 2) continue;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += rssiDbm[i];
    const mean = sum / n;
    let j = 0;
    for (let p = 0; p < n; p++) {
      // The first later reading of the link within the lag window.
      if (j <= p) j = p + 1;
      while (j < n && tMs[j] - tMs[p] < lo) j++;
      if (j >= n) break;
      if (tMs[j] - tMs[p] > hi) continue;
      const a = rssiDbm[p] - mean, b = rssiDbm[j] - mean;
      sab += a * b; saa += a * a; sbb += b * b; pairs++;
      lagSumMs += tMs[j] - tMs[p];
    }
  }
  return { r: pairs > 0 && saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN, pairs, meanLagS: pairs > 0 ? lagSumMs / pairs / 1000 : NaN };
}

/** The radio rows: per distance band RSSI mean and spread, hearing rate; per lag the autocorrelation. Per-AP groups go to `detail`. */
export function radioRows(real: RadioStats, sim: RadioStats): { rows: Row[]; detail: Row[] } {
  const rows: Row[] = [], detail: Row[] = [];
  const bands = DISTANCE_EDGES_M.length - 1;
  for (let k = 0; k < bands; k++) {
    // Pooled over the APs both sides heard enough in this band: means averaged, spreads as the root mean within-AP variance.
    let n = 0, mR = 0, mS = 0, vR = 0, vS = 0, groups = 0;
    for (const [key, g] of real.groups) {
      if (Number(key.split('|')[1]) !== k) continue;
      const h = sim.groups.get(key);
      if (g.n < MIN_GROUP || !h || h.n < MIN_GROUP) continue;
      groups++;
      n += g.n;
      mR += meanOf(g); mS += meanOf(h); vR += varOf(g); vS += varOf(h);
      const ap = key.split('|')[0];
      detail.push(meanRow(`AP ${ap}, ${bandName(k)}`, meanOf(g), meanOf(h), g.n));
      detail.push(spreadRow(`AP ${ap}, ${bandName(k)}`, Math.sqrt(varOf(g)), Math.sqrt(varOf(h)), g.n));
    }
    if (groups > 0) {
      rows.push(meanRow(bandName(k), mR / groups, mS / groups, n));
      rows.push(spreadRow(bandName(k), Math.sqrt(vR / groups), Math.sqrt(vS / groups), n));
    }
    if (real.links[k] > 0 && sim.links[k] > 0) {
      const hr = real.heard[k] / real.links[k], hs = sim.heard[k] / sim.links[k];
      rows.push({ metric: 'hearing rate', of: bandName(k), real: hr, sim: hs, tolerance: `±${TOLERANCES.hearingRate}`, pass: Math.abs(hs - hr) <= TOLERANCES.hearingRate, n: real.links[k] });
    }
  }
  AUTOCORRELATION_LAGS_S.forEach((lag, k) => {
    const r = real.autocorrelation[k], s = sim.autocorrelation[k];
    if (r.pairs === 0 || s.pairs === 0) return;
    rows.push({ metric: 'autocorrelation', of: `${lag} s`, real: r.r, sim: s.r, tolerance: `±${TOLERANCES.autocorrelation}`, pass: Math.abs(s.r - r.r) <= TOLERANCES.autocorrelation, n: r.pairs });
  });
  return { rows, detail };
}

export const meanRow = (of: string, real: number, sim: number, n: number): Row =>
  ({ metric: 'RSSI mean dBm', of, real, sim, tolerance: `±${TOLERANCES.rssiMeanDb} dB`, pass: Math.abs(sim - real) <= TOLERANCES.rssiMeanDb, n });
export const spreadRow = (of: string, real: number, sim: number, n: number): Row =>
  ({ metric: 'RSSI spread dB', of, real, sim, tolerance: `±${TOLERANCES.rssiSpreadRel * 100}%`, pass: Math.abs(sim - real) <= TOLERANCES.rssiSpreadRel * real, n });

export interface EngineScore {
  fixes: number;
  medianM: number;
  p90M: number;
  coverage: number;
}

/** The engine rows of one localizer: median, p90 and 68 %-radius coverage, real vs simulated. */
export function engineRows(of: string, real: EngineScore, sim: EngineScore): Row[] {
  const rel = (metric: string, r: number, s: number): Row =>
    ({ metric, of, real: r, sim: s, tolerance: `±${TOLERANCES.errorRel * 100}%`, pass: Math.abs(s - r) <= TOLERANCES.errorRel * r, n: real.fixes });
  return [
    rel('median error m', real.medianM, sim.medianM),
    rel('p90 error m', real.p90M, sim.p90M),
    { metric: '68% coverage', of, real: real.coverage, sim: sim.coverage, tolerance: `±${TOLERANCES.coverage}`, pass: Math.abs(sim.coverage - real.coverage) <= TOLERANCES.coverage, n: real.fixes },
  ];
}
