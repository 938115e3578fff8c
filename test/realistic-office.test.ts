// The default office on its realistic world (radio.preset realistic, a
// month-old survey of about an operator-hour), first two hours, seed 1: the
// engine's figures there, with tolerances around what was measured on this
// world (about ±30 %), so a change that moves them is seen. Connected Wi-Fi
// lives only through the report hold (ingest.holdS).
import { beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../bench/harness/experiment.ts';
import type { Metrics } from '../reports/schemas/metrics.ts';
import { shortOffice } from './helpers/short-office.ts';
import { apsClass } from '../engine/calibrate/map-radius.ts';

describe('the office on the realistic world (2 h, seed 1)', () => {
  let real: Metrics, noHold: Metrics;
  beforeAll(async () => {
    real = (await runExperiment(shortOffice('realistic'))).metrics;
    noHold = (await runExperiment(shortOffice('realistic'), { config: { ingest: { holdS: { wifi: 0, 'wifi-probe': 0 } } } })).metrics;
  }, 600_000);

  it('locates BLE badges and app phones metres off, not decimetres, with 68 % radii that hold the truth about as often as they say', () => {
    const badge = real.perTech['ble-badge']!, app = real.perTech['ble-app']!;
    // Measured (BLE band from today's calibrate fits, bench/results/scenario-radio.md; the survey's dwell samples the links'
    // slow variation, sim/site-survey.ts): badge 2.63 m median, p90 6.44 m, radius holds 0.81, contact F1 0.36; app
    // 3.26 m, radius 0.74 (before the survey had the slow part: badge 2.35 m, 0.72; app 2.95 m, 0.63; ideal preset: 0.37
    // and 0.36 m, radius 0.93-0.96). The survey's left-out points now spread as the log's readings do, and the radii
    // they calibrate hold more than 68 %: an #16 gap, guarded here so it is seen when it moves. Fused (the default) with
    // WKNN's censored not-heard value: badge 2.68 m, radius holds 0.70; app 3.23 m, 0.63.
    expect(badge.localization.medianErrorM).toBeGreaterThan(1.85);
    expect(badge.localization.medianErrorM).toBeLessThan(3.4);
    expect(badge.localization.p90ErrorM).toBeGreaterThan(4.5);
    expect(badge.localization.p90ErrorM).toBeLessThan(8.4);
    expect(badge.localization.coverage).toBeGreaterThan(0.62);
    expect(badge.localization.coverage).toBeLessThan(0.9);
    expect(app.localization.coverage).toBeGreaterThan(0.58);
    expect(app.localization.coverage).toBeLessThan(0.84);
    expect(badge.contacts.f1).toBeGreaterThan(0.25);
    expect(badge.contacts.f1).toBeLessThan(0.5);
    expect(app.localization.medianErrorM).toBeGreaterThan(2.3);
    expect(app.localization.medianErrorM).toBeLessThan(4.2);
  });

  it('connected Wi-Fi gets its fixes from the report hold: hundreds of times more, about 5 m off', () => {
    const wifi = real.perTech.wifi!, starved = noHold.perTech.wifi!;
    // Measured: 8,621 fixes at 4.65 m median with the hold (4.47 m before the survey sampled the slow variation, 4.95 m
    // before the map's device offset was read from the held span, next test), 18 without (the epochs alone rarely hold 3 APs).
    expect(wifi.localization.n).toBeGreaterThan(6000);
    expect(starved.localization.n).toBeLessThan(100);
    expect(wifi.localization.medianErrorM).toBeGreaterThan(3.5);
    expect(wifi.localization.medianErrorM).toBeLessThan(6.5);
    // Probing phones: one burst per MAC, its reports spread over the APs' timers; 2,599 fixes at 3.36 m with the hold, 1,728 at 4.76 m without.
    expect(real.perTech['wifi-probe']!.localization.n).toBeGreaterThan(1.3 * noHold.perTech['wifi-probe']!.localization.n);
    // BLE holds nothing by default: its figures do not move.
    expect(noHold.perTech['ble-badge']).toEqual(real.perTech['ble-badge']);
  });

  it("reads connected phones' offset from the map on epochs as their fixes hold them", () => {
    // Sampled over the hold's span (self-fit.ts sampledEpochMs): 800 epochs, −5.2 ± 8.4 dB (device models, power
    // control). Sampled epoch by epoch, as before, too few held 3 APs for any: each fix's offset was free.
    const o = real.calibration.sources.wifi!.mapDeviceOffset!;
    expect(o.epochs).toBeGreaterThanOrEqual(700);
    expect(o.meanDb).toBeGreaterThan(-9);
    expect(o.meanDb).toBeLessThan(-1);
    expect(o.sdDb).toBeGreaterThan(5);
    expect(o.sdDb).toBeLessThan(12);
    expect(noHold.calibration.sources.wifi!.mapDeviceOffset).toBeUndefined();
  });

  it("reads badges' radii where the survey's points, moved until they misfit as the log does, need them", () => {
    // Measured: R 1.34 (1.31 and 1.35 for fixes of 5-6 and 7-9 APs; the badges' fixes hold 7-8), where the moved points need
    // × 1.01 beyond √R; a class the log's sample holds too few of (4 APs, 10 or more) reads its nearest class's R. Before
    // the survey's dwell sampled the slow variation its points misfit the map less than the log's epochs: R 2.51, × 1.29.
    const o = real.calibration.sources['ble-badge']!.mapDeviceOffset!;
    expect(o.misfitRatioByAps![apsClass(8)]).toBeGreaterThan(1.15);
    expect(o.misfitRatioByAps![apsClass(8)]).toBeLessThan(1.7);
    expect(o.movedFactor![apsClass(8)]).toBeGreaterThan(0.85);
    expect(o.movedFactor![apsClass(8)]).toBeLessThan(1.2);
    expect(o.misfitRatioByAps![apsClass(4)]).toBe(o.misfitRatioByAps![apsClass(5)]);
    expect(o.misfitRatioByAps![apsClass(12)]).toBe(o.misfitRatioByAps![apsClass(8)]);
    expect(o.movedSigmaDb).toBeGreaterThan(4);
  });

  it('gives connected phones, whose three held APs leave no misfit to read, the misfit their band\'s probing phones read', () => {
    // Measured: R 2.21 read on wifi-probe; connected Wi-Fi's radius held the truth 0.40 of the time without it, 0.63 with (map localizer, no tracker).
    const wifi = real.calibration.sources.wifi!.mapDeviceOffset!, probe = real.calibration.sources['wifi-probe']!.mapDeviceOffset!;
    expect(wifi.misfitRatioFrom).toEqual(['wifi-probe']);
    expect(wifi.misfitRatio).toBe(probe.misfitRatio);
    expect(probe.misfitRatio).toBeGreaterThan(1.5);
    expect(probe.misfitRatioFrom).toBeUndefined();
  });
});
