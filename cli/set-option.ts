// `--set key=value` on engine commands: any engine config value by dotted
// path (`localize.stillPoolS=0`), typed like its default, so a user can run
// any variant (e.g. the per-epoch baseline) without editing code.
import { defaultAt, overridesOf, typed, type ConfigValue } from '../bench/harness/config-path.ts';
import type { DeepPartial, EngineConfig } from '../engine/config.ts';
import { DETECTORS } from '../engine/contacts/index.ts';
import { LOCALIZERS } from '../engine/localize/index.ts';

/** Tracking filters by name (engine/track/shard.ts). */
export const TRACKERS: readonly EngineConfig['track']['filter'][] = ['grid', 'kalman', 'particle', 'none'];

/** Keys whose string value must be one of a few names. */
const CHOICES: Record<string, readonly string[]> = {
  localizer: Object.keys(LOCALIZERS),
  'track.filter': TRACKERS,
  'track.walkFilter': TRACKERS,
  'contacts.detector': Object.keys(DETECTORS),
  'hotZones.baseline': ['capacity', 'learned'],
};

/** Parses repeated `--set path=value` flags into config overrides; throws one line naming the bad key or value. */
export function parseSettings(texts: readonly string[]): DeepPartial<EngineConfig> {
  const values: Record<string, ConfigValue> = {};
  for (const text of texts) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new Error(`--set must look like key=value (e.g. localize.stillPoolS=0), got '${text}'`);
    const path = text.slice(0, eq).trim();
    if (Object.hasOwn(values, path)) throw new Error(`--set ${path} given twice`);
    const value = typed(`--set ${path}`, text.slice(eq + 1).trim(), defaultAt(path));
    const choices = CHOICES[path];
    if (choices && !choices.includes(value as string)) throw new Error(`--set ${path}: '${value}' is not one of ${choices.join(', ')}`);
    values[path] = value;
  }
  return overridesOf(values);
}
