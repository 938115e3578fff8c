// Building and reading a person's Track. Semantics: between waypoints i and
// i+1 the person moves linearly when both are on the same floor (else stays
// at i); floor -1 means not in the building; after the last waypoint the
// person stays as that waypoint says.
import { Column } from './columns.ts';
import type { Track } from './types.ts';

export const ABSENT_FLOOR = -1;

export class TrackBuilder {
  private readonly tMs = new Column((n) => new Float64Array(n));
  private readonly x = new Column((n) => new Float32Array(n));
  private readonly y = new Column((n) => new Float32Array(n));
  private readonly floor = new Column((n) => new Int16Array(n));

  add(tMs: number, x: number, y: number, floor: number): void {
    const n = this.tMs.length;
    if (n > 0 && tMs < this.tMs.get(n - 1)) throw new Error(`track waypoint at ${tMs} ms goes back in time`);
    this.tMs.push(tMs);
    this.x.push(x);
    this.y.push(y);
    this.floor.push(floor);
  }

  build(): Track {
    return { tMs: this.tMs.toArray(), x: this.x.toArray(), y: this.y.toArray(), floor: this.floor.toArray() };
  }
}

/** Samples a track at non-decreasing times in amortized O(1), without allocating. */
export class TrackCursor {
  x = 0;
  y = 0;
  floor = ABSENT_FLOOR;
  private i = 0;

  constructor(private readonly track: Track) {}

  /** Moves to `tMs` (never earlier than the previous call) and updates x, y, floor. */
  seek(tMs: number): void {
    const { tMs: ts, x, y, floor } = this.track;
    const n = ts.length;
    if (n === 0 || tMs < ts[0]) {
      this.floor = ABSENT_FLOOR;
      return;
    }
    while (this.i + 1 < n && ts[this.i + 1] <= tMs) this.i++;
    const i = this.i;
    this.floor = floor[i];
    if (i + 1 < n && floor[i + 1] === floor[i] && ts[i + 1] > ts[i]) {
      const f = (tMs - ts[i]) / (ts[i + 1] - ts[i]);
      this.x = x[i] + f * (x[i + 1] - x[i]);
      this.y = y[i] + f * (y[i + 1] - y[i]);
    } else {
      this.x = x[i];
      this.y = y[i];
    }
  }
}
