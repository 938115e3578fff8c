// Ground truth (positions sampled from the tracks, true contacts) and what
// app phones hear of each other need only the tracks, not the AP radio: for a
// large run they are worked out on a second thread while this one simulates
// the APs' receptions, so simulate() stays synchronous and uses both cores. The thread answers through a MessagePort read with
// receiveMessageOnPort once a shared flag says it is done.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { PhoneRssiBatch } from '../engine/contract/phone-rssi.ts';
import type { Scenario } from '../scenarios/types.ts';
import type { Carrier } from './devices.ts';
import { simulatePhoneProximity } from './phone-proximity.ts';
import { BandChannel } from './radio/channel.ts';
import { findContacts, samplePositions } from './truth.ts';
import type { Track, TrueContact, TruthPositions } from './types.ts';

/** Below this many person-hours the thread's start-up (~0.5 s) costs more than it saves. */
const THREAD_MIN_PERSON_HOURS = 4000;

export interface TruthResult {
  positions: TruthPositions;
  contacts: TrueContact[];
  /** Not truth but an input of the engine's, made from the tracks alone like the truth. */
  phoneRssi: PhoneRssiBatch;
}

/** appCarriers: the ble-app phones (their own BLE channel is made here: only its fading and sensitivity are used). */
export function computeTruth(scenario: Scenario, tracks: readonly Track[], appCarriers: readonly Carrier[]): TruthResult {
  const positions = samplePositions(scenario, tracks);
  const { site, radio, seed } = scenario;
  return {
    positions,
    contacts: findContacts(scenario, positions, tracks.length),
    phoneRssi: simulatePhoneProximity(scenario, tracks, appCarriers, new BandChannel(site, 'ble', radio.ble, radio.effects, seed)),
  };
}

/** Starts the truth of a run; result() blocks until it is ready. */
export function startTruth(scenario: Scenario, tracks: readonly Track[], carriers: readonly Carrier[]): { result: () => TruthResult } {
  const appCarriers = carriers.filter((c) => c.tech === 'ble-app');
  if ((tracks.length * scenario.durationS) / 3600 < THREAD_MIN_PERSON_HOURS) return { result: () => computeTruth(scenario, tracks, appCarriers) };
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./truth-thread-entry.js', import.meta.url), {
    workerData: { scenario, tracks, appCarriers, port: port2, done },
    transferList: [port2],
  });
  worker.unref();
  return {
    result(): TruthResult {
      Atomics.wait(done, 0, 0);
      const reply = receiveMessageOnPort(port1)?.message as TruthResult | { error: string } | undefined;
      port1.close();
      void worker.terminate();
      if (!reply) throw new Error('the ground-truth thread ended without an answer');
      if ('error' in reply) throw new Error(`ground truth: ${reply.error}`);
      return reply;
    },
  };
}
