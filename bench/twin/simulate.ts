// The twin's simulated log: the same devices along the same true tracks, each
// emitting at its real report times (so no simulated reading comes from where
// the real log has none), through the simulator's own channel and emitter
// (sim/radio/channel.ts, sim/emitter.ts) with a calibrated radio section, so
// every effect radio.effects switches on applies here as in a scenario; links
// behind walls fade as fitted, and the shadowing may be conditioned on the
// calibration part (sim/radio/channel.ts TwinChannel). Carried in the hand (no
// body loss: the calibrated line already holds the real carrier's; the body by
// heading is radio.effects.bodyOrientation's). With a simulated survey, the same points are
// surveyed the same number of times, on the survey's day (survey age, radio.effects.drift).
import { bandOf, type Band, type Site, type Tech } from '../../engine/contract/site.ts';
import type { ObservationBatch } from '../../engine/contract/observations.ts';
import type { SurveyBatch } from '../../engine/contract/survey.ts';
import { ObservationColumns } from '../../engine/contract/observation-columns.ts';
import type { DeviceSpec, Radio, Scenario, ScenarioSite } from '../../scenarios/types.ts';
import { LIMITS } from '../../scenarios/limits.ts';
import { DeviceRegistry } from '../../sim/devices.ts';
import { DeviceEmitter } from '../../sim/emitter.ts';
import { BandChannel, type FieldConditioning } from '../../sim/radio/channel.ts';
import { Rng } from '../../sim/rng.ts';
import { simulateSurvey } from '../../sim/site-survey.ts';
import { missingSpreadDb, surveySpreadDb } from './survey-spread.ts';
import { worldEffects } from '../../sim/radio/world-effects.ts';
import { CROWD_WINDOW_MS } from '../../sim/radio/crowd.ts';
import { wifiNetworks } from '../../sim/radio/wifi-client.ts';
import { goneAps, surveyChannels } from '../../sim/simulate.ts';
import type { Track } from '../../sim/types.ts';
import { TWIN_TX_DBM } from './samples.ts';

export interface TwinDevice {
  id: string;
  tech: Tech;
  track: Track;
  /** Median gap between its real report times, s. */
  intervalS: number;
  /** Its distinct real report times, ascending, ms: when it emits (absent: every intervalS, jittered). */
  timesMs?: Float64Array;
  /** Its calibrated gain offset, dB (absent: drawn from the band's deviceOffsetSigmaDb). */
  offsetDb?: number;
  /** Its calibrated floor above the band's, dB (absent: 0). */
  floorDb?: number;
  /** Its calibrated hearing over the band's (absent: 1). */
  hearingScale?: number;
  /** Faces a way of its own at each spot it stops at (bench/twin/radio-section.ts facesAtStays; absent: the way it walked). */
  facesAtRandom?: boolean;
}

export interface TwinSurvey {
  points: { floor: number; x: number; y: number }[];
  /** Readings of the reference device per point. */
  emissions: number;
  /** Days between the survey and the log. */
  ageDays: number;
  /** The real survey's readings' spread at a point per band (bench/twin/survey-spread.ts); the simulated one is given what it lacks. */
  spreadDb: Partial<Record<Band, number>>;
}

/** Readings of a survey point taken on separate visits are this far apart, s: a day, past any slow variation's correlation time. */
const SURVEY_VISIT_GAP_S = 86_400;

/** The site as the simulator's world: walls with the calibrated loss per material, no people to route. */
export function twinScenario(site: Site, radio: Radio, seed: number, materialLossDb: Record<string, number>): Scenario {
  const world: ScenarioSite = {
    ...site,
    walls: site.walls.map((w) => ({ ...w, lossDb: materialLossDb[w.material] ?? w.lossDb })),
    zones: site.zones.map((z) => ({ ...z, kind: 'desks', entryNode: '', seatSpacingM: 1, seatFacingDeg: null })),
    materials: {},
    walkways: { nodes: [], edges: [] },
  };
  return {
    name: 'twin', description: 'digital twin of a real log', seed, durationS: 1, site: world,
    population: { count: 1, roles: {}, meetings: { durationS: [0, 0], gapS: [0, 0], fillShare: [0, 0] }, walkSpeedMps: [1, 1] },
    devices: {}, radio, truth: { contacts: { distanceM: 2, minExposureS: 900 }, sampleIntervalS: 1 }, survey: null,
  };
}

