// Hand-made radio data for engine tests (no simulator): a small site and
// RSSI from a known log-distance model plus seeded noise.
import { localizeModel } from '../../engine/localize/model.ts';
import { DEFAULT_CONFIG } from '../../engine/config.ts';
import { siteLayout } from '../../engine/localize/layout.ts';
import type { LocalizeModel, Localizer } from '../../engine/localize/types.ts';
import type { AccessPoint, Site } from '../../engine/contract/site.ts';
import type { DeviceInfo, ObservationBatch } from '../../engine/contract/observations.ts';

/** Tiny seeded LCG (Numerical Recipes constants): uniform in [0, 1) and standard normal. */
export function lcg(seed: number): { uniform: () => number; normal: () => number } {
  let s = seed >>> 0;
  const uniform = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/** What roamingLog draws: `devices` devices, each at a random spot of the w × h floor every 5 s epoch for `epochs` epochs. */
export interface RoamingLog {
  rng: ReturnType<typeof lcg>;
  epochs: number;
  devices: DeviceInfo[];
  widthM: number;
  heightM: number;
  aps: number;
  /** A reading's mean, dBm: device d at (x, y) heard by AP a. */
  meanDbm: (d: number, a: number, x: number, y: number) => number;
  sigmaDb: number;
  /** Readings at or above this are heard. */
  heardFromDbm: number;
}

/** A log of devices roaming a floor (self-calibration's input): each reading its mean plus sigmaDb of noise, heard above a floor. */
export function roamingLog({ rng, epochs, devices, widthM, heightM, aps, meanDbm, sigmaDb, heardFromDbm }: RoamingLog): ObservationBatch {
  const tMs: number[] = [], dev: number[] = [], ap: number[] = [], rssi: number[] = [];
  for (let e = 0; e < epochs; e++) {
    for (let d = 0; d < devices.length; d++) {
      const x = rng.uniform() * widthM, y = rng.uniform() * heightM;
      for (let a = 0; a < aps; a++) {
        const v = meanDbm(d, a, x, y) + sigmaDb * rng.normal();
        if (v < heardFromDbm) continue;
        tMs.push(e * 5000 + 1);
        dev.push(d);
        ap.push(a);
        rssi.push(v);
      }
    }
  }
  return { length: tMs.length, tMs: Float64Array.from(tMs), deviceIdx: Uint32Array.from(dev), apIdx: Uint16Array.from(ap), rssiDbm: Float32Array.from(rssi), devices };
}

export const AP_XY: [number, number][] = [[5, 5], [15, 5], [25, 5], [5, 15], [15, 15], [25, 15]];

export function makeSite(floors = 1): Site {
  const aps: AccessPoint[] = [];
  for (let f = 0; f < floors; f++) {
    for (const [x, y] of AP_XY) aps.push({ id: `ap${f}-${x}-${y}`, floor: f, x, y, radios: { wifi: { txPowerDbm: 20 }, ble: { txPowerDbm: 0 } } });
  }
  return {
    floors: Array.from({ length: floors }, (_, f) => ({ id: f, name: `F${f}`, widthM: 30, heightM: 20, elevationM: 4 * f })),
    walls: [],
    zones: [],
    aps,
  };
}

export const WIFI = { refRssiDbmAt1m: -30, pathLossExponent: 3, sigmaDb: 4 };
export const HEIGHT_DIFF_M = DEFAULT_CONFIG.localize.apHeightM - DEFAULT_CONFIG.localize.deviceHeightM;

export function rssiAt(ap: AccessPoint, x: number, y: number, noiseDb: number): number {
  const d = Math.hypot(x - ap.x, y - ap.y, HEIGHT_DIFF_M);
  return WIFI.refRssiDbmAt1m - 10 * WIFI.pathLossExponent * Math.log10(d) + noiseDb;
}

/** Fixes for random points on floor 0, each from one epoch hearing every AP once. */
export function locateRandomPoints(localizer: Localizer, n: number, noiseDb: number, seed: number, ranging = WIFI, localize = DEFAULT_CONFIG.localize) {
  const site = makeSite();
  const model: LocalizeModel = localizeModel(siteLayout(site), ranging, localize);
  const rng = lcg(seed);
  const apIdx = Uint16Array.from(site.aps, (_, i) => i);
  const rssiDbm = new Float32Array(site.aps.length);
  const errorsM: number[] = [];
  let covered = 0;
  for (let k = 0; k < n; k++) {
    const x = 1 + 28 * rng.uniform();
    const y = 1 + 18 * rng.uniform();
    site.aps.forEach((ap, i) => (rssiDbm[i] = rssiAt(ap, x, y, noiseDb * rng.normal())));
    const fix = localizer.locate(model, { apIdx, rssiDbm, start: 0, end: apIdx.length });
    if (fix === null) throw new Error('no fix');
    const err = Math.hypot(fix.x - x, fix.y - y);
    errorsM.push(err);
    if (err <= fix.errorRadiusM) covered++;
  }
  errorsM.sort((a, b) => a - b);
  return { errorsM, medianM: errorsM[n >> 1], coverage: covered / n };
}

