// Flags every command that runs the engine shares: worker count, progress,
// localizer, tracker and any other config value (--set). Their choices and
// ranges are the engine's (its registries and engine/config.ts).
import type { Argv } from 'yargs';
import { DEFAULT_CONFIG, parseSetting, type DeepPartial, type EngineConfig } from '../engine/config.ts';
import { LOCALIZERS, type LocalizerName } from '../engine/localize/index.ts';
import { TRACKERS, type TrackerName } from '../engine/track/index.ts';
import { InputError } from '../engine/contract/input-error.ts';
import { parseSettings } from './set-option.ts';

export interface EngineArgs {
  workers: number;
  quiet: boolean;
  localizer: LocalizerName;
  tracker: TrackerName;
  set?: string[];
}

export function withEngineOptions<T>(y: Argv<T>): Argv<T & EngineArgs> {
  return y
    .option('workers', { type: 'number', default: DEFAULT_CONFIG.run.workers, describe: 'Engine worker threads (run.workers)' })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress output' })
    .option('localizer', { choices: Object.keys(LOCALIZERS) as LocalizerName[], default: DEFAULT_CONFIG.localize.method, describe: 'Per-epoch localization method (localize.method)' })
    .option('tracker', { choices: Object.keys(TRACKERS) as TrackerName[], default: DEFAULT_CONFIG.track.filter, describe: 'Tracking filter over the fixes (track.filter; with pooled stays, over devices without any; the walks between stays: --set track.walkFilter=...)' })
    .option('set', { type: 'string', array: true, describe: 'Set an engine config value, key=value by dotted path (e.g. stays.poolS=0); repeatable, wins over the flags above' })
    .check((a) => {
      checkWorkersFlag(a.workers);
      parseSettings(a.set ?? []);
      return true;
    }) as unknown as Argv<T & EngineArgs>;
}

/** --workers within the engine's range for run.workers; throws one line otherwise. */
export function checkWorkersFlag(workers: number): void {
  try {
    parseSetting('run.workers', String(workers));
  } catch (err) {
    throw new InputError(`--workers: ${(err as Error).message}`);
  }
}

export function engineConfig(a: EngineArgs): DeepPartial<EngineConfig> {
  const set = parseSettings(a.set ?? []);
  return {
    ...set,
    run: { workers: a.workers, ...set.run },
    localize: { method: a.localizer, ...set.localize },
    track: { filter: a.tracker, ...set.track },
  };
}
