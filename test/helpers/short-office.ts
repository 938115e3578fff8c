// The built-in office cut short, so suites that run the engine stay quick.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/types.ts';

export const SHORT_S = 7200;

/** The office scenario, first two hours. */
export function shortOffice(): Scenario {
  const s = loadScenario('office');
  s.durationS = SHORT_S;
  return s;
}

/** The office cut to `durationS` (default the first two hours) as a scenario file in `dir`, for CLI tests; returns its path. */
export function writeShortOffice(dir: string, name = 'office-2h.json', durationS = SHORT_S): string {
  const office = JSON.parse(readFileSync(new URL('../../scenarios/office.json', import.meta.url), 'utf8'));
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ ...office, durationS }));
  return path;
}
