// `--seeds 1-5` or `1,4,9` or `1-3,10`: the seeds a multi-seed run covers, one work unit each.
import type { Argv } from 'yargs';
import { InputError } from '../../engine/contract/input-error.ts';
import { numberFlag } from '../entry/args.ts';
import { loadScenario } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/types.ts';

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

/** A bench study's flags: which scenario, its seeds, and how much of its day (see seedScenarios). */
export function withSeedOptions<T>(y: Argv<T>) {
  return y.options({
    scenario: { type: 'string', default: 'office', describe: 'Built-in scenario name or scenario file' },
    seeds: { type: 'string', default: '1-5', coerce: parseSeeds, describe: 'Seeds to run, e.g. 1-5 or 1,4,9' },
    hours: { type: 'number', default: 8, coerce: numberFlag('--hours', { above: 0 }), describe: 'Simulate the first HOURS of the day (> 0)' },
  });
}

/** A bench script's runs: the named scenario once per seed, each cut to the first `hours`. */
export function seedScenarios(name: string, seeds: readonly number[], hours: number): Scenario[] {
  return seeds.map((seed) => {
    const scenario = loadScenario(name);
    scenario.seed = seed;
    scenario.durationS = Math.min(scenario.durationS, hours * 3600);
    return scenario;
  });
}
