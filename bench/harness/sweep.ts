// Threshold sweeps: every parameter point over every scenario and seed.
// Simulation is shared: each scenario+seed is simulated once, and points
// that differ only in contact thresholds share one localization too (the
// contact stage is rerun per point on the same estimates).
import { overridesOf, resolveConfig, type ConfigValue, type EngineConfig } from '../../engine/config.ts';
import { groupBy } from '../../engine/pipeline/group-by.ts';
import { contactsFromTracks } from '../../engine/contacts/track-contacts.ts';
import { runEngine, type EngineResult } from '../../engine/run.ts';
import type { Scenario } from '../../scenarios/types.ts';
import { simulate as simulateScenario } from '../../sim/simulate.ts';
import type { SimResult } from '../../sim/types.ts';
import { engineInputs, score } from './experiment.ts';
import { flattenMetrics } from '../score/metric-paths.ts';
import { WHOLE, shardItems, type Shard } from './shard.ts';
import { gridPoints, type SweepParam } from './sweep-params.ts';

/** One engine configuration on one scenario+seed; `unit` numbers them in run order. */
export interface SweepUnit {
  unit: number;
  scenario: Scenario;
  seed: number;
  point: number;
  values: Record<string, ConfigValue>;
}

/** One row of the tidy table: a unit's scores for one technology. */
export interface SweepRow {
  unit: number;
  scenario: string;
  seed: number;
  point: number;
  values: Record<string, ConfigValue>;
  tech: string;
  /** The technology's metrics by dotted path under perTech.<tech> (e.g. contacts.f1). */
  metrics: Record<string, number | null>;
}

export interface SweepOptions {
  scenarios: readonly Scenario[];
  seeds: readonly number[];
  params: readonly SweepParam[];
  /** Engine settings every point shares (e.g. workers). */
  base?: Record<string, ConfigValue>;
  shard?: Shard;
  /** Injected by tests to count invocations. */
  simulate?: (scenario: Scenario) => SimResult;
  onProgress?: (fraction: number) => void;
}

/** Units in canonical order: scenario, then seed, then point (first param slowest). */
export function sweepUnits(scenarios: readonly Scenario[], seeds: readonly number[], params: readonly SweepParam[]): SweepUnit[] {
  const points = gridPoints(params);
  const units: SweepUnit[] = [];
  for (const scenario of scenarios) {
    for (const seed of seeds) points.forEach((values, point) => units.push({ unit: units.length, scenario, seed, point, values }));
  }
  return units;
}

export async function runSweep(opts: SweepOptions): Promise<SweepRow[]> {
  const simulate = opts.simulate ?? ((s: Scenario) => simulateScenario(s));
  const units = shardItems(sweepUnits(opts.scenarios, opts.seeds, opts.params), opts.shard ?? WHOLE);
  const rows: SweepRow[] = [];
  let done = 0;
  for (const group of groupBy(units, (u) => `${u.scenario.name}\u0000${u.seed}`).values()) {
    const scenario = { ...group[0].scenario, seed: group[0].seed };
    const sim = simulate(scenario);
    for (const sameLocalization of groupBy(group, (u) => localizationKey(configOf(u, opts.base))).values()) {
      let engine: EngineResult | undefined;
      for (const u of sameLocalization) {
        const cfg = configOf(u, opts.base);
        engine ??= await runEngine(scenario.site, sim.observations, cfg, engineInputs(sim));
        const contacts = u === sameLocalization[0]
          ? engine.contacts
          : contactsFromTracks(engine.estimates, sim.observations.devices, scenario.site, cfg.ingest.epochMs, cfg.contacts);
        const metrics = score(scenario, sim, { ...engine, contacts }, cfg, 0, 0);
        for (const [tech, score] of Object.entries(metrics.perTech)) {
          rows.push({ unit: u.unit, scenario: scenario.name, seed: u.seed, point: u.point, values: u.values, tech, metrics: flattenMetrics(score) });
        }
        opts.onProgress?.(++done / units.length);
      }
    }
  }
  return rows.sort((a, b) => a.unit - b.unit || a.tech.localeCompare(b.tech));
}

function configOf(u: SweepUnit, base: Record<string, ConfigValue> = {}): EngineConfig {
  return resolveConfig(overridesOf({ ...base, ...u.values }));
}

/** Everything but the contact stage's own thresholds: equal keys give identical estimates. */
function localizationKey(cfg: EngineConfig): string {
  return JSON.stringify({ ...cfg, contacts: undefined });
}
