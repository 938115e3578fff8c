// Splitting work across machines: `--shard i/n` (1-based, like vitest's and
// playwright's) keeps every n-th work item starting at the i-th, so a CI
// matrix or a Kubernetes indexed Job (JOB_COMPLETION_INDEX + 1) can run the
// shards anywhere and `ctsim merge` can put them back together.
import { InputError } from '../../engine/contract/input-error.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export const WHOLE: Shard = { index: 1, count: 1 };

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 1 && index <= count)) {
    throw new InputError(`--shard must look like i/n with 1 ≤ i ≤ n (e.g. 2/4), got '${text}'`);
  }
  return { index, count };
}

/** The items this shard runs; the shards of one count partition the list. */
export function shardItems<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, i) => i % shard.count === shard.index - 1);
}