/** `conditioning`: per band, the shadowing conditioned on the calibration part (bench/twin/field-conditioning.ts). */
export function simulateTwin(scenario: Scenario, devices: TwinDevice[], survey: TwinSurvey | null, conditioning: Partial<Record<Band, FieldConditioning | null>> = {}): { observations: ObservationBatch; survey: SurveyBatch | null } {
  const { radio, seed } = scenario;
  // The world's effects (other bodies, device models, BLE timing, the map as a drawing) as in a scenario run; all null when off.
  const world = worldEffects(scenario, devices.map((d) => d.track));
  const site = world.site;
  const wifiNets = wifiNetworks(site, radio.effects, seed);
  // The devices' day is the survey's age after it: APs gone since hear nothing.
  const ageDays = survey?.ageDays ?? 0;
  const channels: Record<Band, BandChannel> = {
    wifi: new BandChannel(site, 'wifi', radio.wifi, radio.effects, seed, 0, { conditioning: conditioning.wifi ?? null, fittedFadingBehindWalls: true }, goneAps(scenario, radio.wifi, ageDays)),
    ble: new BandChannel(site, 'ble', radio.ble, radio.effects, seed, 0, { conditioning: conditioning.ble ?? null, fittedFadingBehindWalls: true }, goneAps(scenario, radio.ble, ageDays)),
  };
  const registry = new DeviceRegistry(new Rng(seed, 'device-ids'));
  const runs = new ObservationColumns();
  const emitters = devices.map((d, person) => {
    const band = bandOf(d.tech);
    const deviceIdx = registry.add(d.tech, person, d.id);
    const spec: DeviceSpec = {
      share: 1, intervalS: Math.min(Math.max(d.intervalS, LIMITS.intervalS.min), LIMITS.intervalS.max), txPowerDbm: TWIN_TX_DBM[band],
      carry: { hand: 1, pocket: 0, lanyard: 0 }, randomizedMac: false, optInShare: 1, fiveGhzShare: 0,
    };
    return new DeviceEmitter({ tech: d.tech, person, carry: 'hand', deviceIdx, fiveGhz: false, offsetDb: d.offsetDb, floorDb: d.floorDb, hearingScale: d.hearingScale, facesAtRandom: d.facesAtRandom }, spec, radio[band], radio.effects, d.track, channels[band], site.aps, registry, seed, world, wifiNets?.['2.4'] ?? null, d.timesMs ?? null);
  });
  const endMs = Math.max(...devices.map((d) => d.track.tMs[d.track.tMs.length - 1] + 1));
  if (world.crowd) {
    // The crowd's snapshots by window, only over windows where some device emits (a log may span months).
    const windows = [...new Set(devices.flatMap((d) => [...(d.timesMs ?? d.track.tMs)].map((t) => Math.floor(t / CROWD_WINDOW_MS))))].sort((a, b) => a - b);
    for (const w of windows) {
      world.crowd.prepare(w * CROWD_WINDOW_MS, (w + 1) * CROWD_WINDOW_MS);
      for (const e of emitters) e.emitUntil((w + 1) * CROWD_WINDOW_MS, runs);
    }
  }
  for (const e of emitters) e.emitUntil(endMs, runs);
  // Sorted rather than sim/observations.ts's mergeRuns: its millisecond buckets span the log, and a real log may span months.
  const order = Uint32Array.from(Array(runs.length).keys()).sort((a, b) => runs.tMs[a] - runs.tMs[b] || runs.deviceIdx[a] - runs.deviceIdx[b] || runs.apIdx[a] - runs.apIdx[b]);
  const merged = new ObservationColumns(Math.max(runs.length, 1));
  for (const i of order) merged.push(runs.tMs[i], runs.deviceIdx[i], runs.apIdx[i], runs.rssiDbm[i]);
  const inWorld = { ...scenario, site };
  return { observations: merged.toBatch(registry.devices), survey: survey && twinSurveyOf(inWorld, survey, channels) };
}

/**
 * The survey at the real one's points, as many readings each, spread at a
 * point as the real one's (survey-spread.ts): read in one visit a second
 * apart; where the real readings spread more than that, each read on its own
 * visit (SURVEY_VISIT_GAP_S apart: the slow variation drawn afresh each) and
 * any spread still missing added to every reading.
 */
function twinSurveyOf(world: Scenario, survey: TwinSurvey, channels: Record<Band, BandChannel>): SurveyBatch {
  const run = (intervalS: number, spreadDb: Partial<Record<Band, number>>): SurveyBatch =>
    simulateSurvey(world, { spacingM: 1, dwellS: survey.emissions * intervalS, intervalS, ageDays: survey.ageDays }, surveyChannels(world, survey.ageDays, channels), survey.points, survey.emissions, spreadDb);
  const oneVisit = run(1, {});
  if (!Object.values(missingSpreadDb(survey.spreadDb, surveySpreadDb(oneVisit))).some((sd) => sd > 0)) return oneVisit;
  const visits = run(SURVEY_VISIT_GAP_S, {});
  const missing = missingSpreadDb(survey.spreadDb, surveySpreadDb(visits));
  return Object.values(missing).some((sd) => sd > 0) ? run(SURVEY_VISIT_GAP_S, missing) : visits;
}
