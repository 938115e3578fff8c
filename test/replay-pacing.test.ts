// Replay pacing: each slice of reports waits for its stream time at the
// replay's speed, also past the 24.8 days Node's timer takes in one delay
// (a slow replay of a month-long log; a longer delay would fire at once).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, paced } from '../bench/harness/live-replay.ts';
import type { ObservationBatch } from '../engine/contract/observations.ts';

const DAY_MS = 86_400_000;

describe('paced', () => {
  afterEach(() => vi.useRealTimers());

  it('holds a report 30 days on at 1× until 30 days of wall time have passed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const obs = { length: 2, tMs: Float64Array.of(0, 30 * DAY_MS) } as unknown as ObservationBatch;
    const sent: number[] = [];
    const done = paced(obs, 1, (start) => void sent.push(start), 1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([0]);
    expect(30 * DAY_MS).toBeGreaterThan(MAX_TIMER_MS);
    await vi.advanceTimersByTimeAsync(29 * DAY_MS);
    expect(sent).toEqual([0]);
    await vi.advanceTimersByTimeAsync(DAY_MS);
    await done;
    expect(sent).toEqual([0, 1]);
  });
});
