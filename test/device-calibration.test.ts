// Per-model RSSI correction (GAEN table rows, relative to the selection's
// median) and the per-receiver lift estimated from a log's own readings.
import { describe, expect, it } from 'vitest';
import { isCalibratedModel, modelCorrectionDb, receiverLiftDb, receiverMediansDbm } from '../engine/proximity/device-calibration.ts';

describe('GAEN per-model correction', () => {
  it('adds the receiver\'s RSSI correction and the advertiser\'s TX power shortfall, relative to the median device (+2.5 dB, -28 dBm)', () => {
    // Pixel 4: rssi_correction 8 → +5.5 dB as receiver; tx -30 → +2 dB as advertiser. SM-A505F: 0 → -2.5; tx -20 → -8.
    expect(modelCorrectionDb('Pixel 4', undefined)).toBe(5.5);
    expect(modelCorrectionDb(undefined, 'Pixel 4')).toBe(2);
    expect(modelCorrectionDb('SM-A505F', 'SM-A505F')).toBe(-10.5);
    expect(modelCorrectionDb('iPhone XR', 'HTC One M9')).toBe(0);
    expect(isCalibratedModel('Pixel 3a')).toBe(true);
    expect(isCalibratedModel('toString')).toBe(false);
  });
});

describe('receiver lift from the log', () => {
  it('takes each receiver\'s lower median reading and lifts only those below the level', () => {
    // Receiver 0: -90 ×3, -60 ×1 → median -90; receiver 1: -50, -70 → lower median -70; receiver 2 heard nothing.
    const medians = receiverMediansDbm([0, 0, 1, 0, 1, 0], [-90, -90, -50, -60, -70, -90.4], 3);
    expect(Array.from(medians.slice(0, 2))).toEqual([-90, -70]);
    expect(medians[2]).toBeNaN();
    expect(receiverLiftDb(-90, -72)).toBe(18);
    expect(receiverLiftDb(-70, -72)).toBe(0);
    expect(receiverLiftDb(NaN, -72)).toBe(0);
  });
});
