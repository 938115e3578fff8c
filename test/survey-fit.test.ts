// What the survey map learns from the calibration walk itself, checked
// against the simulator that made it: the kriging range per band (the
// office's shadowing decorrelates over 3 m on BLE and 4 m on Wi-Fi), the
// step of links behind walls (Rayleigh fading's mean in dB lies ~2 dB under
// Rician's), and that both make the map closer to the simulator's own field;
// and that what is left is the survey's own noise, which more readings shrink.
import { describe, expect, it } from 'vitest';
import { surveyRadioMaps } from '../engine/calibrate/survey-map.ts';
import { resolveConfig, type DeepPartial, type EngineConfig } from '../engine/config.ts';
import { siteLayout } from '../engine/localize/layout.ts';
import { BandChannel } from '../sim/radio/channel.ts';
import { simulateSurvey } from '../sim/site-survey.ts';
import { shortOffice } from './helpers/short-office.ts';

describe('survey map fits', () => {
  const office = shortOffice();
  // The thorough survey these fits were set on (120 readings a point); the library's is about an operator-hour (10).
  office.survey = { ...office.survey!, dwellS: 30, intervalS: 0.25, ageDays: 0 };
  const ble = new BandChannel(office.site, 'ble', office.radio.ble, office.radio.effects, office.seed);
  const wifi = new BandChannel(office.site, 'wifi', office.radio.wifi, office.radio.effects, office.seed);
  const survey = simulateSurvey(office, office.survey!, { wifi, ble });
  const layout = siteLayout(office.site);
  const aps = office.site.aps.length;

  /** RMS (dB) of map − simulator mean (with its fading's mean in dB) over every 5th walkable BLE cell and the APs heard there, less the common offset; the map built on `site` (the engine's drawing). */
  function bleMapErrorDb(overrides: DeepPartial<EngineConfig>, from = survey, site = office.site): number {
    const grid = surveyRadioMaps(site, siteLayout(site), from, resolveConfig(overrides)).maps.ble!;
    const diffs: number[] = [];
    grid.walkable[0].cells.forEach((c, k) => {
      if (k % 5 !== 0) return;
      const x = ((c % grid.nx[0]) + 0.5) * grid.cellM, y = (Math.floor(c / grid.nx[0]) + 0.5) * grid.cellM;
      for (let ap = 0; ap < aps; ap++) {
        const mean = ble.meanRxDbm(ap, 0, x, y, 0) + ble.fadingMeanDb(ble.lineOfSight);
        if (mean > office.radio.ble.sensitivityDbm) diffs.push(grid.gainDb[0][c * aps + ap] - mean);
      }
    });
    const m = diffs.reduce((s, d) => s + d, 0) / diffs.length;
    return Math.sqrt(diffs.reduce((s, d) => s + (d - m) ** 2, 0) / diffs.length);
  }

  it('builds a finite map from a survey whose readings never vary (kriging keeps the whole-dBm nugget)', () => {
    const flat = { ...survey, rssiDbm: new Float32Array(survey.length).fill(-70) };
    const grid = surveyRadioMaps(office.site, layout, flat, resolveConfig({ localize: { method: 'map' } })).maps.ble!;
    const gains = Array.from(grid.gainDb[0]);
    expect(gains.every(Number.isFinite)).toBe(true);
    expect(Math.max(...gains.map(Math.abs))).toBeLessThan(200);
  });

  it('fits each band\'s range and the behind-the-wall step near the simulator\'s, and the map gets closer to its field', () => {
    const { fits } = surveyRadioMaps(office.site, layout, survey, resolveConfig());
    expect(fits.ble!.correlationM).toBeGreaterThanOrEqual(2.75);
    expect(fits.ble!.correlationM).toBeLessThanOrEqual(3.5);
    expect(fits.wifi!.correlationM).toBeGreaterThanOrEqual(3.75);
    expect(fits.wifi!.correlationM).toBeLessThanOrEqual(4.75);
    for (const band of ['ble', 'wifi'] as const) {
      expect(fits[band]!.wallStepDb, band).toBeLessThan(-0.5);
      expect(fits[band]!.wallStepDb, band).toBeGreaterThan(-3);
    }
    const plain = bleMapErrorDb({ survey: { censorCorrect: false, fitCorrelation: false, fitWallStep: false } });
    const fitted = bleMapErrorDb({});
    expect(fitted).toBeLessThan(0.95 * plain);
  });

  it('fits a factor on the drawing\'s wall losses: walls drawn 3× too lossy come out near ⅓, and the map as close to the field as on the true drawing', () => {
    const drawn = { ...office.site, walls: office.site.walls.map((w) => ({ ...w, lossDb: 3 * w.lossDb })) };
    const wallScale = (site: typeof office.site): number => surveyRadioMaps(site, siteLayout(site), survey, resolveConfig()).fits.ble!.wallScale;
    expect(wallScale(drawn)).toBeGreaterThanOrEqual(0.2);
    expect(wallScale(drawn)).toBeLessThanOrEqual(0.5);
    expect(wallScale(office.site)).toBeGreaterThanOrEqual(0.7);
    expect(wallScale(office.site)).toBeLessThanOrEqual(1.4);
    const asDrawn = bleMapErrorDb({ survey: { fitWallScale: false } }, survey, drawn), fitted = bleMapErrorDb({}, survey, drawn), truth = bleMapErrorDb({});
    expect(fitted).toBeLessThan(0.9 * asDrawn);
    expect(fitted).toBeLessThan(1.1 * truth);
  });

  it('the map error is the survey\'s noise: 12× the readings per point (10 s at 1/s → 30 s at 4/s) bring it down about √12×', () => {
    expect(office.survey!.dwellS / office.survey!.intervalS).toBe(120);
    const tenReadings = simulateSurvey(office, { ...office.survey!, dwellS: 10, intervalS: 1 }, { wifi, ble });
    const sparse = bleMapErrorDb({}, tenReadings), thorough = bleMapErrorDb({});
    expect(sparse).toBeGreaterThan(0.7);
    expect(thorough).toBeLessThan(0.5);
    // 1/√12 = 0.29 for pure noise; kriging's little averaging and the model's own misfit keep it above that.
    expect(thorough / sparse).toBeGreaterThan(0.29);
    expect(thorough / sparse).toBeLessThan(0.5);
  });
});
