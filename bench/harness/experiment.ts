// One experiment: scenario -> simulator -> engine -> scores.
import { calibrationSummary } from '../../reports/calibration-summary.ts';
import { performance } from 'node:perf_hooks';
import { resolveConfig, type DeepPartial, type EngineConfig } from '../../engine/config.ts';
import type { ObservationBatch } from '../../engine/contract/observations.ts';
import { runEngine, type EngineResult, type RunOptions } from '../../engine/run.ts';
import { bandOf, TECHS, type Band } from '../../engine/contract/site.ts';
import type { Scenario } from '../../scenarios/types.ts';
import type { BandChannel } from '../../sim/radio/channel.ts';
import { simulate } from '../../sim/simulate.ts';
import type { SimResult } from '../../sim/types.ts';
import type { Metrics } from '../../reports/schemas/metrics.ts';
import { crlbModel, surveyChannel, surveyCrlb } from '../score/crlb.ts';
import { localizationSamples, scoreContacts, scoreLocalizationDetail } from '../score/per-tech.ts';
import { scoreHotZones, trueHotZoneAlerts } from '../score/hotzones.ts';
import { scoreJourneys } from '../score/journeys.ts';
import { withDeviceShare } from './device-share.ts';
import { trueJourneys } from '../score/truth-journeys.ts';

export interface ExperimentOptions {
  config?: DeepPartial<EngineConfig>;
  /** total: the stage's size in its unit when known (the engine's observations), for a rate. */
  onStage?: (stage: 'simulate' | 'engine', fraction: number, total?: number) => void;
  /**
   * Alters what the engine reads (never the truth it is scored against):
   * `check` tests use it to prove a deliberately worsened input is caught.
   */
  perturb?: (obs: ObservationBatch) => ObservationBatch;
  /** Called as each stage ends (the scaling benchmark reads its clocks and memory there). */
  onStageDone?: (stage: 'simulate' | 'engine' | 'score') => void;
}

export interface Experiment {
  scenario: Scenario;
  sim: SimResult;
  engine: EngineResult;
  metrics: Metrics;
  /** The engine config it ran with, every value resolved (a run folder's config.json). */
  config: EngineConfig;
}

export async function runExperiment(scenario: Scenario, opts: ExperimentOptions = {}): Promise<Experiment> {
  const t0 = performance.now();
  const sim = simulate(scenario, { onProgress: (f) => opts.onStage?.('simulate', f) });
  const t1 = performance.now();
  opts.onStageDone?.('simulate');
  const seen = opts.perturb ? opts.perturb(sim.observations) : sim.observations;
  const config = resolveConfig(withDeviceShare(scenario, opts.config ?? {}));
  const engine = await runEngine(scenario.site, seen, config, {
    onProgress: (f) => opts.onStage?.('engine', f, seen.length),
    ...engineInputs(sim),
  });
  const t2 = performance.now();
  opts.onStageDone?.('engine');
  const metrics = score(scenario, sim, engine, config, (t1 - t0) / 1000, (t2 - t1) / 1000);
  opts.onStageDone?.('score');
  return { scenario, sim, engine, metrics, config };
}

/** What else the engine gets from a simulation besides the observations (as a deployment gets it from its own systems). */
export function engineInputs(sim: SimResult): Pick<RunOptions, 'apBeacons' | 'phoneRssi' | 'bindings' | 'survey'> {
  return {
    apBeacons: sim.apBeacons,
    survey: sim.survey ?? undefined,
    phoneRssi: sim.phoneRssi,
    // The simulated owners stand in for the site's device registry (who carries which phone and badge).
    bindings: new Map(sim.observations.devices.map((d, i) => [d.id, `person-${sim.truth.deviceOwner[i]}`])),
  };
}

export function score(
  scenario: Scenario, sim: SimResult, engine: EngineResult, config: DeepPartial<EngineConfig>, simulateWallS: number, engineWallS: number,
): Metrics {
  const obs = sim.observations;
  const cfg = resolveConfig(config);
  const journeys = trueJourneys(sim.truth.positions, sim.truth.people.length, scenario.truth.sampleIntervalS, cfg.journeys);
  const durationMs = scenario.durationS * 1000;
  const perTech: Metrics['perTech'] = {};
  const channels = new Map<Band, BandChannel>(); // shared by the technologies of a band (see surveyChannel)
  for (const tech of TECHS) {
    if (!obs.devices.some((d) => d.tech === tech)) continue;
    const band = bandOf(tech);
    const channel = channels.get(band) ?? surveyChannel(scenario, band);
    channels.set(band, channel);
    perTech[tech] = {
      localization: scoreLocalizationDetail(localizationSamples(engine.estimates, obs, sim.truth, tech, cfg.ingest.epochMs, crlbModel(scenario, tech), surveyCrlb(scenario, tech, cfg.ingest.epochMs, channel))),
      contacts: scoreContacts(engine.contacts, obs, sim.truth, tech),
      journeys: scoreJourneys(engine.journeys, obs.devices, sim.truth.deviceOwner, journeys, scenario.site, tech),
      ...(tech === 'ble-app' ? { phoneContacts: scoreContacts(engine.phoneContacts, obs, sim.truth, tech) } : {}),
    };
  }
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    perTech,
    calibration: { summary: calibrationSummary(engine.calibrationSources), sources: engine.calibrationSources, fits: engine.calibration, ranging: engine.ranging, survey: engine.survey },
    hotZones: scoreHotZones(engine.hotZones.alerts, trueHotZoneAlerts(journeys, scenario.site, durationMs, cfg.hotZones), durationMs),
    throughput: {
      observations: obs.length,
      obsPerSec: obs.length / engineWallS,
      wallS: engineWallS,
      simulateWallS,
    },
  };
}
