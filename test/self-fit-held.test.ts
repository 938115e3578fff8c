// Self-calibration whose exponent ends outside indoor physics (a log heard
// near its receivers' floor keeps its far links' peaks alone, which flattens
// the line) holds it at the nearer bound and refits the level about it,
// rather than falling back to the configured defaults (−45 dBm at 1 m, set on
// the kind simulator), and says so.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../engine/config.ts';
import type { Site } from '../engine/contract/site.ts';
import { heightDiff2, siteLayout } from '../engine/localize/layout.ts';
import { calibrate } from '../engine/pipeline/calibration.ts';
import { INDOOR_EXPONENT_RANGE } from '../engine/calibrate/ranging.ts';
import { calibrationSummary } from '../reports/calibration-summary.ts';
import { lcg, roamingLog } from './helpers/synthetic.ts';

/** 12 BLE beacons over a 40 × 30 m floor, heard at −62 dBm at 1 m with exponent 1.2: flatter than indoor physics allows. */
const TRUE_P0 = -62, TRUE_N = 1.2;
const aps = Array.from({ length: 12 }, (_, k) => ({ id: `b${k}`, floor: 0, x: 5 + (k % 4) * 10, y: 5 + Math.floor(k / 4) * 10, radios: { ble: { txPowerDbm: 0 } } }));
const site: Site = { floors: [{ id: 0, name: 'F0', widthM: 40, heightM: 30, elevationM: 0 }], walls: [], zones: [], aps };
const layout = siteLayout(site);
const dh2 = heightDiff2(layout, DEFAULT_CONFIG.localize);
const line = (p0: number, n: number, dM: number): number => p0 - 10 * n * Math.log10(dM);

describe('self-calibration beyond indoor physics', () => {
  it('holds the exponent at 1.5 and fits the level about it (the log\'s own 1.2 said), not the defaults', () => {
    const log = roamingLog({
      rng: lcg(11), epochs: 60, devices: Array.from({ length: 20 }, (_, d) => ({ id: `badge-${d}`, tech: 'ble-badge' as const })),
      widthM: 40, heightM: 30, aps: aps.length, sigmaDb: 3, heardFromDbm: -100,
      meanDbm: (_, a, x, y) => line(TRUE_P0, TRUE_N, Math.sqrt((x - aps[a].x) ** 2 + (y - aps[a].y) ** 2 + dh2[a])),
    });
    const cfg = resolveConfig({ run: { workers: 0 } });
    const { sources } = calibrate(site, log.devices, cfg, layout, { log });
    const c = sources['ble-badge']!;
    expect(c.source).toBe('self');
    expect(c.pathLossExponent).toBe(INDOOR_EXPONENT_RANGE[0]);
    expect(c.exponentHeldFrom!).toBeLessThan(1.4);
    // The held line crosses the true one where the log's links are (3-15 m): within 2 dB there, where −45 dBm at 1 m
    // and exponent 2.5 (the defaults) sit 11 dB above it at 3 m.
    for (const d of [3, 6, 10, 15]) expect(Math.abs(line(c.refRssiDbmAt1m, c.pathLossExponent, d) - line(TRUE_P0, TRUE_N, d)), `${d} m`).toBeLessThan(2);
    expect(calibrationSummary(sources)).toMatch(/exponent 1\.50 \(held at indoor physics' bound: the log's own fit 1\.\d\d\)/);
  });
});
