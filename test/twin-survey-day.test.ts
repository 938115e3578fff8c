// A twin's survey of an earlier day (sim/radio/channel.ts earlierDay, as
// sim/simulate.ts surveyChannels draws it) keeps the field the twin
// conditioned on its real log, drifted: it once lost the conditioning, so a
// survey more than 0 days old surveyed a fresh random field while the devices
// walked the measured one.
import { describe, expect, it } from 'vitest';
import { BandChannel } from '../sim/radio/channel.ts';
import { driftSigmaDb } from '../sim/radio/drift.ts';
import { surveyChannels } from '../sim/simulate.ts';
import { loadScenario } from '../scenarios/load.ts';
import type { RadioEffects, ScenarioSite } from '../scenarios/types.ts';

describe('a twin\'s channel on the survey\'s earlier day', () => {
  const site: ScenarioSite = {
    floors: [{ id: 0, name: 'one', widthM: 30, heightM: 10, elevationM: 0 }],
    materials: {}, walls: [], zones: [], walkways: { nodes: [], edges: [] },
    aps: [{ id: 'a', floor: 0, x: 20, y: 5, radios: { ble: { txPowerDbm: 0 } } }],
  };
  const effects: RadioEffects = {
    walls: true, floors: true, shadowing: true, fading: false, packetLoss: false, deviceOffsets: false, bodyLoss: false, advertisingChannels: false, temporal: false, bodyOrientation: false, drift: true, otherBodies: false, deviceModels: false, bleTiming: false, mapDrawing: false, wifiChannels: false, wifiTraffic: false, wifiReports: false,
  };
  const radio = loadScenario('office').radio.ble;
  // What a real log measured along the link: 12 dB of loss everywhere (bench/twin/field-conditioning.ts kriges its cells).
  const measured = { conditioning: () => ({ atDb: () => 12, minDb: 12 }), fittedFadingBehindWalls: true };
  const at = (c: BandChannel, x: number): number => c.meanRxDbm(0, 0, x, 5, 0);

  it('reads the conditioned field on both days, off by the drift alone', () => {
    const today = new BandChannel(site, 'ble', radio, effects, 1, 0, measured);
    const plain = new BandChannel(site, 'ble', radio, effects, 1);
    expect(Math.abs(at(today, 2) - at(plain, 2))).toBeGreaterThan(1);
    const scenario = loadScenario('office');
    scenario.radio.effects.drift = true;
    // The survey's day itself: the same channel.
    expect(surveyChannels(scenario, 0, { wifi: today, ble: today }).ble).toBe(today);
    // A year before: a drift field of the fitted sd on top of the conditioned one (a fresh field instead would be ~12 dB off).
    const sd = driftSigmaDb(radio.driftSigmaInfDb, radio.driftTimeDays, 365);
    const yearBefore = surveyChannels(scenario, 365, { wifi: today, ble: today }).ble;
    const d = Array.from({ length: 28 }, (_, i) => at(yearBefore, 1 + i) - at(today, 1 + i));
    expect(Math.max(...d.map(Math.abs))).toBeLessThan(4 * sd);
    expect(d.some((v) => Math.abs(v) > 0.05)).toBe(true);
  });
});
