// Where each technology's ranging comes from (engine/pipeline/calibration.ts):
// AP beacons, else the survey's fit, else the log itself, else the defaults,
// on a small synthetic site whose true model is known (P0 −52 dBm at 1 m,
// exponent 2.2, per-AP gains of a few dB): self-calibration recovers it
// with no position known.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../engine/config.ts';
import { AP_BEACON_PREFIX, type ObservationBatch } from '../engine/contract/observations.ts';
import type { Site } from '../engine/contract/site.ts';
import { SurveyColumns } from '../engine/contract/survey.ts';
import { heightDiff2, siteLayout } from '../engine/localize/layout.ts';
import { calibrate } from '../engine/pipeline/calibration.ts';
import { selfFit } from '../engine/calibrate/self-fit.ts';
import { lcg, roamingLog } from './helpers/synthetic.ts';

const TRUE_P0 = -52, TRUE_N = 2.2, SIGMA_DB = 4;

/** 12 BLE beacons over a 40 × 30 m floor. */
function site(): Site {
  const aps = [];
  for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) aps.push({ id: `b${i}${j}`, floor: 0, x: 5 + i * 10, y: 5 + j * 10, radios: { ble: { txPowerDbm: 0 } } });
  return { floors: [{ id: 0, name: 'F0', widthM: 40, heightM: 30, elevationM: 0 }], walls: [], zones: [], aps };
}

const s = site();
const layout = siteLayout(s);
const dh2 = heightDiff2(layout, DEFAULT_CONFIG.localize);
const rng = lcg(7);
const apGainDb = s.aps.map(() => 2 * rng.normal());
const meanRssi = (ap: number, x: number, y: number): number =>
  TRUE_P0 + apGainDb[ap] - 10 * TRUE_N * Math.log10(Math.sqrt((x - s.aps[ap].x) ** 2 + (y - s.aps[ap].y) ** 2 + dh2[ap]));

/** 20 badges, each at a random spot every 5 s epoch, heard by every AP above −95 dBm. */
const badgeLog = (epochs: number): ObservationBatch => roamingLog({
  rng, epochs, devices: Array.from({ length: 20 }, (_, d) => ({ id: `badge-${d}`, tech: 'ble-badge' as const })),
  widthM: 40, heightM: 30, aps: s.aps.length, meanDbm: (_, a, x, y) => meanRssi(a, x, y), sigmaDb: SIGMA_DB, heardFromDbm: -95,
});

const log = badgeLog(60);
const cfg = resolveConfig({ run: { workers: 0 } });

describe('self-calibration from the log', () => {
  it('recovers P0 and the exponent with no position known (within 2 dB and 0.15), and the APs\' gains within 0.6 dB RMS', () => {
    const fit = selfFit(layout, log, 'ble-badge', cfg.ranging['ble-badge'], dh2, {
      self: { ...cfg.selfCalibrate, apGainSdDb: 3 }, calibrate: cfg.calibrate, ...cfg.ingest, centroidWeightExponent: cfg.localize.centroid.weightExponent, priorExponent: 2.5,
    });
    if ('refused' in fit) throw new Error(fit.refused);
    expect(Math.abs(fit.refRssiDbmAt1m - TRUE_P0)).toBeLessThan(2);
    expect(Math.abs(fit.pathLossExponent - TRUE_N)).toBeLessThan(0.15);
    expect(fit.residualSigmaDb).toBeGreaterThan(SIGMA_DB - 1);
    expect(fit.residualSigmaDb).toBeLessThan(SIGMA_DB + 1);
    const mean = apGainDb.reduce((a, b) => a + b, 0) / apGainDb.length;
    const rms = Math.sqrt(apGainDb.reduce((ss, g, a) => ss + (g - mean - fit.apGainDb![a]) ** 2, 0) / apGainDb.length);
    expect(rms).toBeLessThan(0.6);
  });

  it('reads the gains\' spread off the log (no spread given): the APs\' gains within 0.6 dB RMS, and on a site of like APs within 0.1 dB of none', () => {
    const fitOf = (l: ObservationBatch) => {
      const fit = selfFit(layout, l, 'ble-badge', cfg.ranging['ble-badge'], dh2, {
        self: cfg.selfCalibrate, calibrate: cfg.calibrate, ...cfg.ingest, centroidWeightExponent: cfg.localize.centroid.weightExponent, priorExponent: 2.5,
      });
      if ('refused' in fit) throw new Error(fit.refused);
      return fit;
    };
    const rmsAbout = (fitted: Float32Array, truth: readonly number[]): number => {
      const mean = truth.reduce((a, b) => a + b, 0) / truth.length;
      return Math.sqrt(truth.reduce((ss, g, a) => ss + (g - mean - fitted[a]) ** 2, 0) / truth.length);
    };
    expect(cfg.selfCalibrate.apGainSdDb).toBe(0);
    expect(rmsAbout(fitOf(log).apGainDb!, apGainDb)).toBeLessThan(0.6);
    const alike = roamingLog({
      rng, epochs: 60, devices: Array.from({ length: 20 }, (_, d) => ({ id: `badge-${d}`, tech: 'ble-badge' as const })),
      widthM: 40, heightM: 30, aps: s.aps.length, meanDbm: (_, a, x, y) => meanRssi(a, x, y) - apGainDb[a], sigmaDb: SIGMA_DB, heardFromDbm: -95,
    });
    // Unshrunk (a 30 dB spread) they would read 0.2 dB RMS of noise.
    expect(rmsAbout(fitOf(alike).apGainDb!, apGainDb.map(() => 0))).toBeLessThan(0.1);
  });

  it('refuses a log too short to tell (the configured model stands, and says why)', () => {
    const { sources, data } = calibrate(s, log.devices, cfg, layout, { log: badgeLog(1) });
    expect(sources['ble-badge']?.source).toBe('defaults');
    expect(sources['ble-badge']?.refused).toMatch(/epochs heard by 3\+ APs, fewer than 30/);
    expect(data.ranging['ble-badge']).toEqual(cfg.ranging['ble-badge']);
  });
});

