// The survey's ranging line fits each AP's own gain (survey.apGains,
// engine/calibrate/ap-gains.ts), as self-calibration does: on a synthetic
// survey whose APs differ by a few dB, and two of them 12 dB weaker (another
// power), the gains come back and the line's spread is the readings' own; on
// a survey of like APs the gains stay near none.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../engine/config.ts';
import type { Site } from '../engine/contract/site.ts';
import { SurveyColumns, SURVEY_BANDS } from '../engine/contract/survey.ts';
import { atSurveyLevel, surveyLine } from '../engine/calibrate/survey-map.ts';
import { heightDiff2, siteLayout } from '../engine/localize/layout.ts';
import { lcg } from './helpers/synthetic.ts';

const TRUE_P0 = -52, TRUE_N = 2.2, SIGMA_DB = 4;

/** 12 BLE beacons over a 40 × 30 m floor. */
const aps = Array.from({ length: 12 }, (_, k) => ({ id: `b${k}`, floor: 0, x: 5 + (k % 4) * 10, y: 5 + Math.floor(k / 4) * 10, radios: { ble: { txPowerDbm: 0 } } }));
const site: Site = { floors: [{ id: 0, name: 'F0', widthM: 40, heightM: 30, elevationM: 0 }], walls: [], zones: [], aps };
const layout = siteLayout(site);
const cfg = resolveConfig({ run: { workers: 0 } });
const dh2 = heightDiff2(layout, cfg.localize);
const BLE = SURVEY_BANDS.indexOf('ble');

/** Three readings at each of 60 points from every AP above −95 dBm, the APs' gains as given. */
function surveyOf(gainDb: readonly number[], seed: number) {
  const rng = lcg(seed), survey = new SurveyColumns();
  for (let k = 0; k < 60; k++) {
    const x = 2 + (k % 10) * 4, y = 3 + Math.floor(k / 10) * 4.5;
    aps.forEach((ap, a) => {
      const mean = TRUE_P0 + gainDb[a] - 10 * TRUE_N * Math.log10(Math.sqrt((x - ap.x) ** 2 + (y - ap.y) ** 2 + dh2[a]));
      for (let r = 0; r < 3; r++) {
        const v = mean + SIGMA_DB * rng.normal();
        if (v > -95) survey.push(0, x, y, a, BLE, Math.round(v));
      }
    });
  }
  return survey.build();
}

const rms = (xs: readonly number[]): number => Math.sqrt(xs.reduce((s, v) => s + v * v, 0) / xs.length);
const centred = (xs: ArrayLike<number>): number[] => {
  const m = Array.from(xs).reduce((s, v) => s + v, 0) / xs.length;
  return Array.from(xs, (v) => v - m);
};

describe('the survey line\'s AP gains', () => {
  const rng = lcg(11);
  const gainDb = aps.map((_, a) => 2 * rng.normal() - (a === 3 || a === 8 ? 12 : 0));

  it('recovers the APs\' gains within 1 dB RMS and the exponent within 0.15, the line\'s spread no longer holding the gains', () => {
    const survey = surveyOf(gainDb, 5);
    const fit = surveyLine(layout, survey, BLE, cfg)!;
    const plain = surveyLine(layout, survey, BLE, resolveConfig({ run: { workers: 0 }, survey: { apGains: false } }))!;
    expect(plain.apGainDb).toBeUndefined();
    expect(Math.abs(fit.pathLossExponent - TRUE_N)).toBeLessThan(0.15);
    const truth = centred(gainDb), got = centred(fit.apGainDb!);
    expect(rms(truth.map((g, a) => g - got[a]))).toBeLessThan(1);
    // The line's spread is the point means' once the gains are out (4 dB over √3 readings: 2.3 dB), not the gains' on top.
    expect(fit.residualSigmaDb).toBeLessThan(3);
    expect(plain.residualSigmaDb).toBeGreaterThan(3.5);
  });

  it('keeps like APs\' gains within 0.3 dB of none', () => {
    const fit = surveyLine(layout, surveyOf(aps.map(() => 0), 6), BLE, cfg)!;
    expect(rms(Array.from(fit.apGainDb ?? []))).toBeLessThan(0.3);
  });
});

describe('a log\'s ranging at the survey\'s level (the radius calibration of a localizer that ranges)', () => {
  it('moves the RSSI at 1 m of a fit 10 dB below the survey to the survey\'s, within 0.5 dB, keeping its exponent and gains', () => {
    const gainDb = aps.map((_, a) => (a % 3) - 1);
    const survey = surveyOf(gainDb, 7);
    const inUse = { ranging: { refRssiDbmAt1m: TRUE_P0 - 10, pathLossExponent: TRUE_N, sigmaDb: 5 }, apGainDb: Float32Array.from(gainDb) };
    const at = atSurveyLevel(layout, survey, BLE, cfg.localize, inUse);
    expect(Math.abs(at.ranging.refRssiDbmAt1m - TRUE_P0)).toBeLessThan(0.5);
    expect(at.ranging.pathLossExponent).toBe(TRUE_N);
    expect(at.apGainDb).toBe(inUse.apGainDb);
  });
});
