// Survey-free calibration on simulated AP-to-AP beacons: the engine's fitted
// path loss should match the scenario's radio model it never saw.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitApBeacons } from '../engine/calibrate/ap-beacons.ts';
import { resolveConfig } from '../engine/config.ts';
import { validateScenario } from '../scenarios/load.ts';
import { simulateApBeacons } from '../sim/ap-beacons.ts';
import { BandChannel } from '../sim/radio/channel.ts';

describe('AP-to-AP beacons', () => {
  const raw = JSON.parse(readFileSync(new URL('../scenarios/office.json', import.meta.url), 'utf8'));
  const scenario = validateScenario({ ...raw, durationS: 3600 }, 'office.json');
  const channels = {
    wifi: new BandChannel(scenario.site, 'wifi', scenario.radio.wifi, scenario.radio.effects, scenario.seed),
    ble: new BandChannel(scenario.site, 'ble', scenario.radio.ble, scenario.radio.effects, scenario.seed),
  };
  const beacons = simulateApBeacons(scenario, channels);

  it('every AP hears its floor neighbours once a minute, as ap:<id> devices', () => {
    expect(beacons.devices).toHaveLength(16);
    expect(beacons.devices[0]).toEqual({ id: 'ap:ap-1', tech: 'wifi' });
    expect(beacons.devices[8]).toEqual({ id: 'ap:ap-1', tech: 'ble-badge' });
    // 8 APs × 7 neighbours × 2 bands × 60 minutes, less packet loss (5% / 10%) and what is below sensitivity.
    expect(beacons.length).toBeGreaterThan(0.8 * 8 * 7 * 2 * 60);
    expect(beacons.length).toBeLessThan(8 * 7 * 2 * 60);
    for (let i = 1; i < beacons.length; i++) expect(beacons.tMs[i]).toBeGreaterThanOrEqual(beacons.tMs[i - 1]);
  });

  it('with walls taken off, the fitted loss over the AP spacing (10-30 m) is within 3 dB of the scenario model', () => {
    const cfg = resolveConfig({ calibrate: { subtractWalls: true } });
    const fits = fitApBeacons(scenario.site, beacons, cfg.calibrate, cfg.ranging);
    for (const band of ['wifi', 'ble'] as const) {
      const fit = fits[band]!, truth = scenario.radio[band];
      expect(fit.links).toBe(56);
      for (const d of [10, 20, 30]) {
        const fitted = fit.lossAt1mDb + 10 * fit.pathLossExponent * Math.log10(d);
        const actual = truth.refLossDbAt1m + 10 * truth.pathLossExponent * Math.log10(d);
        expect(Math.abs(fitted - actual), `${band} at ${d} m`).toBeLessThan(3);
      }
    }
  });
});
