// One experiment: scenario -> simulator -> engine -> scores.
import { performance } from 'node:perf_hooks';
import { resolveConfig, type DeepPartial, type EngineConfig } from '../engine/config.ts';
import { runEngine, type EngineResult } from '../engine/run.ts';
import { TECHS } from '../engine/site.ts';
import type { Scenario } from '../scenarios/types.ts';
import { simulate } from '../sim/simulate.ts';
import type { SimResult } from '../sim/types.ts';
import type { Metrics } from './metrics.ts';
import { crlbModel } from './crlb.ts';
import { localizationSamples, scoreContacts, scoreLocalizationDetail } from './score.ts';

export interface ExperimentOptions {
  config?: DeepPartial<EngineConfig>;
  onStage?: (stage: 'simulate' | 'engine', fraction: number) => void;
}

export interface Experiment {
  scenario: Scenario;
  sim: SimResult;
  engine: EngineResult;
  metrics: Metrics;
}

export async function runExperiment(scenario: Scenario, opts: ExperimentOptions = {}): Promise<Experiment> {
  const t0 = performance.now();
  const sim = simulate(scenario, { onProgress: (f) => opts.onStage?.('simulate', f) });
  const t1 = performance.now();
  const engine = await runEngine(scenario.site, sim.observations, opts.config ?? {}, {
    onProgress: (f) => opts.onStage?.('engine', f),
    apBeacons: sim.apBeacons,
  });
  const t2 = performance.now();
  return { scenario, sim, engine, metrics: score(scenario, sim, engine, resolveConfig(opts.config).epochMs, (t1 - t0) / 1000, (t2 - t1) / 1000) };
}

function score(scenario: Scenario, sim: SimResult, engine: EngineResult, epochMs: number, simulateWallS: number, engineWallS: number): Metrics {
  const obs = sim.observations;
  const perTech: Metrics['perTech'] = {};
  for (const tech of TECHS) {
    if (!obs.devices.some((d) => d.tech === tech)) continue;
    perTech[tech] = {
      localization: scoreLocalizationDetail(localizationSamples(engine.estimates, obs, sim.truth, tech, epochMs, crlbModel(scenario, tech))),
      contacts: scoreContacts(engine.contacts, obs, sim.truth, tech),
    };
  }
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    perTech,
    calibration: { fits: engine.calibration, ranging: engine.ranging },
    throughput: {
      observations: obs.length,
      obsPerSec: obs.length / engineWallS,
      wallS: engineWallS,
      simulateWallS,
    },
  };
}
