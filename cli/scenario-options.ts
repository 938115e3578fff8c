// Scenario selection shared by the commands that run several: names or
// paths, seeds, and an optional duration cap for quick runs.
import { loadScenario } from '../scenarios/load.ts';
import type { Scenario } from '../scenarios/types.ts';
import { asInput } from '../engine/contract/input-error.ts';

/** Loads a scenario, cut to `durationS` when given; a bad name or file is an InputError. */
export function loadCapped(nameOrPath: string, durationS?: number): Scenario {
  const scenario = asInput(() => loadScenario(nameOrPath));
  if (durationS !== undefined) scenario.durationS = Math.min(scenario.durationS, durationS);
  return scenario;
}
