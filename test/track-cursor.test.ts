import { describe, expect, it } from 'vitest';
import { positionAt, TrackCursor } from '../sim/track.ts';
import type { Track } from '../sim/types.ts';

// Arrives at t=1 s on floor 0 at (0, 0), walks to (10, 0) by t=6 s, sits until t=8 s,
// takes the stairs to floor 1 (no interpolation across floors), leaves at t=12 s.
const track: Track = {
  tMs: Float64Array.from([1000, 6000, 8000, 9000, 12000]),
  x: Float32Array.from([0, 10, 10, 3, 3]),
  y: Float32Array.from([0, 0, 0, 4, 4]),
  floor: Int16Array.from([0, 0, 0, 1, -1]),
};

describe('true position cursor', () => {
  it('interpolates on a floor, holds across a floor change, and is absent before arrival and after leaving', () => {
    const at = new TrackCursor(track);
    const seen = (tMs: number): [number, number, number] => (at.seek(tMs), [at.x, at.y, at.floor]);
    expect(seen(500)).toEqual([NaN, NaN, -1]);
    expect(seen(3500)).toEqual([5, 0, 0]);
    expect(seen(7000)).toEqual([10, 0, 0]);
    expect(seen(8500)).toEqual([10, 0, 0]); // on the stairs: stays at the last waypoint until the next floor's
    expect(seen(9000)).toEqual([3, 4, 1]);
    expect(seen(13000)).toEqual([3, 4, -1]);
    // Asked about an earlier time again (another device of the same person), it goes back.
    expect(seen(2000)).toEqual([2, 0, 0]);
  });

  it('answers like positionAt over a sweep forwards and back', () => {
    const at = new TrackCursor(track);
    const times = [...Array.from({ length: 140 }, (_, k) => k * 100), ...Array.from({ length: 140 }, (_, k) => 13_900 - k * 100)];
    for (const t of times) {
      at.seek(t);
      expect({ x: at.x, y: at.y, floor: at.floor }).toEqual(positionAt(track, t));
    }
  });
});
