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

describe('the office with its carriers\' bodies by facing (ideal world otherwise, 2 h, seed 1, map localizer)', () => {
  let on: Metrics, off: Metrics;
  beforeAll(async () => {
    const world = () => {
      const s = shortOffice();
      s.radio.effects.bodyOrientation = true;
      return s;
    };
    on = (await runExperiment(world(), { config: { localize: { method: 'map' } } })).metrics;
    off = (await runExperiment(world(), { config: { localize: { method: 'map', map: { bodyDepthDb: 0 } } } })).metrics;
  }, 600_000);

  it('halves the badges\' and connected phones\' errors when the body is fitted, and not fitting it is what made them', () => {
    // Measured: badge median 0.77 -> 0.38 m, p90 2.94 -> 1.15 m; Wi-Fi 0.87 -> 0.51 m; app 0.94 -> 0.51 m (ideal world: about 0.3-0.4 m).
    for (const tech of ['ble-badge', 'ble-app', 'wifi'] as const) {
      const a = on.perTech[tech]!.localization, b = off.perTech[tech]!.localization;
      expect(a.medianErrorM, tech).toBeLessThan(0.7 * b.medianErrorM);
      expect(a.p90ErrorM, tech).toBeLessThan(0.7 * b.p90ErrorM);
    }
    expect(on.perTech['ble-badge']!.localization.medianErrorM).toBeLessThan(0.5);
  });
});
