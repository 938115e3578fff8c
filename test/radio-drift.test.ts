// The field's drift between survey and use (sim/radio/drift.ts) against its
// source, wifi-longterm-uji's 25 monthly surveys, and in a simulated survey.
import { describe, expect, it } from 'vitest';
import { DAYS_PER_MONTH, driftCurve, driftParts } from '../bench/studies/radio-fit/drift-fit.ts';
import type { SurveyBatch } from '../engine/contract/survey.ts';
import { scenarioToJson } from '../scenarios/serialize.ts';
import { validateScenario } from '../scenarios/validate.ts';
import { driftSigmaDb } from '../sim/radio/drift.ts';
import { simulate } from '../sim/simulate.ts';
import { shortOffice } from './helpers/short-office.ts';

describe('fitted on wifi-longterm-uji', () => {
  const curve = driftCurve();

  it('grows over the first months and saturates: the fit holds every gap with 10+ month pairs to 0.6 dB', () => {
    expect(curve.gaps.length).toBe(24);
    // Measured: 0.76 dB after a month, 2.09 after four; the same-month noise 3.0 dB.
    expect(curve.gaps[0].driftSdDb).toBeLessThan(curve.gaps[3].driftSdDb - 0.8);
    for (const g of curve.gaps.filter((x) => x.pairs >= 10)) {
      expect(Math.abs(driftSigmaDb(curve.sigmaInfDb, curve.timeDays, g.months * DAYS_PER_MONTH) - g.driftSdDb), `${g.months} months`).toBeLessThan(0.6);
    }
  });

  it('is mostly a shift of each AP\'s level: over gaps of one to seven months 1.2-1.8 dB per AP, under 1 dB over the floor', () => {
    const early = driftParts(curve.noiseSdDb).gaps.filter((g) => g.months <= 7);
    expect(early.length).toBe(7);
    for (const g of early) {
      expect(g.apShiftSdDb, `${g.months} months`).toBeGreaterThan(1.1);
      expect(g.apShiftSdDb, `${g.months} months`).toBeLessThan(1.9);
      expect(g.floorSdDb, `${g.months} months`).toBeLessThan(1);
    }
  });

  it('gives the scenario defaults', () => {
    const file = JSON.parse(JSON.stringify(scenarioToJson(shortOffice())));
    delete file.radio.wifi.driftSigmaInfDb;
    delete file.radio.wifi.driftTimeDays;
    const wifi = validateScenario(file, 'office').radio.wifi;
    expect(Math.abs(curve.sigmaInfDb - wifi.driftSigmaInfDb)).toBeLessThan(0.1);
    expect(Math.abs(curve.timeDays - wifi.driftTimeDays)).toBeLessThan(3);
  });
});

describe('in a simulated survey', () => {
  /** Mean RSSI per (point, AP, band) of the office survey taken `ageDays` before the run. */
  function surveyMeans(ageDays: number): Map<string, number> {
    const s = shortOffice();
    s.durationS = 600;
    // Drift on over the ideal preset (which has none), and the thorough survey: 120 readings a point.
    s.radio.effects.drift = true;
    s.survey = { ...s.survey!, dwellS: 30, intervalS: 0.25, ageDays };
    const survey: SurveyBatch = simulate(s).survey!;
    const sums = new Map<string, [number, number]>();
    for (let i = 0; i < survey.length; i++) {
      const key = `${survey.x[i]},${survey.y[i]},${survey.apIdx[i]},${survey.band[i]}`;
      const e = sums.get(key) ?? [0, 0];
      sums.set(key, [e[0] + survey.rssiDbm[i], e[1] + 1]);
    }
    return new Map([...sums].filter(([, [, n]]) => n >= 100).map(([k, [sum, n]]) => [k, sum / n]));
  }

  it('an older survey sees a field off by the fitted drift: sd 1.2 dB at 30 days, 2.1 dB at a year', () => {
    const today = surveyMeans(0);
    for (const ageDays of [30, 365]) {
      const old = surveyMeans(ageDays);
      const d = [...old].filter(([k]) => today.has(k)).map(([k, v]) => v - today.get(k)!);
      expect(d.length).toBeGreaterThan(1000);
      const mean = d.reduce((a, b) => a + b, 0) / d.length;
      const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
      const expected = driftSigmaDb(2.1, 78, ageDays);
      // The same fading draws on both days: what differs is the drift (and whole-dBm rounding, sensitivity).
      expect(Math.abs(sd - expected), `${ageDays} days: sd ${sd.toFixed(2)} vs ${expected.toFixed(2)}`).toBeLessThan(0.25);
      expect(Math.abs(mean)).toBeLessThan(0.4);
    }
  });
});
