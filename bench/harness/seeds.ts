// `--seeds 1-5` or `1,4,9` or `1-3,10`: the seeds a multi-seed run covers, one work unit each.
import { loadScenario } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/types.ts';
import { InputError } from '../../engine/contract/input-error.ts';

export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(-?\d+)\s*(?:-\s*(-?\d+)\s*)?$/.exec(part);
    const from = m ? Number(m[1]) : NaN;
    const to = m?.[2] !== undefined ? Number(m[2]) : from;
    if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && to >= from && to - from < 100_000)) {
      throw new InputError(`--seeds must be a list of integers and ranges like 1-5 or 1,4,9, got '${text}' (bad part '${part}')`);
    }
    for (let s = from; s <= to; s++) seeds.push(s);
  }
  if (new Set(seeds).size !== seeds.length) throw new InputError(`--seeds lists a seed twice: '${text}'`);
  return seeds;
}

export const seedUnit = (seed: number): string => `seed-${seed}`;

/** A bench script's runs: the named scenario once per `--seeds`, each cut to the first `--hours`. */
export function seedScenarios(name: string, seedsText: string, hoursText: string): Scenario[] {
  const hours = Number(hoursText);
  if (!(hours > 0)) throw new InputError(`--hours must be a positive number, got '${hoursText}'`);
  return parseSeeds(seedsText).map((seed) => {
    const scenario = loadScenario(name);
    scenario.seed = seed;
    scenario.durationS = Math.min(scenario.durationS, hours * 3600);
    return scenario;
  });
}
