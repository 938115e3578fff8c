// radio.effects.temporal on the phone-to-phone link (sim/phone-proximity.ts):
// two phones a metre apart, scanning every 0.5 s for 40 min. Off, readings a
// second apart are independent; on, their correlation is the slow component's
// share of the variance decayed over the lag (sim/radio/temporal.ts
// modelAutocorrelation), and the other draws are as they were.
import { describe, expect, it } from 'vitest';
import { streamAutocorrelation } from '../bench/twin/fidelity.ts';
import { twinScenario } from '../bench/twin/simulate.ts';
import type { Carrier } from '../sim/devices.ts';
import { simulatePhoneProximity } from '../sim/phone-proximity.ts';
import { BandChannel } from '../sim/radio/channel.ts';
import { modelAutocorrelation } from '../sim/radio/temporal.ts';
import { TrackBuilder } from '../sim/track.ts';
import { loadScenario } from '../scenarios/load.ts';

const DURATION_S = 2400;

function pairLog(temporal: boolean) {
  const office = loadScenario('office');
  const radio = { ...office.radio, effects: { ...office.radio.effects, temporal, packetLoss: false } };
  const site = { floors: [{ id: 0, name: 'pair', widthM: 4, heightM: 2, elevationM: 0 }], walls: [], zones: [], aps: [] };
  const scenario = { ...twinScenario(site, radio, 5, {}), durationS: DURATION_S, devices: { 'ble-app': { ...office.devices['ble-app']!, intervalS: 0.5 } } };
  const carriers: Carrier[] = [0, 1].map((p) => ({ tech: 'ble-app', person: p, carry: 'hand', deviceIdx: p, fiveGhz: false }));
  const tracks = [1, 2].map((x) => {
    const b = new TrackBuilder();
    b.add(0, x, 1, 0);
    b.add(DURATION_S * 1000, x, 1, 0);
    return b.build();
  });
  const channel = new BandChannel(scenario.site, 'ble', radio.ble, radio.effects, scenario.seed);
  const batch = simulatePhoneProximity(scenario, tracks, carriers, channel);
  const rows = Array.from({ length: batch.length }, (_, i) => i).filter((i) => batch.scanner[i] === 0);
  return { radio, channel, series: { tMs: rows.map((i) => batch.tMs[i]), rssiDbm: rows.map((i) => batch.rssiDbm[i]) } };
}

describe('phone-to-phone temporal variation', () => {
  it('off: independent readings; on: the slow component\'s autocorrelation, as the model gives it', () => {
    const off = pairLog(false), on = pairLog(true);
    // About as many readings either way (a few fall below sensitivity or rise above it with the slow component).
    expect(Math.abs(on.series.tMs.length / off.series.tMs.length - 1)).toBeLessThan(0.01);
    expect(Math.abs(streamAutocorrelation([off.series], 1).r)).toBeLessThan(0.05);
    const p = { slowSigmaDb: on.radio.ble.slowSigmaDb, correlationS: on.radio.ble.slowCorrelationS };
    const expected = modelAutocorrelation(p, on.channel.fadingSigmaDb(true), 1);
    expect(expected).toBeGreaterThan(0.2);
    expect(Math.abs(streamAutocorrelation([on.series], 1).r - expected)).toBeLessThan(0.06);
  });
});