describe('calibration order: beacons > survey > self > defaults', () => {
  // A survey: readings at 60 known points.
  const survey = new SurveyColumns();
  for (let k = 0; k < 60; k++) {
    const x = 2 + (k % 10) * 4, y = 3 + Math.floor(k / 10) * 4.5;
    s.aps.forEach((_, a) => {
      for (let r = 0; r < 3; r++) survey.push(0, x, y, a, 1, meanRssi(a, x, y) + SIGMA_DB * rng.normal());
    });
  }
  // AP beacons: each AP's BLE beacon (0 dBm) heard by the others, free space's 40.2 dB at 1 m and exponent 3.5, unlike the badges' line.
  const beacon = { tMs: [] as number[], dev: [] as number[], ap: [] as number[], rssi: [] as number[] };
  s.aps.forEach((tx, t) => s.aps.forEach((rx, r) => {
    if (t === r) return;
    beacon.tMs.push(1);
    beacon.dev.push(t);
    beacon.ap.push(r);
    beacon.rssi.push(-40.2 - 35 * Math.log10(Math.hypot(tx.x - rx.x, tx.y - rx.y)));
  }));
  const apBeacons: ObservationBatch = {
    length: beacon.tMs.length, tMs: Float64Array.from(beacon.tMs), deviceIdx: Uint32Array.from(beacon.dev), apIdx: Uint16Array.from(beacon.ap), rssiDbm: Float32Array.from(beacon.rssi),
    devices: s.aps.map((a) => ({ id: `${AP_BEACON_PREFIX}${a.id}`, tech: 'ble-badge' as const })),
  };
  const run = (inputs: Parameters<typeof calibrate>[4], c = cfg) => calibrate(s, log.devices, c, layout, { log, ...inputs }).sources['ble-badge']!;

  it('AP beacons first: their fit (exponent 3.5, free space\'s 40.2 dB at 1 m below the badges\' nominal 0 dBm) wins over survey and log', () => {
    const c = run({ apBeacons, survey: survey.build() });
    expect(c.source).toBe('ap-beacons');
    expect(c.pathLossExponent).toBeCloseTo(3.5, 1);
    expect(c.refRssiDbmAt1m).toBeCloseTo(-40.2, 1);
  });

  it('then the survey\'s own fit, applied to ranging', () => {
    const c = run({ survey: survey.build() });
    expect(c.source).toBe('survey');
    expect(Math.abs(c.refRssiDbmAt1m - TRUE_P0)).toBeLessThan(2);
    expect(Math.abs(c.pathLossExponent - TRUE_N)).toBeLessThan(0.2);
  });

  it('then the log itself, then the defaults (self-calibration switched off)', () => {
    expect(run({}).source).toBe('self');
    const off = run({}, resolveConfig({ selfCalibrate: { fromLog: false } }));
    expect(off.source).toBe('defaults');
    expect(off.refRssiDbmAt1m).toBe(DEFAULT_CONFIG.ranging['ble-badge'].refRssiDbmAt1m);
  });
});
