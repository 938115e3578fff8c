// The map localizer fits its carrier's body by facing (localize.map.bodyDepthDb):
// the default against its source, ble-6ft-mitll's indoor rotations, and what
// it does where the carriers' bodies are the one thing the survey lacks.
import { median } from 'simple-statistics';
import { beforeAll, describe, expect, it } from 'vitest';
import { INDOOR, orientationFits } from '../bench/studies/radio-fit/body-orientation-fit.ts';
import { runExperiment } from '../bench/harness/experiment.ts';
import { MAP_SETTINGS } from '../engine/localize/map.ts';
import type { Metrics } from '../reports/schemas/metrics.ts';
import { shortOffice } from './helpers/short-office.ts';

describe('the body depth the map localizer assumes', () => {
  it('is the median indoor depth of ble-6ft-mitll\'s rotations (every phone, within 0.5 dB)', () => {
    const depths = orientationFits().filter((f) => INDOOR.includes(f.environment)).map((f) => f.depthDb);
    expect(depths.length).toBeGreaterThanOrEqual(8);
    expect(Math.abs(median(depths) - MAP_SETTINGS.defaults.bodyDepthDb)).toBeLessThan(0.5);
  });
});

describe('the office with and without its carriers\' bodies by facing (2 h, seed 1, map localizer)', () => {
  const run = async (bodyOrientation: boolean, bodyDepthDb: number): Promise<Metrics> => {
    const s = shortOffice();
    s.radio.effects.bodyOrientation = bodyOrientation;
    return (await runExperiment(s, { config: { localize: { method: 'map', map: { bodyDepthDb } } } })).metrics;
  };
  let on: Metrics, off: Metrics, bodiless: Metrics, bodilessOff: Metrics;
  beforeAll(async () => {
    [on, off] = [await run(true, MAP_SETTINGS.defaults.bodyDepthDb), await run(true, 0)];
    [bodiless, bodilessOff] = [await run(false, MAP_SETTINGS.defaults.bodyDepthDb), await run(false, 0)];
  }, 600_000);

  it('with bodies (ideal world otherwise): takes a fifth or more off the badges\', app phones\' and connected phones\' errors and their p90', () => {
    // Measured: badge median 1.05 -> 0.71 m, p90 2.88 -> 2.14 m; Wi-Fi 0.88 -> 0.63 m, p90 3.04 -> 2.06 m; app 0.97 -> 0.62 m, p90 2.61 -> 2.01 m.
    for (const tech of ['ble-badge', 'ble-app', 'wifi'] as const) {
      const a = on.perTech[tech]!.localization, b = off.perTech[tech]!.localization;
      expect(a.medianErrorM, tech).toBeLessThan(0.8 * b.medianErrorM);
      expect(a.p90ErrorM, tech).toBeLessThan(0.82 * b.p90ErrorM);
    }
    expect(on.perTech['ble-badge']!.localization.medianErrorM).toBeLessThan(0.85);
  });

  it('without bodies (the ideal world): the readings rarely call for a facing, and the fixes stay where they were (medians within 5 %)', () => {
    // Measured: wifi 0.37, badge 0.31, app 0.40 m either way (fitting a facing at every fix: 0.41, 0.34, 0.41 m).
    for (const tech of ['ble-badge', 'ble-app', 'wifi'] as const) {
      const a = bodiless.perTech[tech]!.localization.medianErrorM, b = bodilessOff.perTech[tech]!.localization.medianErrorM;
      expect(Math.abs(a - b), tech).toBeLessThan(0.05 * b);
    }
  });
});
