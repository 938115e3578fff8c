// The EN-v2-style phone-to-phone detector: bucket arithmetic on made-up scans,
// and on real data (ble-proximity-pcng hand-to-hand and backpack pairs) the
// shipped config must beat the single-RSSI-threshold baseline fitted on the
// pair itself, at the figures measured; ≥ 95 % of the mitll anechoic chamber's 6 ft contacts heard.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPcng } from '../bench/studies/real-data/rssi-sessions.ts';
import { DEFAULT_CONFIG } from '../engine/config.ts';
import { attenuationBucket, isExposure, scanInstances, weightedMinutes } from '../engine/proximity/exposure-notification.ts';
import { scoreGroup, WINDOW_S } from '../bench/studies/real-data/en-proximity.ts';
import { dataDir } from '../bench/studies/real-data/data-dir.ts';
import { readPhoneLog } from '../engine/io/phone-log.ts';
import { logWindows } from '../engine/proximity/log-windows.ts';

const CFG = { ...DEFAULT_CONFIG.proximity, txPowerDbm: 0, scanS: 4, attenuationThresholdsDb: [55, 63, 70] as [number, number, number], bucketWeights: [1.5, 1, 0.5, 0] as [number, number, number, number], minWeightedMinutes: 15 };

describe('EN-style scoring', () => {
  it('buckets attenuation by the three thresholds', () => {
    expect([40, 55, 56, 63, 64, 70, 71].map((a) => attenuationBucket(a, CFG.attenuationThresholdsDb))).toEqual([0, 0, 1, 1, 2, 2, 3]);
  });

  it('weights minutes per bucket: 10 min immediate = 15 weighted minutes, an exposure; 10 min medium is not', () => {
    const tS = Array.from({ length: 600 }, (_, i) => i);
    const close = scanInstances(tS, tS.map(() => -50), CFG);
    expect(close).toHaveLength(150);
    expect(close[0]).toEqual({ startS: 0, durationS: 4, typicalAttenuationDb: 50, minAttenuationDb: 50 });
    expect(weightedMinutes(close, CFG)).toBeCloseTo(15, 9);
    expect(isExposure(close, CFG)).toBe(true);
    const medium = scanInstances(tS, tS.map((t) => (t % 2 ? -66 : -68)), CFG);
    expect(medium[0].typicalAttenuationDb).toBe(67);
    expect(medium[0].minAttenuationDb).toBe(66);
    expect(weightedMinutes(medium, CFG)).toBeCloseTo(5, 9);
    expect(isExposure(medium, CFG)).toBe(false);
  });
});

describe('the shipped detector on real phone-to-phone logs', () => {
  const windowsOf = (path: string, format: 'pcng' | 'mitll') => logWindows(readPhoneLog(join(dataDir(), path), format), WINDOW_S);

  it('beats the best single RSSI threshold fitted on the scored pair, hand-to-hand and backpack-to-backpack', () => {
    // The shipped config was tuned on all eleven logs, these two included (their held-out
    // figures are in bench/results/en-proximity.md); measured: HH 0.841 vs 0.808, BB 0.848 vs 0.708.
    for (const [pair, ba, raw] of [['HH', 0.841, 0.808], ['BB', 0.848, 0.708]] as const) {
      const s = scoreGroup(windowsOf(`ble-proximity-pcng/RSS_human${pair}.csv`, 'pcng'), DEFAULT_CONFIG.proximity);
      expect(s.detector.balancedAccuracy, pair).toBeCloseTo(ba, 2);
      expect(s.rawThreshold.rates.balancedAccuracy, pair).toBeCloseTo(raw, 2);
      expect(s.detector.balancedAccuracy - s.rawThreshold.rates.balancedAccuracy, pair).toBeGreaterThanOrEqual(0.03);
    }
  });

  it('hears ≥ 95 % of the 6 ft contacts in the anechoic chamber, the hardest ble-6ft-mitll environment', () => {
    // Measured 0.971 (136 of 140 windows), held out as well as shipped.
    const s = scoreGroup(windowsOf('ble-6ft-mitll/1-May_Anechoic_Chamber/iPhone', 'mitll'), DEFAULT_CONFIG.proximity, -91);
    expect(s.windows).toBe(140);
    expect(s.detector.recall).toBeCloseTo(0.971, 3);
    expect(s.detector.recall).toBeGreaterThanOrEqual(0.95);
  });
});

describe('real-data readers', () => {
  it('name the file, line and the expected fields on a malformed row', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcng-'));
    writeFileSync(join(dir, 'RSS_humanHH.csv'), 'device,elapsed,rss,mRSS10,mRSS100,dist,label\nphone,1.5,-60,-60,-60,20,1\nphone,2.0,loud,-60,-60,20,1\n');
    expect(() => readPcng(dir, 'HH')).toThrow(/RSS_humanHH\.csv:3: malformed row 'phone,2\.0,loud.*want device,elapsed,rss/);
  });
});
