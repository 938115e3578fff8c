// config.json of an output folder: the resolved engine config a run used, so
// later readers (trace, report) recompute with the settings the run had.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG, resolveConfig, type DeepPartial, type EngineConfig } from '../config.ts';
import { InputError } from '../contract/input-error.ts';
import { writeFileAtomic } from './atomic-write.ts';

export const CONFIG_FILE = 'config.json';

export function writeConfigFile(dir: string, config: EngineConfig): void {
  writeFileAtomic(join(dir, CONFIG_FILE), JSON.stringify(config, null, 2) + '\n');
}

/**
 * The config a folder recorded, merged over the defaults (a key added since it
 * was written gets its default); a folder from before configs were recorded
 * gets the default config, and `onMissing` one line saying so.
 */
export function readConfigFile(dir: string, onMissing: (line: string) => void): EngineConfig {
  const path = join(dir, CONFIG_FILE);
  if (!existsSync(path)) {
    onMissing(`${dir}: no ${CONFIG_FILE} (written before run folders recorded their config): using the default engine config`);
    return structuredClone(DEFAULT_CONFIG);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(`${path}: must be a JSON object of engine config values`);
  return resolveConfig(raw as DeepPartial<EngineConfig>);
}
