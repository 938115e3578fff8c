// Fits the simulator's temporal-variation model (sim/radio/temporal.ts) on
// real static BLE sessions: ble-6ft-mitll (iPhone receivers at 1.83 m, five
// environments) and ble-proximity-pcng (phone to phone, six body-position
// pairs). Per session, the autocorrelation of its readings at a few lags
// (bench/score/autocorrelation.ts); per group, the median over sessions is
// fitted by ρ(L) = w · exp(−L / τ): w is the slow component's share of the
// reading variance and τ its correlation time. 90 % intervals by resampling
// sessions (seeded). Each session's own mean is removed, so a component
// slower than a session (30-200 s here) counts as a per-session offset, not
// as temporal variation.
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { median } from 'simple-statistics';
import { autocorrelation } from '../../score/autocorrelation.ts';
import { dataDir } from '../real-data/data-dir.ts';
import { PCNG_PAIRS, readMitll, readPcng, type RssiSession } from '../real-data/rssi-sessions.ts';

export const FIT_LAGS_S = [0.5, 1, 2, 5, 10];
const MIN_READINGS = 50;
const RESAMPLES = 200;

export interface TemporalFit {
  group: string;
  sessions: number;
  /** Median reading sd within a session, dB. */
  sigmaDb: number;
  /** Median ρ at each of FIT_LAGS_S. */
  rho: number[];
  slowShare: number;
  correlationS: number;
  slowSigmaDb: number;
  fastSigmaDb: number;
  /** 90 % intervals from resampled sessions. */
  slowShareCi: [number, number];
  correlationSCi: [number, number];
}

/** Least squares of ρ(L) = w·exp(−L/τ) over a τ grid, w in closed form (clipped to [0, 1]). */
export function fitExponential(lagsS: readonly number[], rho: readonly number[]): { slowShare: number; correlationS: number } {
  let best = { slowShare: 0, correlationS: 1, sse: Infinity };
  for (let tau = 0.1; tau <= 120; tau *= 1.02) {
    const e = lagsS.map((L) => Math.exp(-L / tau));
    const w = Math.min(1, Math.max(0, e.reduce((s, ei, i) => s + ei * rho[i], 0) / e.reduce((s, ei) => s + ei * ei, 0)));
    const sse = e.reduce((s, ei, i) => s + (rho[i] - w * ei) ** 2, 0);
    if (sse < best.sse) best = { slowShare: w, correlationS: tau, sse };
  }
  return { slowShare: best.slowShare, correlationS: best.correlationS };
}

interface SessionStats {
  variance: number;
  rho: number[];
}

function sessionStats(s: RssiSession): SessionStats | undefined {
  if (s.tS.length < MIN_READINGS) return undefined;
  const mean = s.rssiDbm.reduce((a, b) => a + b, 0) / s.rssiDbm.length;
  const variance = s.rssiDbm.reduce((a, b) => a + (b - mean) ** 2, 0) / s.rssiDbm.length;
  const rho = autocorrelation(s.tS, s.rssiDbm, FIT_LAGS_S);
  return rho.every(Number.isFinite) ? { variance, rho } : undefined;
}

const medianRho = (stats: readonly SessionStats[]): number[] => FIT_LAGS_S.map((_, k) => median(stats.map((s) => s.rho[k])));

export function fitGroup(group: string, sessions: readonly RssiSession[]): TemporalFit {
  const stats = sessions.map(sessionStats).filter((s): s is SessionStats => s !== undefined);
  const rho = medianRho(stats);
  const { slowShare, correlationS } = fitExponential(FIT_LAGS_S, rho);
  const variance = median(stats.map((s) => s.variance));
  const rng = seedrandom.alea(`temporal:${group}`);
  const shares: number[] = [];
  const taus: number[] = [];
  for (let r = 0; r < RESAMPLES; r++) {
    const fit = fitExponential(FIT_LAGS_S, medianRho(stats.map(() => stats[Math.floor(rng() * stats.length)])));
    shares.push(fit.slowShare);
    taus.push(fit.correlationS);
  }
  const ci = (xs: number[]): [number, number] => {
    const sorted = [...xs].sort((a, b) => a - b);
    return [sorted[Math.floor(0.05 * (sorted.length - 1))], sorted[Math.ceil(0.95 * (sorted.length - 1))]];
  };
  return {
    group,
    sessions: stats.length,
    sigmaDb: Math.sqrt(variance),
    rho,
    slowShare,
    correlationS,
    slowSigmaDb: Math.sqrt(slowShare * variance),
    fastSigmaDb: Math.sqrt((1 - slowShare) * variance),
    slowShareCi: ci(shares),
    correlationSCi: ci(taus),
  };
}

/** Every group of both datasets: mitll by environment, pcng by body-position pair. */
export function realSessionGroups(dir = dataDir()): Map<string, RssiSession[]> {
  const groups = new Map<string, RssiSession[]>();
  for (const s of readMitll(join(dir, 'ble-6ft-mitll'))) {
    const key = `mitll ${s.group}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const pair of PCNG_PAIRS) groups.set(`pcng ${pair}`, readPcng(join(dir, 'ble-proximity-pcng'), pair));
  return groups;
}
