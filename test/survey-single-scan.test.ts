// A survey of one scan a point (one reading per AP: many fingerprint
// databases) cannot tell a reading's fading from the field within a point.
// The map then takes the fading from the variogram's nugget instead of the
// whole-dBm floor, and kriging no longer passes through every single
// reading's fading.
import { describe, expect, it } from 'vitest';
import { surveyRadioMaps } from '../engine/calibrate/survey-map.ts';
import { resolveConfig } from '../engine/config.ts';
import { SURVEY_BANDS, SurveyColumns } from '../engine/contract/survey.ts';
import { siteLayout } from '../engine/localize/layout.ts';
import { lcg, makeSite, rssiAt } from './helpers/synthetic.ts';

const site = makeSite();
const layout = siteLayout(site);
const WIFI = SURVEY_BANDS.indexOf('wifi');
const FADING_DB = 5;

/** A Wi-Fi survey on a grid of `stepM`, `scans` readings per AP a point, each the log-distance mean plus FADING_DB of fading, in whole dBm. */
function survey(stepM: number, scans: number, seed = 7) {
  const rng = lcg(seed);
  const cols = new SurveyColumns();
  for (let y = 1; y < 20; y += stepM) {
    for (let x = 1; x < 30; x += stepM) {
      site.aps.forEach((ap, a) => {
        for (let s = 0; s < scans; s++) cols.push(0, x, y, a, WIFI, Math.round(rssiAt(ap, x, y, FADING_DB * rng.normal())));
      });
    }
  }
  return cols.build();
}

/** RMS (dB) of the Wi-Fi map less the true mean over every cell and AP. */
function mapErrorDb(batch: ReturnType<typeof survey>): { rmsDb: number; readingSigmaDb: number } {
  const { maps, fits } = surveyRadioMaps(site, layout, batch, resolveConfig({ localize: { method: 'map' } }));
  const grid = maps.wifi!;
  let ss = 0, n = 0;
  for (let c = 0; c < grid.nx[0] * grid.ny[0]; c++) {
    const x = ((c % grid.nx[0]) + 0.5) * grid.cellM, y = (Math.floor(c / grid.nx[0]) + 0.5) * grid.cellM;
    site.aps.forEach((ap, a) => {
      ss += (grid.gainDb[0][c * site.aps.length + a] - rssiAt(ap, x, y, 0)) ** 2;
      n++;
    });
  }
  return { rmsDb: Math.sqrt(ss / n), readingSigmaDb: fits.wifi!.readingSigmaDb };
}

describe('a survey of one scan a point', () => {
  it('reads its fading off the variogram, and its map stays near the field rather than each reading', () => {
    const single = mapErrorDb(survey(2, 1));
    // The whole-dBm floor (0.29 dB) took every reading as exact: the map's error was 3.3 dB, now 0.9.
    expect(single.readingSigmaDb).toBeGreaterThan(0.8 * FADING_DB);
    expect(single.readingSigmaDb).toBeLessThan(1.2 * FADING_DB);
    expect(single.rmsDb).toBeLessThan(1.5);
  });

  it('keeps the within-point spread where a point holds repeated readings', () => {
    const repeated = mapErrorDb(survey(2, 4));
    expect(repeated.readingSigmaDb).toBeGreaterThan(0.9 * FADING_DB);
    expect(repeated.readingSigmaDb).toBeLessThan(1.1 * FADING_DB);
    expect(repeated.rmsDb).toBeLessThan(0.6);
  });
});
