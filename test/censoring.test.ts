// Censoring at the receiver's sensitivity: the bias of a weak link's heard
// readings from its hearing share, and what taking it off does for the map
// localizer on pooled readings of devices that hear far APs only on peaks.
import { describe, expect, it } from 'vitest';
import { censoredMeanBiasDb } from '../engine/calibrate/censoring.ts';
import { surveyRadioMaps, techRadioMaps } from '../engine/calibrate/survey-map.ts';
import { resolveConfig, type DeepPartial, type EngineConfig } from '../engine/config.ts';
import { siteLayout } from '../engine/localize/layout.ts';
import { map } from '../engine/localize/map.ts';
import { TECHS } from '../engine/site.ts';
import { BandChannel } from '../sim/radio/channel.ts';
import { Rng } from '../sim/rng.ts';
import { simulateSurvey } from '../sim/survey.ts';
import { shortOffice } from './helpers/short-office.ts';

/** E[10·log10 P | P > t] − E[10·log10 P] for exponential P (Rayleigh power), by the midpoint rule on u = e^−P. */
function biasByQuadrature(share: number): number {
  const steps = 200_000;
  let heard = 0, all = 0;
  for (let k = 0; k < steps; k++) {
    const u = (k + 0.5) / steps, db = 10 * Math.log10(-Math.log(u));
    all += db;
    if (u < share) heard += db;
  }
  return heard / (share * steps) - all / steps;
}

describe('censored mean bias', () => {
  it('matches the Rayleigh integral at every share, is 0 when all is heard and grows as less is', () => {
    for (const share of [0.95, 0.75, 0.5, 0.25, 0.1]) expect(censoredMeanBiasDb(share), `share ${share}`).toBeCloseTo(biasByQuadrature(share), 2);
    expect(censoredMeanBiasDb(1)).toBe(0);
    expect(censoredMeanBiasDb(0.5)).toBeCloseTo(4.20, 2);
    const shares = [0.99, 0.9, 0.7, 0.5, 0.3, 0.1, 0.02];
    const biases = shares.map(censoredMeanBiasDb);
    expect(biases.every((b, i) => i === 0 || b > biases[i - 1])).toBe(true);
  });
});

describe('map localizer on censored pooled readings', () => {
  const office = shortOffice();
  const ch = new BandChannel(office.site, 'ble', office.radio.ble, office.radio.effects, office.seed);
  const survey = simulateSurvey(office, office.survey!, { wifi: new BandChannel(office.site, 'wifi', office.radio.wifi, office.radio.effects, office.seed), ble: ch });
  const layout = siteLayout(office.site);

  /** Mean error over 40 seats of fixes from 300 pooled badge packets each (a pocketed badge, −10 dB: far APs heard on peaks only). */
  function meanErrorM(overrides: DeepPartial<EngineConfig>): number {
    const cfg = resolveConfig(overrides);
    const maps = techRadioMaps(office.site, surveyRadioMaps(office.site, layout, survey, cfg));
    const model = { layout, ranging: cfg.ranging['ble-badge'], localize: cfg.localize, map: maps[TECHS.indexOf('ble-badge')] };
    const rng = new Rng(3, 'censoring-test');
    const cells = model.map!.grid.walkable[0].cells;
    const aps = office.site.aps.length;
    let sum = 0;
    for (let k = 0; k < 40; k++) {
      const c = cells[Math.floor((k + 0.5) * (cells.length / 40))], nx = model.map!.grid.nx[0];
      const x = ((c % nx) + 0.5) * 0.5, y = (Math.floor(c / nx) + 0.5) * 0.5;
      const sum1 = new Float64Array(aps), n = new Float64Array(aps);
      for (let ap = 0; ap < aps; ap++) {
        const mean = ch.meanRxDbm(ap, -10, x, y, 0);
        for (let p = 0; p < 300; p++) {
          const rssi = ch.receive(mean, ch.lineOfSight, rng);
          if (Number.isNaN(rssi)) continue;
          sum1[ap] += rssi;
          n[ap]++;
        }
      }
      const heard = Array.from({ length: aps }, (_, ap) => ap).filter((ap) => n[ap] > 0);
      const fix = map.locate(model, {
        apIdx: Uint16Array.from(heard), rssiDbm: Float32Array.from(heard, (ap) => sum1[ap] / n[ap]), count: Float64Array.from(heard, (ap) => n[ap]), start: 0, end: heard.length,
      })!;
      sum += Math.hypot(fix.x - x, fix.y - y);
    }
    return sum / 40;
  }

  it('taking censoring off the survey and the pooled means more than halves the mean error', () => {
    const corrected = meanErrorM({});
    const raw = meanErrorM({ survey: { censorCorrect: false }, localize: { mapCensorMinReports: 1e9 } });
    // Measured: 1.54 m without, 0.65 m with.
    expect(corrected).toBeLessThan(0.5 * raw);
    expect(corrected).toBeLessThan(0.8);
  });
});
