// The built-in office cut short, so suites that run the engine stay quick.
// On the ideal preset: these suites test mechanics (an effect switched on
// against the kind world, the CLI's outputs, the engine's stages), whose
// thresholds were derived where nothing else moves; the realistic office's
// accuracy is tested in scenario-library.test.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/types.ts';
import type { RadioPreset } from '../../scenarios/validate.ts';

export const SHORT_S = 7200;

/** The office scenario, first two hours, on `preset` (default the ideal one). */
export function shortOffice(preset: RadioPreset = 'ideal'): Scenario {
  const s = loadScenario('office', { radioPreset: preset });
  s.durationS = SHORT_S;
  return s;
}

/** office.json as plain JSON, on `preset` (default the ideal one), for tests that write their own variant of it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function officeJson(preset: RadioPreset = 'ideal'): any {
  const office = JSON.parse(readFileSync(new URL('../../scenarios/office.json', import.meta.url), 'utf8'));
  return { ...office, radio: { ...office.radio, preset } };
}

/** The office cut to `durationS` (default the first two hours) on the ideal preset, as a scenario file in `dir`, for CLI tests; returns its path. */
export function writeShortOffice(dir: string, name = 'office-2h.json', durationS = SHORT_S): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ ...officeJson(), durationS }));
  return path;
}
