// How the carrier's body shadows a device by which way the person faces:
// ble-6ft-mitll turned a person carrying four test phones through 0-315°
// (45° steps) at 1.83 m from the receiver, in five environments. Per
// environment and phone, each rotation's mean RSSI is fitted by
// a + (depth / 2) · cos(θ − φ): depth is the peak-to-trough loss the body
// adds between facing the receiver with the device and turning it away, φ
// where the device sits on the body.
import { join } from 'node:path';
import { median } from 'simple-statistics';
import type { CarryPosition } from '../../../scenarios/types.ts';
import { dataDir } from '../real-data/data-dir.ts';
import { readMitll } from '../real-data/rssi-sessions.ts';

/** The dataset's four test phones and the simulator carry position each stands for (its README: 1 front pants pocket, 2 purse, 3 back pocket, 4 held to the ear). */
export const MITLL_PHONES: Record<string, { carriedIn: string; carry: CarryPosition | null }> = {
  TestPhone1: { carriedIn: 'front pants pocket', carry: 'pocket' },
  TestPhone2: { carriedIn: 'purse', carry: null },
  TestPhone3: { carriedIn: 'back pocket', carry: 'pocket' },
  TestPhone4: { carriedIn: 'held to the ear', carry: 'hand' },
};

/** Indoor environments with multipath, as a workplace has (the anechoic chamber and the courtyard are not). */
export const INDOOR = ['Conference_Room', 'Conference_Room_Wall', 'Screen_Room'];

export interface OrientationFit {
  environment: string;
  phone: string;
  rotations: number;
  depthDb: number;
  /** Where the device faces, degrees (0: towards the receiver at rotation 0). */
  facingDeg: number;
  /** RMS of the rotations' means around the fitted curve, dB. */
  residualDb: number;
}

/** Least squares of mean(θ) = a + c·cos θ + s·sin θ over the rotations; depth = 2·√(c² + s²). */
export function fitCosine(degs: readonly number[], means: readonly number[]): { depthDb: number; facingDeg: number; residualDb: number } {
  const { c, s, rss } = cosineFit(degs.map((d) => (d * Math.PI) / 180), means)!;
  return { depthDb: 2 * Math.hypot(c, s), facingDeg: ((Math.atan2(s, c) * 180) / Math.PI + 360) % 360, residualDb: Math.sqrt(rss / degs.length) };
}

/**
 * Least squares of v ≈ a + c·cos θ + s·sin θ over any angles (radians), with
 * the residual and total sums of squares; null when the angles cannot tell
 * the three apart (fewer than three, or all alike).
 */
export function cosineFit(angleRad: readonly number[], values: readonly number[]): { a: number; c: number; s: number; rss: number; tss: number } | null {
  const n = angleRad.length;
  if (n < 3) return null;
  // Normal equations [1, cos, sin]ᵀ[1, cos, sin]·β = [1, cos, sin]ᵀv, solved by Cramer's rule.
  let sc = 0, ss = 0, scc = 0, sss = 0, scs = 0, sv = 0, scv = 0, ssv = 0;
  for (let i = 0; i < n; i++) {
    const co = Math.cos(angleRad[i]), si = Math.sin(angleRad[i]), v = values[i];
    sc += co; ss += si; scc += co * co; sss += si * si; scs += co * si;
    sv += v; scv += co * v; ssv += si * v;
  }
  const det3 = (m: number[]): number => m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  const A = [n, sc, ss, sc, scc, scs, ss, scs, sss];
  const d = det3(A);
  if (Math.abs(d) < 1e-9 * n * n * n) return null;
  const col = (k: number): number[] => A.map((x, i) => (i % 3 === k ? [sv, scv, ssv][Math.floor(i / 3)] : x));
  const a = det3(col(0)) / d, c = det3(col(1)) / d, s = det3(col(2)) / d;
  let rss = 0, tss = 0;
  for (let i = 0; i < n; i++) {
    rss += (values[i] - a - c * Math.cos(angleRad[i]) - s * Math.sin(angleRad[i])) ** 2;
    tss += (values[i] - sv / n) ** 2;
  }
  return { a, c, s, rss, tss };
}

/** Every (environment, test phone) heard at all eight rotations. */
export function orientationFits(dir = dataDir()): OrientationFit[] {
  const means = new Map<string, Map<number, number[]>>();
  for (const s of readMitll(join(dir, 'ble-6ft-mitll'))) {
    const [phone, rotation] = s.label.split('@');
    if (!(phone in MITLL_PHONES)) continue;
    const key = `${s.group}|${phone}`;
    const byDeg = means.get(key) ?? means.set(key, new Map()).get(key)!;
    const deg = Number(rotation.replace('deg', ''));
    byDeg.set(deg, [...(byDeg.get(deg) ?? []), s.rssiDbm.reduce((x, y) => x + y, 0) / s.rssiDbm.length]);
  }
  return [...means].filter(([, byDeg]) => byDeg.size === 8).map(([key, byDeg]) => {
    const [environment, phone] = key.split('|');
    const degs = [...byDeg.keys()].sort((x, y) => x - y);
    return { environment, phone, rotations: degs.length, ...fitCosine(degs, degs.map((d) => median(byDeg.get(d)!))) };
  }).sort((x, y) => x.environment.localeCompare(y.environment) || x.phone.localeCompare(y.phone));
}

/** Median depth per simulator carry position over the indoor environments. */
export function indoorDepthByCarry(fits: readonly OrientationFit[]): Partial<Record<CarryPosition, number>> {
  const out: Partial<Record<CarryPosition, number>> = {};
  for (const carry of ['hand', 'pocket'] as const) {
    const depths = fits.filter((f) => INDOOR.includes(f.environment) && MITLL_PHONES[f.phone].carry === carry).map((f) => f.depthDb);
    if (depths.length > 0) out[carry] = median(depths);
  }
  return out;
}
