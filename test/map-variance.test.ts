// The kriged map's own variance (engine/calibrate/kriging.ts, survey-map.ts
// cellVarDb2) and what the map localizer does with it when asked
// (localize.map.mapVariance, map.ts withMapVariance): low on a surveyed
// point, the field's sill far from every one, larger where the map is
// further off its world, and on real fingerprints a fix drawn to where the
// survey knows the field.
import { describe, expect, it } from 'vitest';
import { kernels, krige } from '../engine/calibrate/kriging.ts';
import { surveyRadioMaps } from '../engine/calibrate/survey-map.ts';
import { resolveConfig } from '../engine/config.ts';
import { siteLayout } from '../engine/localize/layout.ts';
import { BandChannel } from '../sim/radio/channel.ts';
import { simulateSurvey } from '../sim/site-survey.ts';
import { evaluateUji } from '../bench/studies/real-data/uji.ts';
import { shortOffice } from './helpers/short-office.ts';

describe('kriging variance', () => {
  const sill = 20, nugget = 5, range = 3;
  const at = (px: number[], qx: number[]): Float64Array => {
    const out = new Float64Array(qx.length), variance = new Float64Array(qx.length);
    krige(kernels(px, px.map(() => 0), qx, qx.map(() => 0), range), px.map(() => 0), px.map(() => nugget), sill, out, variance);
    return variance;
  };

  it('is sill·nugget/(sill + nugget) on a lone point and the sill three ranges from it', () => {
    const v = at([0], [0, 9]);
    expect(v[0]).toBeCloseTo((sill * nugget) / (sill + nugget), 9);
    expect(v[1]).toBeCloseTo(sill, 6);
  });

  it('between two points 4 m apart it rises above either point and stays below the sill', () => {
    const [onPoint, between] = at([0, 4], [0, 2]);
    expect(between).toBeGreaterThan(onPoint);
    expect(between).toBeLessThan(0.8 * sill);
  });
});

describe('the survey map\'s cell variance (office, a survey of 10 readings a point)', () => {
  const office = shortOffice();
  const ble = new BandChannel(office.site, 'ble', office.radio.ble, office.radio.effects, office.seed);
  const wifi = new BandChannel(office.site, 'wifi', office.radio.wifi, office.radio.effects, office.seed);
  const survey = simulateSurvey(office, office.survey!, { wifi, ble });
  const grid = surveyRadioMaps(office.site, siteLayout(office.site), survey, resolveConfig({ localize: { map: { mapVariance: true } } })).maps.ble!;
  const aps = office.site.aps.length;

  it('tells where the map is off its world: cells above the median variance miss the simulator\'s field by more', () => {
    const cells = Array.from(grid.walkable[0].cells);
    const variance = cells.map((c) => grid.cellVarDb2![0][c]);
    const mid = [...variance].sort((a, b) => a - b)[variance.length >> 1];
    const err2 = [0, 0], n = [0, 0];
    cells.forEach((c, k) => {
      const x = ((c % grid.nx[0]) + 0.5) * grid.cellM, y = (Math.floor(c / grid.nx[0]) + 0.5) * grid.cellM;
      const diffs: number[] = [];
      for (let ap = 0; ap < aps; ap++) {
        const mean = ble.meanRxDbm(ap, 0, x, y, 0) + ble.fadingMeanDb(ble.lineOfSight);
        if (mean > office.radio.ble.sensitivityDbm) diffs.push(grid.gainDb[0][c * aps + ap] - mean);
      }
      const m = diffs.reduce((s, d) => s + d, 0) / diffs.length, half = variance[k] > mid ? 1 : 0;
      for (const d of diffs) err2[half] += (d - m) ** 2;
      n[half] += diffs.length;
    });
    const [low, high] = [Math.sqrt(err2[0] / n[0]), Math.sqrt(err2[1] / n[1])];
    expect(high).toBeGreaterThan(1.1 * low);
  });
});

describe('the map localizer with its map\'s variance on real fingerprints (UJI BLE library, earliest rows the survey)', () => {
  // Measured: 0.86 m with it, 1.10 m without (every cell's map alike certain); p90 2.08 against 2.18 m.
  it('locates the later rows with a median under 0.95 m, a tenth or more below the default\'s', async () => {
    const [on, off] = await Promise.all([
      evaluateUji('lib', 'map', 'time', true, { localize: { map: { mapVariance: true } } }),
      evaluateUji('lib', 'map', 'time'),
    ]);
    expect(on.score.n).toBe(off.score.n);
    expect(on.score.medianErrorM).toBeLessThan(0.95);
    expect(on.score.medianErrorM).toBeLessThan(0.9 * off.score.medianErrorM);
  });

  it('is off by default: the default map carries no variance', () => {
    const office = shortOffice();
    const ble = new BandChannel(office.site, 'ble', office.radio.ble, office.radio.effects, office.seed);
    const wifi = new BandChannel(office.site, 'wifi', office.radio.wifi, office.radio.effects, office.seed);
    const survey = simulateSurvey(office, office.survey!, { wifi, ble });
    expect(surveyRadioMaps(office.site, siteLayout(office.site), survey, resolveConfig({})).maps.ble!.cellVarDb2).toBeUndefined();
  });
});
