// The simulator: people move (DES), devices emit, the radio chain turns
// emissions into RSSI at APs, and ground truth is sampled from the tracks.
import { bandOf, type Band } from '../engine/contract/site.ts';
import type { BandRadio, Scenario } from '../scenarios/types.ts';
import { simulateApBeacons } from './ap-beacons.ts';
import { assignDevices } from './devices.ts';
import { DeviceEmitter } from './emitter.ts';
import { ObservationColumns } from '../engine/contract/observation-columns.ts';
import { mergeRuns, SharedObservations } from './observations.ts';
import { simulatePeople } from './people.ts';
import { BandChannel } from './radio/channel.ts';
import { simulateSurvey } from './site-survey.ts';
import { driftSigmaDb } from './radio/drift.ts';
import { apsGone } from './radio/ap-turnover.ts';
import { wifiNetworks } from './radio/wifi-client.ts';
import { startTruth } from './truth-thread.ts';
import { worldEffects } from './radio/world-effects.ts';
import { CROWD_WINDOW_MS } from './radio/crowd.ts';
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
  const { registry, carriers } = assignDevices(scenario, people.length);
  const truth = startTruth(scenario, tracks, carriers);
  const world = worldEffects(scenario, tracks);
  // The radio runs in the world's site; the map the engine gets stays the scenario's.
  const { radio, seed } = scenario;
  const site = world.site;
  const ageDays = scenario.survey?.ageDays ?? 0;
  const channels = {
    wifi: new BandChannel(site, 'wifi', radio.wifi, radio.effects, seed, 0, null, goneAps(scenario, radio.wifi, ageDays)),
    ble: new BandChannel(site, 'ble', radio.ble, radio.effects, seed, 0, null, goneAps(scenario, radio.ble, ageDays)),
    // The APs' Wi-Fi radios are dual-band; 5 GHz shares the 2.4 GHz shadowing field (same obstacles; the validator holds its decorrelation to the 2.4 GHz band's).
    wifi5: radio.wifi5 && new BandChannel(site, 'wifi', radio.wifi5, radio.effects, seed, 0, null, goneAps(scenario, radio.wifi5, ageDays)),
  };
  const wifiNets = wifiNetworks(site, radio.effects, seed);
  const emitters = carriers.map((c) => {
    const band = bandOf(c.tech);
    // The validator makes sure radio.wifi5 exists whenever a device is on 5 GHz.
    const [params, channel] = c.fiveGhz ? [radio.wifi5!, channels.wifi5!] : [radio[band], channels[band]];
    const wifiNet = wifiNets && (c.fiveGhz ? wifiNets['5'] : wifiNets['2.4']);
    return new DeviceEmitter(c, scenario.devices[c.tech]!, params, radio.effects, tracks[c.person], channel, site.aps, registry, seed, world, wifiNet);
  });

  const durationMs = scenario.durationS * 1000;
  const window = new ObservationColumns();
  const merged = new ObservationColumns();
  const all = new SharedObservations();
  const runStart = new Uint32Array(emitters.length + 1);
  // With the crowd on, shorter windows bound its snapshots' memory.
  const windowMs = world.crowd ? CROWD_WINDOW_MS : WINDOW_MS;
  for (let fromMs = 0; fromMs < durationMs; fromMs += windowMs) {
    const toMs = Math.min(fromMs + windowMs, durationMs);
    window.clear();
    world.crowd?.prepare(fromMs, toMs);
    emitters.forEach((emitter, d) => {
      runStart[d] = window.length;
      emitter.emitUntil(toMs, window);
    });
    runStart[emitters.length] = window.length;
    merged.clear();
    mergeRuns(window, runStart, merged);
    all.append(merged);
    onProgress?.((RADIO_PROGRESS * toMs) / durationMs);
  }

  const observations = all.batch(registry.devices);
  const { positions, contacts, phoneRssi } = truth.result();
  onProgress?.(1);
  const inWorld = { ...scenario, site };
  const survey = scenario.survey && simulateSurvey(inWorld, scenario.survey, surveyChannels(inWorld, scenario.survey.ageDays, channels));
  return { observations, phoneRssi, apBeacons: simulateApBeacons(inWorld, channels), survey, truth: { people, tracks, deviceOwner: registry.ownerArray(), positions, contacts } };
}

/** The APs of a band gone from the air by the run, its survey `ageDays` old (radio.effects.drift; sim/radio/ap-turnover.ts). */
export function goneAps(scenario: Scenario, params: BandRadio, ageDays: number): Set<number> {
  return scenario.radio.effects.drift ? apsGone(scenario.site.aps.map((ap) => ap.id), params.apLifeDays, ageDays, scenario.seed) : new Set();
}

/** The channels as they were on the survey's day, `ageDays` before the run: the run's field plus its drift since, every AP of the day on the air. */
export function surveyChannels(scenario: Scenario, ageDays: number, channels: Record<Band, BandChannel>): Record<Band, BandChannel> {
  const { radio } = scenario;
  if (!radio.effects.drift || ageDays === 0) return channels;
  const drifted = (band: Band) => channels[band].earlierDay(driftSigmaDb(radio[band].driftSigmaInfDb, radio[band].driftTimeDays, ageDays));
  return { wifi: drifted('wifi'), ble: drifted('ble') };
}
