// `--set key=value` on engine commands: any engine config value by dotted
// path (`stays.poolS=0`), read and checked by the engine (engine/config.ts:
// its type, choices and valid range), so a user can run any variant (e.g.
// the per-epoch baseline) without editing code.
import { overridesOf, parseSetting, type ConfigValue, type DeepPartial, type EngineConfig } from '../engine/config.ts';
import { InputError } from '../engine/contract/input-error.ts';

/** Parses repeated `--set path=value` flags into config overrides; throws one line naming the bad key, its value and what is allowed. */
export function parseSettings(texts: readonly string[]): DeepPartial<EngineConfig> {
  const values: Record<string, ConfigValue> = {};
  for (const text of texts) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new InputError(`--set must look like key=value (e.g. stays.poolS=0), got '${text}'`);
    const path = text.slice(0, eq).trim();
    if (Object.hasOwn(values, path)) throw new InputError(`--set ${path} given twice`);
    try {
      values[path] = parseSetting(path, text.slice(eq + 1).trim());
    } catch (err) {
      throw new InputError(`--set ${(err as Error).message}`);
    }
  }
  return overridesOf(values);
}
