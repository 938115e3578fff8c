import { describe, expect, it } from 'vitest';
import { parseShard, shardItems } from '../bench/harness/shard.ts';

describe('shards', () => {
  it('partition the work items: every item in exactly one shard', () => {
    const items = Array.from({ length: 11 }, (_, i) => i);
    const shards = [1, 2, 3].map((index) => shardItems(items, { index, count: 3 }));
    expect(shards).toEqual([[0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8]]);
  });
  it('parse i/n and reject anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '2', '']) expect(() => parseShard(bad), bad).toThrow(/--shard/);
  });
});
