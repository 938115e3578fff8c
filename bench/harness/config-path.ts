// Engine config values addressed by dotted path (`contacts.distanceM`), as a
// sweep (--param) or an engine command (--set) names and types them on the
// command line.
import { DEFAULT_CONFIG, type DeepPartial, type EngineConfig } from '../../engine/config.ts';

export type ConfigValue = number | string | boolean;

/** The default value at `path`; throws naming the path when it is not a config value. */
export function defaultAt(path: string): ConfigValue {
  let node: unknown = DEFAULT_CONFIG;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) {
      throw new Error(`unknown config key '${path}' (e.g. contacts.distanceM, contacts.minExposureS, localize.maxAps)`);
    }
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node === 'object') throw new Error(`config key '${path}' is a section, not a value: name one of its fields`);
  return node as ConfigValue;
}

/** `text` as the type of `def`; `what` names the flag and key in the error. */
export function typed(what: string, text: string, def: ConfigValue): ConfigValue {
  if (typeof def === 'number') {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v)) throw new Error(`${what}: '${text}' is not a number`);
    return v;
  }
  if (typeof def === 'boolean') {
    if (text !== 'true' && text !== 'false') throw new Error(`${what}: '${text}' is not true or false`);
    return text === 'true';
  }
  return text;
}

/** Overrides that set each `path` to its value, nested the way resolveConfig merges them. */
export function overridesOf(values: Record<string, ConfigValue>): DeepPartial<EngineConfig> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(values)) {
    const keys = path.split('.');
    let node = out;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]] = value;
  }
  return out as DeepPartial<EngineConfig>;
}
