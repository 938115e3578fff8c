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
  const n = degs.length;
  const a = means.reduce((x, y) => x + y, 0) / n;
  // The rotations are evenly spaced, so cos and sin are orthogonal and each coefficient is a projection.
  const c = (2 / n) * degs.reduce((x, d, i) => x + (means[i] - a) * Math.cos((d * Math.PI) / 180), 0);
  const s = (2 / n) * degs.reduce((x, d, i) => x + (means[i] - a) * Math.sin((d * Math.PI) / 180), 0);
  const residual = degs.reduce((x, d, i) => x + (means[i] - a - c * Math.cos((d * Math.PI) / 180) - s * Math.sin((d * Math.PI) / 180)) ** 2, 0) / n;
  return { depthDb: 2 * Math.hypot(c, s), facingDeg: ((Math.atan2(s, c) * 180) / Math.PI + 360) % 360, residualDb: Math.sqrt(residual) };
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
