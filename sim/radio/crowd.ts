// Other people's bodies crossing a link: each body within NEAR_M of the
// straight path between a device and an AP, where that path runs below head
// height, costs PER_BODY_LOSS_DB. A crowded room then reads weaker than an
// empty one, and the loss comes and goes as people walk through links.
//
// Where everyone stands is taken every SNAPSHOT_MS from the tracks and binned
// on a grid of CELL_M cells, one snapshot list per window of simulated time
// (sorted by cell, so a query reads a few cells by bisection rather than
// everyone on the floor).
//
// Parameters and their sources (each fitted value beside its default:
// bench/studies/radio-fit/world-effects.ts, bench/results/world-effects.md):
// - PER_BODY_LOSS_DB 8: one torso between a 2.4 GHz BLE transmitter and its
//   receiver, the peak-to-trough depth of ble-6ft-mitll's rotations with the
//   phone in a pants pocket (front and back: body out of, then in, the path),
//   median over the indoor environments 8.1 dB (bench/results/body-orientation.md,
//   bench/studies/radio-fit/body-orientation-fit.ts); within the 3-10 dB
//   published for human-body shadowing at 2.4 GHz (e.g. Januszkiewicz,
//   Sensors 18(10):3412, 2018). A body mid-link shadows somewhat less than
//   one touching the device (diffraction fills the shadow in), so this is
//   the high end for far bodies.
// - NEAR_M 0.3: half a torso's width (adult shoulder breadth about 0.4 m,
//   plus the first Fresnel zone's few centimetres at 1-2 m), as the brief's
//   ~0.3 m.
// - BODY_HEIGHT_M 1.7: adult stature (mean 1.6-1.8 m in high-income
//   countries, NCD-RisC, eLife 2016): the path from a device at
//   its carry height up to an AP at its mounting height (sim/radio/heights.ts) clears heads beyond that
//   point, so only bodies on the device's part of the path count.
// - SNAPSHOT_MS 500: a walker moves about 0.7 m in that time at 1.4 m/s;
//   seated people (most of the day) are exact.
import type { Floor } from '../../engine/contract/site.ts';
import { ABSENT_FLOOR, TrackCursor } from '../track.ts';
import type { Track } from '../types.ts';

export const PER_BODY_LOSS_DB = 8;
export const NEAR_M = 0.3;
export const BODY_HEIGHT_M = 1.7;
export const SNAPSHOT_MS = 500;
/** Simulated time per window with the crowd on: 120 snapshots, 19 MB for 10,000 people present. */
export const CROWD_WINDOW_MS = 60_000;
/** Grid cell, m: at least 2 · NEAR_M, so a body near the path lies in a cell the path's band touches. */
const CELL_M = 1;
/** Rounding slack on the cells a path's part is read in, m (far above any rounding, far below a cell). */
const SLACK_M = 1e-6;

/** Share of a device-to-AP path (from the device) that runs below head height, for a device at `deviceHeightM` and an AP `riseM` above it. */
export function blockedShare(deviceHeightM: number, riseM: number): number {
  if (riseM <= 0) return deviceHeightM < BODY_HEIGHT_M ? 1 : 0;
  return Math.min(1, Math.max(0, (BODY_HEIGHT_M - deviceHeightM) / riseM));
}

/**
 * Where everyone is, snapshot by snapshot, over one window of simulated time:
 * 16 bytes per person present per snapshot, so simulate() takes short windows
 * (CROWD_WINDOW_MS) with the effect on.
 */
export class Crowd {
  private readonly cursors: TrackCursor[];
  private readonly floorIndex = new Map<number, number>();
  private readonly cols: number;
  private readonly rows: number;
  private fromMs = 0;
  private steps = 0;
  /** Snapshot s lists entries stepStart[s] .. stepStart[s + 1] - 1, ascending by key (floor, row, column). */
  private stepStart = new Uint32Array(1);
  /** Snapshot s's first entry of each (floor, row), at s · (floors · rows + 1) + floor · rows + row, then its end: a query reads a row's few entries, not the whole snapshot's. */
  private rowStart = new Uint32Array(1);
  private readonly floorRows: number;
  private key = new Uint32Array(0);
  private px = new Float32Array(0);
  private py = new Float32Array(0);
  private person = new Uint32Array(0);

  constructor(tracks: readonly Track[], floors: readonly Floor[]) {
    this.cursors = tracks.map((t) => new TrackCursor(t));
    floors.forEach((f, i) => this.floorIndex.set(f.id, i));
    this.cols = Math.ceil(Math.max(...floors.map((f) => f.widthM)) / CELL_M) + 1;
    this.rows = Math.ceil(Math.max(...floors.map((f) => f.heightM)) / CELL_M) + 1;
    // Keys are Uint32: 1 km floors (the site rule's largest) give 1e6 cells a floor, so up to about 4,000 floors.
    if (floors.length * this.rows * this.cols >= 2 ** 32) throw new Error(`too many floors (${floors.length}) for the crowd grid`);
    if (tracks.length >= 2 ** 21) throw new Error(`too many people (${tracks.length}) for the crowd grid`);
    this.floorRows = floors.length * this.rows;
  }

