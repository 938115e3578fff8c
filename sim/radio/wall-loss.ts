// The world's walls: a radio link on one floor loses, for every wall its
// straight path crosses, that wall's lossDb (its material's, from the
// scenario). This is the simulator's own physics, kept apart from the
// engine's prediction from the site map (engine/site-map/wall-loss.ts), so a
// bug in one cannot shape the other unseen. A link between floors crosses
// each floor's walls on its own part of the path (channel.ts
// crossFloorWallsDb) and counts its slabs (floors.ts).
import { distanceToSegment, segmentsCross } from '../../engine/contract/geometry.ts';
import type { Wall } from '../../engine/contract/site.ts';

/** One floor's walls. */
export class FloorWalls {
  /** [x1, y1, x2, y2, lossDb] per wall, in site order (a flat array: the loops below run for every AP at every move of every device). */
  readonly rows: Float64Array;
  private readonly all: Uint32Array;

  constructor(walls: readonly Wall[]) {
    this.rows = Float64Array.from(walls.flatMap((w) => [w.x1, w.y1, w.x2, w.y2, w.lossDb]));
    this.all = Uint32Array.from(walls, (_, k) => k * 5);
  }

  /** Loss of the straight path from a to b, dB. */
  lossDb(ax: number, ay: number, bx: number, by: number): number {
    return crossedLossDb(this.rows, this.all, 0, this.all.length, ax, ay, bx, by);
  }
}

/** Directions around a transmitter are cut into this many sectors (WallsFrom). */
const SECTORS = 64;
const SECTOR_RAD = (2 * Math.PI) / SECTORS;
/** A wall passing closer than this to the transmitter, metres, is listed in every sector (its directions span nearly half a turn). */
const NEAR_M = 0.01;

const sectorOf = (angle: number): number => ((Math.floor((angle + Math.PI) / SECTOR_RAD) % SECTORS) + SECTORS) % SECTORS;

/**
 * FloorWalls.lossDb for paths from one fixed point (an AP), faster: the
 * floor's walls are listed by the direction they lie in as seen from it
 * (plus a sector either side for rounding), and a path is tested only
 * against its own sector's walls. The same walls are crossed and summed in
 * the same order, so the loss is exactly FloorWalls.lossDb's.
 */
export class WallsFrom {
  /** Sector s lists rows[order[start[s]] .. order[start[s + 1] - 1]]. */
  private readonly start = new Uint32Array(SECTORS + 1);
  private readonly order: Uint32Array;

  constructor(private readonly walls: FloorWalls, private readonly ax: number, private readonly ay: number) {
    const lists: number[][] = Array.from({ length: SECTORS }, () => []);
    const rows = walls.rows;
    for (let i = 0; i < rows.length; i += 5) {
      const [from, to] = this.sectorsOf(rows[i], rows[i + 1], rows[i + 2], rows[i + 3]);
      for (let s = from; s <= to; s++) lists[((s % SECTORS) + SECTORS) % SECTORS].push(i);
    }
    lists.forEach((list, s) => (this.start[s + 1] = this.start[s] + list.length));
    this.order = Uint32Array.from(lists.flat());
  }

  /** Loss of the straight path from the fixed point to b, dB. */
  lossDb(bx: number, by: number): number {
    const s = sectorOf(Math.atan2(by - this.ay, bx - this.ax));
    return crossedLossDb(this.walls.rows, this.order, this.start[s], this.start[s + 1], this.ax, this.ay, bx, by);
  }

  /**
   * Loss of the straight path from a to b, both on one ray from the fixed
   * point (a link's part on another floor than its AP's, seen from the AP's
   * place on that floor): exactly FloorWalls.lossDb(ax, ay, bx, by).
   */
  lossDbOnRay(ax: number, ay: number, bx: number, by: number): number {
    // The sector of the end farther from the fixed point: the nearer may sit on it, where the direction is lost.
    const far = (ax - this.ax) ** 2 + (ay - this.ay) ** 2 >= (bx - this.ax) ** 2 + (by - this.ay) ** 2;
    const s = sectorOf(far ? Math.atan2(ay - this.ay, ax - this.ax) : Math.atan2(by - this.ay, bx - this.ax));
    return crossedLossDb(this.walls.rows, this.order, this.start[s], this.start[s + 1], ax, ay, bx, by);
  }

  /** The sectors the wall from (x1, y1) to (x2, y2) can be seen in: from..to, taken modulo SECTORS (at most SECTORS of them, so each once). */
  private sectorsOf(x1: number, y1: number, x2: number, y2: number): [number, number] {
    const all: [number, number] = [0, SECTORS - 1];
    if (distanceToSegment(this.ax, this.ay, x1, y1, x2, y2) < NEAR_M) return all;
    const a1 = Math.atan2(y1 - this.ay, x1 - this.ax);
    let sweep = Math.atan2(y2 - this.ay, x2 - this.ax) - a1;
    if (sweep > Math.PI) sweep -= 2 * Math.PI;
    if (sweep < -Math.PI) sweep += 2 * Math.PI;
    const from = Math.floor((Math.min(a1, a1 + sweep) + Math.PI) / SECTOR_RAD) - 1;
    const to = Math.floor((Math.max(a1, a1 + sweep) + Math.PI) / SECTOR_RAD) + 1;
    return to - from + 1 >= SECTORS ? all : [from, to];
  }
}

/** Sum of lossDb over the walls at rows order[from..to) (ascending) that the path a-b properly crosses (touching an end does not count). */
function crossedLossDb(rows: Float64Array, order: Uint32Array, from: number, to: number, ax: number, ay: number, bx: number, by: number): number {
  const minX = Math.min(ax, bx), maxX = Math.max(ax, bx), minY = Math.min(ay, by), maxY = Math.max(ay, by);
  let lossDb = 0;
  for (let k = from; k < to; k++) {
    const i = order[k];
    const x1 = rows[i], y1 = rows[i + 1], x2 = rows[i + 2], y2 = rows[i + 3];
    // A wall wholly beside the path's bounding box cannot cross it: most walls of a large floor, at a few comparisons each.
    if ((x1 < minX && x2 < minX) || (x1 > maxX && x2 > maxX) || (y1 < minY && y2 < minY) || (y1 > maxY && y2 > maxY)) continue;
    if (segmentsCross(ax, ay, bx, by, x1, y1, x2, y2)) lossDb += rows[i + 4];
  }
  return lossDb;
}
