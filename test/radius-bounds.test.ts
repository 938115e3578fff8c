// A fix's 68 % radius stays a distance the site can hold: APs heard all in one
// point (several networks on one box) leave the centroid no spread, so its
// radius is the strongest AP's range, not 0; and a ranging fitted to a tenth
// of a dB (a log of a few rows) reads a huge misfit off any readings, which
// stops at the floor's diagonal, not millions of metres (found by feeding
// ctsim locate a six-row Wi-Fi log).
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../engine/config.ts';
import type { Site } from '../engine/contract/site.ts';
import { siteLayout } from '../engine/localize/layout.ts';
import { localizeModel } from '../engine/localize/model.ts';
import { LOCALIZERS } from '../engine/localize/index.ts';

const box = { floor: 0, x: 5, y: 5, radios: { wifi: { txPowerDbm: 20 } } };
const site: Site = {
  floors: [{ id: 0, name: 'F0', widthM: 20, heightM: 16, elevationM: 0 }], walls: [], zones: [],
  aps: [{ id: 'ssid-a', ...box }, { id: 'ssid-b', ...box }, { id: 'ssid-c', ...box }, { id: 'far', floor: 0, x: 18, y: 14, radios: { wifi: { txPowerDbm: 20 } } }],
};
const cfg = resolveConfig({ run: { workers: 0 } });
const layout = siteLayout(site);
const readings = { apIdx: Uint16Array.of(0, 1, 2), rssiDbm: Float32Array.of(-69, -70, -71), start: 0, end: 3 };
const DIAGONAL_M = Math.hypot(20, 16);

describe('radius bounds', () => {
  it('gives the centroid of APs in one point the strongest one\'s range on the ranging line (14.4 m at −69 dBm, −40 dBm at 1 m, exponent 2.5), not 0', () => {
    const model = localizeModel(layout, { refRssiDbmAt1m: -40, pathLossExponent: 2.5, sigmaDb: 5 }, cfg.localize);
    // The strongest (−69 dBm): 10^(29 / 25) = 14.45 m slant, less the 1.3 m between AP and device heights.
    const fix = LOCALIZERS.centroid.locate(model, readings)!;
    expect(fix.x).toBeCloseTo(5, 6);
    expect(fix.errorRadiusM).toBeCloseTo(Math.sqrt(10 ** (29 / 12.5) - 1.3 ** 2), 3);
    // WLS cannot pin a point off one place (singular): the centroid's fix and radius.
    expect(LOCALIZERS.wls.locate(model, readings)!.errorRadiusM).toBeCloseTo(fix.errorRadiusM, 6);
  });

  it('stops every localizer\'s radius at the floor\'s diagonal where a ranging of 0.01 dB reads a misfit of millions', () => {
    const model = localizeModel(layout, { refRssiDbmAt1m: -40, pathLossExponent: 2.5, sigmaDb: 0.01 }, cfg.localize);
    const spread = { apIdx: Uint16Array.of(0, 3, 1), rssiDbm: Float32Array.of(-50, -52, -75), start: 0, end: 3 };
    for (const name of ['wls', 'knn', 'centroid'] as const) {
      const fix = LOCALIZERS[name].locate(model, spread)!;
      expect(fix.errorRadiusM, name).toBeGreaterThan(0);
      expect(fix.errorRadiusM, name).toBeLessThanOrEqual(DIAGONAL_M + 1e-9);
    }
    expect(LOCALIZERS.knn.locate(model, spread)!.errorRadiusM).toBeCloseTo(DIAGONAL_M, 6);
  });
});
