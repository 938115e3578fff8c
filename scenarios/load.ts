// Loading scenarios: built-in ones by name, others by path. Every failure
// (missing file, bad JSON, bad field) surfaces as one ScenarioError line.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioError } from './read.ts';
import type { Scenario } from './types.ts';
import { validateScenario, type RadioPreset } from './validate.ts';
import { withoutBom } from '../engine/contract/text.ts';

export { ScenarioError } from './read.ts';
export { seatsOf } from './seats.ts';
export { validateScenario } from './validate.ts';

/** Built-in scenarios ship next to this module, wherever the package is installed. */
const BUILT_IN_DIR = dirname(fileURLToPath(import.meta.url));

function builtInNames(): string[] {
  return readdirSync(BUILT_IN_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

export interface LoadOptions {
  /** Run the scenario on this radio preset instead of its own `radio.preset` (its explicit `radio.effects` switches still win). */
  radioPreset?: RadioPreset;
}

/** A bare name (no '/', no '.json') is a built-in scenario; anything else is a file path. */
export function loadScenario(nameOrPath: string, opts: LoadOptions = {}): Scenario {
  let path = nameOrPath;
  if (!nameOrPath.includes('/') && !nameOrPath.endsWith('.json')) {
    const names = builtInNames();
    if (!names.includes(nameOrPath)) {
      throw new ScenarioError(nameOrPath, '', `unknown scenario (built-in: ${names.join(', ')}; or give a path to a .json file)`);
    }
    path = join(BUILT_IN_DIR, `${nameOrPath}.json`);
  }
  // A run folder's scenario.json is named with its folder: report and trace read several at once.
  const source = basename(path) === 'scenario.json' ? path : basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScenarioError(source, '', `cannot read file ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(withoutBom(text));
  } catch (err) {
    throw new ScenarioError(source, '', `not valid JSON (${(err as Error).message})`);
  }
  const radio = (raw as { radio?: unknown } | null)?.radio;
  if (opts.radioPreset !== undefined && typeof radio === 'object' && radio !== null) (radio as Record<string, unknown>).preset = opts.radioPreset;
  return validateScenario(raw, source);
}

/** The built-in scenarios, sorted by name; loading them also proves they are valid. */
export function listScenarios(): { name: string; description: string }[] {
  return builtInNames().map((name) => ({ name, description: loadScenario(name).description }));
}
