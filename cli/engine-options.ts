// Flags every command that runs the engine shares: worker count, progress,
// localizer, tracker and any other config value (--set).
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { DEFAULT_CONFIG, type DeepPartial, type EngineConfig } from '../engine/config.ts';
import { LOCALIZERS } from '../engine/localize/index.ts';
import { parseSettings, TRACKERS } from './set-option.ts';
import { asInput, InputError } from '../engine/contract/input-error.ts';

/**
 * Most worker threads: 4 per core, at least 8. Each holds its own heap and
 * a copy of the run's context, and outputs do not depend on the count, so
 * more threads than that only cost memory (1,000 ran the machine out of it).
 */
export const MAX_WORKERS = Math.max(8, 4 * availableParallelism());

/** The --workers check every command that runs the engine makes. */
export function checkWorkers(workers: number): void {
  if (!Number.isInteger(workers) || workers < 0 || workers > MAX_WORKERS) throw new InputError(`--workers must be a whole number from 0 to ${MAX_WORKERS} (4 per core, at least 8), got ${workers}`);
}

export interface EngineArgs {
  workers: number;
  quiet: boolean;
  localizer: EngineConfig['localizer'];
  tracker: EngineConfig['track']['filter'];
  set?: string[];
}

export function withEngineOptions<T>(y: Argv<T>): Argv<T & EngineArgs> {
  return y
    .option('workers', { type: 'number', default: 2, describe: `Engine worker threads, 0 (inline) to ${MAX_WORKERS} (4 per core, at least 8)` })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress output' })
    .option('localizer', { choices: Object.keys(LOCALIZERS) as EngineConfig['localizer'][], default: DEFAULT_CONFIG.localizer, describe: 'Per-epoch localization method' })
    .option('tracker', { choices: TRACKERS, default: DEFAULT_CONFIG.track.filter, describe: 'Tracking filter over the fixes (with pooled stays, over devices without any; the walks between stays: --set track.walkFilter=...)' })
    .option('set', { type: 'string', array: true, describe: 'Set an engine config value, key=value by dotted path (e.g. localize.stillPoolS=0); repeatable, wins over the flags above' })
    .check((a) => {
      checkWorkers(a.workers);
      asInput(() => parseSettings(a.set ?? []));
      return true;
    }) as unknown as Argv<T & EngineArgs>;
}

export function engineConfig(a: EngineArgs): DeepPartial<EngineConfig> {
  const set = parseSettings(a.set ?? []);
  return { workers: a.workers, localizer: a.localizer, ...set, track: { filter: a.tracker, ...set.track } };
}
