// The log's device offset from the survey map, learnt from the log itself
// (engine/calibrate/map-drift.ts), on real BLE fingerprints through the
// locate path (bench/studies/real-data/uji.ts).
import { describe, expect, it } from 'vitest';
import { evaluateUji } from '../bench/studies/real-data/uji.ts';
import { calibrationSummary } from '../reports/calibration-summary.ts';

describe('map device offset from the log', () => {
  it('finds the later rows 13 dB below their survey (UJI library, earliest -> later) and locates them within 1.1 m (1.18 m without)', async () => {
    const r = await evaluateUji('lib', 'map', 'time');
    const o = r.calibration!.mapDeviceOffset!;
    expect(o.meanDb).toBeGreaterThan(-15);
    expect(o.meanDb).toBeLessThan(-11);
    expect(o.sdDb).toBeGreaterThan(1.5);
    expect(o.sdDb).toBeLessThan(6);
    expect(o.epochs).toBeGreaterThan(700);
    expect(r.score.medianErrorM).toBeLessThanOrEqual(1.1);
    expect(calibrationSummary({ 'ble-app': r.calibration! })).toMatch(/; survey map offset from the log -1\d\.\d ± \d\.\d dB \(\d{3} epochs\)\.$/);
  });

  it('finds a survey of the same power level with the log (UJI library, campaign 2 -> 3: within 2 dB)', async () => {
    const r = await evaluateUji('lib', 'map', 'campaign');
    expect(Math.abs(r.calibration!.mapDeviceOffset!.meanDb)).toBeLessThan(2);
  });
});
