// Flags every command that runs the engine shares: worker count, progress,
// localizer, tracker and any other config value (--set).
import type { Argv } from 'yargs';
import { DEFAULT_CONFIG, type DeepPartial, type EngineConfig } from '../engine/config.ts';
import { LOCALIZERS } from '../engine/localize/index.ts';
import { asInput } from '../engine/contract/input-error.ts';
import { parseSettings, TRACKERS } from './set-option.ts';

export interface EngineArgs {
  workers: number;
  quiet: boolean;
  localizer: EngineConfig['localizer'];
  tracker: EngineConfig['track']['filter'];
  set?: string[];
}

export function withEngineOptions<T>(y: Argv<T>): Argv<T & EngineArgs> {
  return y
    .option('workers', { type: 'number', default: 2, describe: 'Engine worker threads' })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress output' })
    .option('localizer', { choices: Object.keys(LOCALIZERS) as EngineConfig['localizer'][], default: DEFAULT_CONFIG.localizer, describe: 'Per-epoch localization method' })
    .option('tracker', { choices: TRACKERS, default: DEFAULT_CONFIG.track.filter, describe: 'Tracking filter over the fixes (with pooled stays, over devices without any; the walks between stays: --set track.walkFilter=...)' })
    .option('set', { type: 'string', array: true, describe: 'Set an engine config value, key=value by dotted path (e.g. localize.stillPoolS=0); repeatable, wins over the flags above' })
    .check((a) => {
      if (!Number.isInteger(a.workers) || a.workers < 0) throw new Error(`--workers must be a whole number ≥ 0, got ${a.workers}`);
      asInput(() => parseSettings(a.set ?? []));
      return true;
    }) as unknown as Argv<T & EngineArgs>;
}

export function engineConfig(a: EngineArgs): DeepPartial<EngineConfig> {
  const set = parseSettings(a.set ?? []);
  return { workers: a.workers, localizer: a.localizer, ...set, track: { filter: a.tracker, ...set.track } };
}
