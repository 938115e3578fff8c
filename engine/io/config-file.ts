// config.json of an output folder: the resolved engine config a run used, so
// later readers (trace, report, a check baseline) use the settings the run had.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG, resolveConfig, type DeepPartial, type EngineConfig } from '../config.ts';
import { InputError } from '../contract/input-error.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { readJsonFile } from './json-file.ts';

export const CONFIG_FILE = 'config.json';

/**
 * Every setting but `run.workers`: the machine's, it changes no output (runs
 * are byte-identical at any worker count), so config.json is too, and merged
 * shards run on different machines equal one unsharded run.
 */
export function writeConfigFile(dir: string, config: EngineConfig): void {
  const { workers: _machine, ...run } = config.run;
  writeFileAtomic(join(dir, CONFIG_FILE), JSON.stringify({ ...config, run }, null, 2) + '\n');
}

/**
 * A recorded config (a folder's `join(dir, CONFIG_FILE)`), merged over the
 * defaults (a key added since it was written gets its default); null when
 * there is none (a folder from before configs were recorded).
 */
export function readConfigFile(path: string): EngineConfig | null {
  if (!existsSync(path)) return null;
  const raw = readJsonFile(path);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(`${path}: must be a JSON object of engine config values`);
  try {
    return resolveConfig(raw as DeepPartial<EngineConfig>);
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`${path}: ${err.message}`);
    throw err;
  }
}

/** The one line a reader prints when it falls back to the default config. */
export function missingConfigNote(dir: string): string {
  return `${dir}: no ${CONFIG_FILE} (written before run folders recorded their config): using the default engine config`;
}

/** `path = value` for every setting that differs from DEFAULT_CONFIG (arrays compared whole). */
export function configChanges(config: EngineConfig): string[] {
  const out: string[] = [];
  const walk = (value: unknown, base: unknown, path: string): void => {
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (isObject(value) && isObject(base)) {
      for (const k of Object.keys(value)) walk(value[k], base[k], path ? `${path}.${k}` : k);
    } else if (JSON.stringify(value) !== JSON.stringify(base)) {
      out.push(`${path} = ${JSON.stringify(value)}`);
    }
  };
  walk(config, DEFAULT_CONFIG, '');
  return out;
}
