// The twin's radio section (bench/twin/radio-section.ts) from a calibration of
// two bands where only one band's log tells a slow component and a body: the
// effects go on for it, and the other band, whose log told neither, gets none
// unless the base world has them (before, it got the base's 3.5 dB slow
// component and 5 dB hand on top of a fading that already held its spread).
import { describe, expect, it } from 'vitest';
import type { Band } from '../engine/contract/site.ts';
import type { BandCalibration, Estimate } from '../bench/twin/calibrate.ts';
import { radioSection } from '../bench/twin/radio-section.ts';
import { loadScenario } from '../scenarios/load.ts';

const est = (value: number): Estimate => ({ value, lo: value, hi: value });

function band(b: Band, slowDb: number | null, depthDb: number | null): BandCalibration {
  return {
    band: b, samples: 1000, devices: 1, rssiDbAt1m: est(-50), pathLossExponent: est(2.5), wallLossDb: {}, floorLossDb: null,
    orientationDepthDb: depthDb === null ? null : est(depthDb), stayFacingDepthDb: null, apGainDb: {}, deviceOffsetSigmaDb: null,
    deviceOffsetDb: {}, deviceFloorDb: {}, deviceHearing: {}, residualSigmaDb: est(4), shadowingSigmaDb: est(0), shadowingDecorrelationM: null,
    slowSigmaDb: slowDb === null ? null : est(slowDb), slowCorrelationS: slowDb === null ? null : est(5), slowDecorrelationM: null,
    fadingSigmaDb: est(4), sensitivityDbm: est(-95), sensitivityRampDb: est(2), hearingRate: est(0.9), hearingCorrelation: est(0),
    apHearingRate: {}, floorLossFromHearingDb: null, wallLossFromHearingDb: {}, sameRadio: [],
  };
}

const calibration = { bands: [band('ble', 3, 4), band('wifi', null, null)], bootstrap: 0 };

describe('twin radio section of two bands, one fitted with a slow component and a body', () => {
  it('over the ideal base (neither effect): the fitted band has both, the other neither', () => {
    const radio = radioSection(calibration, loadScenario('office', { radioPreset: 'ideal' }).radio);
    expect(radio.effects.temporal).toBe(true);
    expect(radio.effects.bodyOrientation).toBe(true);
    expect(radio.ble.slowSigmaDb).toBe(3);
    expect(radio.ble.bodyOrientationDepthDb.hand).toBe(4);
    expect(radio.wifi.slowSigmaDb).toBe(0);
    expect(radio.wifi.bodyOrientationDepthDb.hand).toBe(0);
  });

  it('over the realistic base (both effects on): the band its log did not tell keeps the base\'s', () => {
    const base = loadScenario('office').radio;
    expect(base.effects.temporal && base.effects.bodyOrientation).toBe(true);
    const radio = radioSection(calibration, base);
    expect(radio.wifi.slowSigmaDb).toBe(base.wifi.slowSigmaDb);
    expect(radio.wifi.bodyOrientationDepthDb.hand).toBe(base.wifi.bodyOrientationDepthDb.hand);
    expect(radio.wifi.slowSigmaDb).toBeGreaterThan(0);
  });
});
