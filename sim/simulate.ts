// The simulator: people move (DES), devices emit, the radio chain turns
// emissions into RSSI at APs, and ground truth is sampled from the tracks.
import { bandOf } from '../engine/site.ts';
import type { Scenario } from '../scenarios/types.ts';
import { simulateApBeacons } from './ap-beacons.ts';
import { assignDevices } from './devices.ts';
import { DeviceEmitter } from './emitter.ts';
import { mergeRuns, ObservationColumns } from './observations.ts';
import { simulatePeople } from './people.ts';
import { BandChannel } from './radio/channel.ts';
import { findContacts, samplePositions } from './truth.ts';
import type { SimResult } from './types.ts';

export interface SimulateOptions {
  /** Called with the fraction done, 0..1, a few dozen times per run. */
  onProgress?: (fraction: number) => void;
}

/** Emissions are generated and merged this much sim time at a time, to bound the working memory. */
const WINDOW_MS = 10 * 60_000;
/** Share of the progress bar the radio part takes; truth takes the rest. */
const RADIO_PROGRESS = 0.95;

export function simulate(scenario: Scenario, opts: SimulateOptions = {}): SimResult {
  const { onProgress } = opts;
  const { people, tracks } = simulatePeople(scenario);
  const { devices, owner } = assignDevices(scenario, people.length);
  const channels = {
    wifi: new BandChannel(scenario.site, 'wifi', scenario.radio.wifi, scenario.seed),
    ble: new BandChannel(scenario.site, 'ble', scenario.radio.ble, scenario.seed),
  };
  const emitters = devices.map(
    (device, d) =>
      new DeviceEmitter(d, device.tech, scenario.devices[device.tech]!, tracks[owner[d]], channels[bandOf(device.tech)], scenario.site.aps, scenario.seed, owner[d]),
  );

  const durationMs = scenario.durationS * 1000;
  const window = new ObservationColumns();
  const all = new ObservationColumns();
  const runStart = new Uint32Array(devices.length + 1);
  for (let fromMs = 0; fromMs < durationMs; fromMs += WINDOW_MS) {
    const toMs = Math.min(fromMs + WINDOW_MS, durationMs);
    window.clear();
    emitters.forEach((emitter, d) => {
      runStart[d] = window.length;
      emitter.emitUntil(toMs, window);
    });
    runStart[devices.length] = window.length;
    mergeRuns(window, runStart, all);
    onProgress?.((RADIO_PROGRESS * toMs) / durationMs);
  }

  const positions = samplePositions(scenario, tracks);
  const contacts = findContacts(scenario, positions, people.length);
  onProgress?.(1);
  return { observations: all.toBatch(devices), apBeacons: simulateApBeacons(scenario, channels), truth: { people, tracks, deviceOwner: owner, positions, contacts } };
}