  /** Takes the snapshots of [fromMs, toMs): call before any query in that window, windows in increasing time. */
  prepare(fromMs: number, toMs: number): void {
    this.fromMs = fromMs;
    this.steps = Math.ceil((toMs - fromMs) / SNAPSHOT_MS);
    const people = this.cursors.length;
    const keys = new Uint32Array(this.steps * people);
    const xs = new Float32Array(this.steps * people);
    const ys = new Float32Array(this.steps * people);
    const who = new Uint32Array(this.steps * people);
    const x = new Float32Array(people), y = new Float32Array(people);
    // Each present person as key · people + index, exact in a double (keys < 2^32, people < 2^21): a numeric sort orders by key, then person.
    const code = (p: number, c: TrackCursor): number => this.keyOf(this.floorIndex.get(c.floor)!, c.x, c.y) * people + p;
    // Most people sit or are away for a whole window: their entries are sorted once, the movers' at each snapshot and merged in.
    const lastMs = fromMs + (this.steps - 1) * SNAPSHOT_MS;
    const still: number[] = [], movers: number[] = [];
    this.cursors.forEach((c, p) => {
      c.seek(fromMs);
      if (c.stillUntilMs(fromMs) <= lastMs) movers.push(p);
      else if (c.floor !== ABSENT_FLOOR) {
        still.push(code(p, c));
        x[p] = c.x;
        y[p] = c.y;
      }
    });
    const fixed = Float64Array.from(still).sort();
    const moving = new Float64Array(movers.length);
    this.stepStart = new Uint32Array(this.steps + 1);
    let n = 0;
    for (let s = 0; s < this.steps; s++) {
      let present = 0;
      for (const p of movers) {
        const c = this.cursors[p];
        c.seek(fromMs + s * SNAPSHOT_MS);
        if (c.floor === ABSENT_FLOOR) continue;
        moving[present++] = code(p, c);
        x[p] = c.x;
        y[p] = c.y;
      }
      const sorted = moving.subarray(0, present).sort();
      for (let i = 0, j = 0; i < fixed.length || j < present;) {
        const v = j >= present || (i < fixed.length && fixed[i] < sorted[j]) ? fixed[i++] : sorted[j++];
        const p = v % people;
        keys[n] = (v - p) / people;
        xs[n] = x[p];
        ys[n] = y[p];
        who[n++] = p;
      }
      this.stepStart[s + 1] = n;
    }
    // Each row's first entry: keys ascend, so one pass per snapshot.
    const rowsOf = this.floorRows + 1;
    this.rowStart = new Uint32Array(this.steps * rowsOf);
    for (let s = 0; s < this.steps; s++) {
      let i = this.stepStart[s];
      for (let fr = 0; fr <= this.floorRows; fr++) {
        while (i < this.stepStart[s + 1] && keys[i] < fr * this.cols) i++;
        this.rowStart[s * rowsOf + fr] = i;
      }
    }
    this.key = keys;
    this.px = xs;
    this.py = ys;
    this.person = who;
  }

  /**
   * Bodies other than `self`'s within NEAR_M of the path from (x, y) towards
   * (apX, apY) on `floor`, over its first `share` (the part below head height), at `tMs`.
   */
  bodiesOnPath(tMs: number, self: number, floor: number, x: number, y: number, apX: number, apY: number, share: number): number {
    if (share <= 0) return 0;
    const s = Math.min(this.steps - 1, Math.max(0, Math.floor((tMs - this.fromMs) / SNAPSHOT_MS)));
    const from = this.stepStart[s], to = this.stepStart[s + 1];
    if (to - from <= 1) return 0;
    const f = this.floorIndex.get(floor)!;
    const bx = x + share * (apX - x), by = y + share * (apY - y);
    const dx = bx - x, dy = by - y;
    const lengthSq = dx * dx + dy * dy;
    const r0 = this.cell(Math.min(y, by) - NEAR_M, this.rows), r1 = this.cell(Math.max(y, by) + NEAR_M, this.rows);
    let count = 0;
    for (let r = r0; r <= r1; r++) {
      // A body of this row within NEAR_M of the path is near the part of it that runs within NEAR_M of the row's
      // band (the edge rows hold everyone beyond the floor too): only that part's columns are read.
      const yLo = r === 0 ? -Infinity : r * CELL_M - NEAR_M - SLACK_M, yHi = r === this.rows - 1 ? Infinity : (r + 1) * CELL_M + NEAR_M + SLACK_M;
      let tLo = 0, tHi = 1;
      if (dy !== 0) {
        const ta = (yLo - y) / dy, tb = (yHi - y) / dy;
        tLo = Math.max(0, Math.min(ta, tb));
        tHi = Math.min(1, Math.max(ta, tb));
        if (tLo > tHi) continue;
      } else if (y < yLo || y > yHi) continue;
      const xa = x + tLo * dx, xb = x + tHi * dx;
      const c0 = this.cell(Math.min(xa, xb) - NEAR_M - SLACK_M, this.cols), c1 = this.cell(Math.max(xa, xb) + NEAR_M + SLACK_M, this.cols);
      const fr = f * this.rows + r, lo = fr * this.cols + c0, hi = lo + (c1 - c0), row = s * (this.floorRows + 1) + fr;
      const rowEnd = this.rowStart[row + 1];
      for (let i = this.lowerBound(this.rowStart[row], rowEnd, lo); i < rowEnd && this.key[i] <= hi; i++) {
        if (this.person[i] === self) continue;
        const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((this.px[i] - x) * dx + (this.py[i] - y) * dy) / lengthSq));
        const ex = this.px[i] - x - t * dx, ey = this.py[i] - y - t * dy;
        if (ex * ex + ey * ey <= NEAR_M * NEAR_M) count++;
      }
    }
    return count;
  }

  private keyOf(f: number, x: number, y: number): number {
    return (f * this.rows + this.cell(y, this.rows)) * this.cols + this.cell(x, this.cols);
  }

  private cell(v: number, n: number): number {
    return Math.min(n - 1, Math.max(0, Math.floor(v / CELL_M)));
  }

  /** First entry in [from, to) whose key is ≥ k. */
  private lowerBound(from: number, to: number, k: number): number {
    let lo = from, hi = to;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.key[mid] < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
