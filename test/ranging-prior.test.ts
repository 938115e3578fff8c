// The ranging localizers' robustness (issue #16: without beacons or a survey,
// wls and knn never worse than the weighted centroid): self-calibration's
// epoch levels (a minority of hotter devices does not shift P0), WLS's
// centroid prior (a wrong calibration falls back towards the centroid) and
// Huber's loss (one reading far off does not drag the fix), on synthetic
// data from a known model; bench/results/ranging-prior.md has the real data.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../engine/config.ts';
import type { ObservationBatch } from '../engine/contract/observations.ts';
import type { Site } from '../engine/contract/site.ts';
import { selfFit } from '../engine/calibrate/self-fit.ts';
import { heightDiff2, siteLayout } from '../engine/localize/layout.ts';
import { localizeModel } from '../engine/localize/model.ts';
import { wls } from '../engine/localize/wls.ts';
import { centroid } from '../engine/localize/centroid.ts';
import { lcg, locateRandomPoints, makeSite, roamingLog, rssiAt, WIFI } from './helpers/synthetic.ts';

describe('self-calibration with devices at different levels', () => {
  const TRUE_P0 = -60, TRUE_N = 3, SIGMA_DB = 4, HOT_DB = 20;
  const aps: Site['aps'] = [];
  for (let i = 0; i < 5; i++) for (let j = 0; j < 4; j++) aps.push({ id: `b${i}${j}`, floor: 0, x: 2 + i * 4, y: 2 + j * 4, radios: { ble: { txPowerDbm: 0 } } });
  const site: Site = { floors: [{ id: 0, name: 'F0', widthM: 20, heightM: 16, elevationM: 0 }], walls: [], zones: [], aps };
  const layout = siteLayout(site);
  const dh2 = heightDiff2(layout, DEFAULT_CONFIG.localize);
  /** 30 phones, each at a random spot every 5 s epoch, heard above −100 dBm; phones 0-9 read HOT_DB above the rest (UJI library: one phone of three, 20 dB). */
  const log = (): ObservationBatch => roamingLog({
    rng: lcg(11), epochs: 20, devices: Array.from({ length: 30 }, (_, d) => ({ id: `phone-${d}`, tech: 'ble-app' as const })),
    widthM: 20, heightM: 16, aps: aps.length, sigmaDb: SIGMA_DB, heardFromDbm: -100,
    meanDbm: (d, a, x, y) => TRUE_P0 + (d < 10 ? HOT_DB : 0) - 10 * TRUE_N * Math.log10(Math.sqrt((x - aps[a].x) ** 2 + (y - aps[a].y) ** 2 + dh2[a])),
  });
  const fit = (epochLevels: boolean) => {
    const cfg = resolveConfig({ run: { workers: 0 }, selfCalibrate: { epochLevels } });
    const r = selfFit(layout, log(), 'ble-app', cfg.ranging['ble-app'], dh2, {
      self: cfg.selfCalibrate, calibrate: cfg.calibrate, ...cfg.ingest, centroidWeightExponent: cfg.localize.centroid.weightExponent, priorExponent: cfg.ranging['ble-app'].pathLossExponent,
    });
    if ('refused' in r) throw new Error(r.refused);
    return r;
  };

  // Measured: P0 −59.5 dBm, exponent 2.93 with epoch levels; −47.3 dBm with one level for all.
  it('fits P0 at the typical (majority) phones\' level, within 1.5 dB, and the exponent within 0.2', () => {
    const r = fit(true);
    expect(Math.abs(r.refRssiDbmAt1m - TRUE_P0)).toBeLessThan(1.5);
    expect(Math.abs(r.pathLossExponent - TRUE_N)).toBeLessThan(0.2);
  });

  it('one level for all (epochLevels off) is drawn towards the hot third: P0 more than 4 dB high', () => {
    expect(fit(false).refRssiDbmAt1m - TRUE_P0).toBeGreaterThan(4);
  });
});

describe('WLS: centroid prior and Huber\'s loss', () => {
  const localize = (wlsOverrides: Partial<typeof DEFAULT_CONFIG.localize.wls>) => ({ ...DEFAULT_CONFIG.localize, wls: { ...DEFAULT_CONFIG.localize.wls, ...wlsOverrides } });

  it('a calibration 6 dB too hot (ranges 1.6× too long) whose fit says so (σ 8 dB) falls back towards the centroid; an exact one loses little', () => {
    const hot = { ...WIFI, refRssiDbmAt1m: WIFI.refRssiDbmAt1m + 6, sigmaDb: 8 };
    const alone = localize({ centroidPrior: false });
    // Measured (seed 5, 200 points, 4 dB noise): 2.23 m with the prior, 4.16 m on ranges alone, centroid 3.59 m.
    const withPrior = locateRandomPoints(wls, 200, 4, 5, hot).medianM;
    expect(withPrior).toBeLessThan(0.6 * locateRandomPoints(wls, 200, 4, 5, hot, alone).medianM);
    expect(withPrior).toBeLessThan(locateRandomPoints(centroid, 200, 4, 5, hot).medianM);
    // The exact model (σ 4 dB as the noise): 2.08 m with the prior, 1.91 m alone.
    expect(locateRandomPoints(wls, 200, 4, 5).medianM).toBeLessThan(1.15 * locateRandomPoints(wls, 200, 4, 5, WIFI, alone).medianM);
  });

  it('one AP read 25 dB low (behind a wall the map lacks): Huber\'s loss keeps the fix within 1 m, least squares is pulled further', () => {
    const site = makeSite();
    const apIdx = Uint16Array.from(site.aps, (_, i) => i);
    const x = 12, y = 9;
    const rssiDbm = Float32Array.from(site.aps, (ap, i) => rssiAt(ap, x, y, i === 1 ? -25 : 0));
    const err = (l: ReturnType<typeof localize>): number => {
      const fix = wls.locate(localizeModel(siteLayout(site), WIFI, l), { apIdx, rssiDbm, start: 0, end: apIdx.length })!;
      return Math.hypot(fix.x - x, fix.y - y);
    };
    const huber = err(localize({ centroidPrior: false })), squares = err(localize({ centroidPrior: false, huberK: 0 }));
    expect(huber).toBeLessThan(1);
    expect(squares).toBeGreaterThan(huber + 0.5);
  });
});
