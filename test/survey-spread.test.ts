// How a survey's readings at a point spread: the simulated survey samples the
// links' slow variation over the operator's dwell (sim/site-survey.ts), and a
// twin's survey spreads as the real one it stands for (bench/twin/simulate.ts,
// survey-spread.ts): one visit where that is enough, else separate visits and
// what they still lack. Seeded; tolerances from the fitted values below.
import { describe, expect, it } from 'vitest';
import type { SurveyBatch } from '../engine/contract/survey.ts';
import { SurveyColumns } from '../engine/contract/survey.ts';
import { missingSpreadDb, surveySpreadDb } from '../bench/twin/survey-spread.ts';
import { simulateTwin, twinScenario } from '../bench/twin/simulate.ts';
import { BandChannel } from '../sim/radio/channel.ts';
import { simulateSurvey } from '../sim/site-survey.ts';
import { validateRadio } from '../scenarios/validate.ts';
import { testSite, TRUE_BLE } from './helpers/twin-log.ts';

const WIFI = { pathLossExponent: 3, refLossDbAt1m: 40, shadowingSigmaDb: 4, shadowingDecorrelationM: 3, ricianKDb: 3, sensitivityDbm: -120, packetLoss: 0 };
/** Weak fast fading (K 20 dB, about 0.7 dB), a 4 dB slow part with a 5 s correlation time. */
const radioWith = (temporal: boolean) => validateRadio({
  wifi: WIFI, ble: { ...TRUE_BLE, ricianKDb: 20, sensitivityDbm: -120, packetLoss: 0, slowSigmaDb: 4, slowCorrelationS: 5 }, effects: { temporal },
}, 'test radio');
const POINTS = Array.from({ length: 40 }, (_, i) => ({ floor: 0, x: 2 + (i % 8) * 3.5, y: 3 + Math.floor(i / 8) * 3.5 }));

function survey(temporal: boolean, intervalS: number, emissions = 10): SurveyBatch {
  const scenario = twinScenario(testSite(), radioWith(temporal), 5, {});
  const channels = { wifi: new BandChannel(scenario.site, 'wifi', scenario.radio.wifi, scenario.radio.effects, 5), ble: new BandChannel(scenario.site, 'ble', scenario.radio.ble, scenario.radio.effects, 5) };
  return simulateSurvey(scenario, { spacingM: 1, dwellS: emissions * intervalS, intervalS, ageDays: 0 }, channels, POINTS, emissions);
}

/** Correlation of consecutive readings of one link at one point, around the link's mean. */
function lagOneCorrelation(s: SurveyBatch): number {
  const byLink = new Map<string, number[]>();
  for (let i = 0; i < s.length; i++) {
    const key = `${s.x[i]}|${s.y[i]}|${s.apIdx[i]}`;
    const list = byLink.get(key) ?? [];
    if (list.length === 0) byLink.set(key, list);
    list.push(s.rssiDbm[i]);
  }
  let sxy = 0, sxx = 0;
  for (const r of byLink.values()) {
    const m = r.reduce((a, v) => a + v, 0) / r.length;
    for (let k = 0; k < r.length; k++) {
      sxx += (r[k] - m) ** 2;
      if (k > 0) sxy += (r[k] - m) * (r[k - 1] - m);
    }
  }
  return sxy / sxx;
}

describe('simulated survey: the slow variation over the dwell', () => {
  it('readings a second apart share it (lag-1 correlation around their 10-reading mean 0.44 with it on, −0.08 off) and spread more (2.9 against 0.7 dB)', () => {
    const on = survey(true, 1), off = survey(false, 1);
    expect(lagOneCorrelation(on)).toBeGreaterThan(0.3);
    expect(Math.abs(lagOneCorrelation(off))).toBeLessThan(0.12);
    expect(surveySpreadDb(on).ble!).toBeGreaterThan(surveySpreadDb(off).ble! + 1.5);
  });

  it('readings a day apart draw it afresh: spread √(slow² + fast²) within 0.4 dB (4.12 against 4.06)', () => {
    const apart = surveySpreadDb(survey(true, 86_400)).ble!, fast = surveySpreadDb(survey(false, 1)).ble!;
    expect(Math.abs(apart - Math.hypot(4, fast))).toBeLessThan(0.4);
  });
});

describe('surveySpreadDb and missingSpreadDb', () => {
  it('pool the spread around each (point, AP) mean per band, and what a survey lacks of another', () => {
    const c = new SurveyColumns();
    // Point A, AP 0: −60 / −64 (sd² 8 with one dof); point B, AP 1: −70 / −70 / −76 (ss 24, two dof); a single reading adds nothing.
    for (const [x, ap, v] of [[0, 0, -60], [0, 0, -64], [5, 1, -70], [5, 1, -70], [5, 1, -76], [9, 2, -80]]) c.push(0, x, 0, ap, 1, v);
    const s = c.build();
    expect(surveySpreadDb(s).ble).toBeCloseTo(Math.sqrt((8 + 24) / 3), 6);
    expect(surveySpreadDb(s).wifi).toBeUndefined();
    expect(missingSpreadDb({ ble: 5 }, { ble: 3 }).ble).toBeCloseTo(4, 6);
    expect(missingSpreadDb({ ble: 3 }, { ble: 5 }).ble).toBe(0);
  });
});

describe('a twin survey spreads as the real one', () => {
  const run = (spreadDb: number) => simulateTwin(twinScenario(testSite(), radioWith(true), 5, {}), [], { points: POINTS, emissions: 10, ageDays: 0, spreadDb: { ble: spreadDb } }).survey!;

  it('read in one visit a second apart when the real survey spreads no more than that', () => {
    const oneVisit = surveySpreadDb(survey(true, 1)).ble!;
    expect(surveySpreadDb(run(oneVisit - 0.5)).ble).toBeCloseTo(oneVisit, 6);
  });

  it('on separate visits, then with the spread still missing, when it spreads more: 7 dB within 0.4 dB (7.13)', () => {
    expect(Math.abs(surveySpreadDb(run(7)).ble! - 7)).toBeLessThan(0.4);
  });
});
