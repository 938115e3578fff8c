// Wall attenuation from the site map: the sum of lossDb over every wall of
// the floor that the straight AP-device line crosses. The simulator applies
// it as physics; the engine uses the same map to predict RSSI (calibration,
// radio maps).
import { distanceToSegment, segmentsCross } from '../contract/geometry.ts';
import type { Wall } from '../contract/site.ts';

/** One floor's walls packed as [x1, y1, x2, y2, lossDb] rows, for a tight loop. */
export type PackedWalls = Float64Array;

export function packWalls(walls: readonly Wall[]): PackedWalls {
  const packed = new Float64Array(walls.length * 5);
  walls.forEach((w, i) => packed.set([w.x1, w.y1, w.x2, w.y2, w.lossDb], i * 5));
  return packed;
}

export function wallLossDb(walls: PackedWalls, ax: number, ay: number, bx: number, by: number): number {
  let lossDb = 0;
  const minX = Math.min(ax, bx), maxX = Math.max(ax, bx), minY = Math.min(ay, by), maxY = Math.max(ay, by);
  for (let i = 0; i < walls.length; i += 5) if (crosses(walls, i, ax, ay, bx, by, minX, maxX, minY, maxY)) lossDb += walls[i + 4];
  return lossDb;
}

/** True when the segment a-b crosses any wall (a step through it). */
export function crossesWall(walls: PackedWalls, ax: number, ay: number, bx: number, by: number): boolean {
  const minX = Math.min(ax, bx), maxX = Math.max(ax, bx), minY = Math.min(ay, by), maxY = Math.max(ay, by);
  for (let i = 0; i < walls.length; i += 5) if (crosses(walls, i, ax, ay, bx, by, minX, maxX, minY, maxY)) return true;
  return false;
}

/** Whether the line (ax, ay)-(bx, by), of bounding box min/max X/Y, crosses the wall at row i. */
function crosses(walls: PackedWalls, i: number, ax: number, ay: number, bx: number, by: number, minX: number, maxX: number, minY: number, maxY: number): boolean {
  const x1 = walls[i], y1 = walls[i + 1], x2 = walls[i + 2], y2 = walls[i + 3];
  // A wall wholly to one side of the line's bounding box cannot cross it: most walls of a large floor, at a few comparisons each.
  if ((x1 < minX && x2 < minX) || (x1 > maxX && x2 > maxX) || (y1 < minY && y2 < minY) || (y1 > maxY && y2 > maxY)) return false;
  return segmentsCross(ax, ay, bx, by, x1, y1, x2, y2);
}

/** Directions around an AP are cut into this many sectors for ApWalls. */
const SECTORS = 64;
const SECTOR_RAD = (2 * Math.PI) / SECTORS;
/** A wall passing closer than this to the AP, metres, is listed in every sector (its directions span nearly half a turn). */
const NEAR_AP_M = 0.01;

const sectorOf = (angle: number): number => ((Math.floor((angle + Math.PI) / SECTOR_RAD) % SECTORS) + SECTORS) % SECTORS;

/**
 * wallLossDb for lines from one AP, with the floor's walls listed by the
 * direction they lie in as seen from the AP (plus a sector either side for
 * rounding): a line can only cross the walls of its own sector, so a few
 * walls are tested instead of all of them. The same walls are crossed and
 * summed in the same order, so the loss is exactly wallLossDb's.
 */
export class ApWalls {
  private readonly start = new Uint32Array(SECTORS + 1);
  private readonly rows: Uint32Array;

  constructor(private readonly walls: PackedWalls, private readonly ax: number, private readonly ay: number) {
    const lists: number[][] = Array.from({ length: SECTORS }, () => []);
    for (let i = 0; i < walls.length; i += 5) {
      const [from, to] = this.sectorsOf(walls[i], walls[i + 1], walls[i + 2], walls[i + 3]);
      for (let s = from; s <= to; s++) lists[((s % SECTORS) + SECTORS) % SECTORS].push(i);
    }
    lists.forEach((list, s) => (this.start[s + 1] = this.start[s] + list.length));
    this.rows = Uint32Array.from(lists.flat());
  }

  lossDb(bx: number, by: number): number {
    const { walls, ax, ay } = this;
    const s = sectorOf(Math.atan2(by - ay, bx - ax));
    let lossDb = 0;
    const minX = Math.min(ax, bx), maxX = Math.max(ax, bx), minY = Math.min(ay, by), maxY = Math.max(ay, by);
    for (let k = this.start[s]; k < this.start[s + 1]; k++) {
      const i = this.rows[k];
      if (crosses(walls, i, ax, ay, bx, by, minX, maxX, minY, maxY)) lossDb += walls[i + 4];
    }
    return lossDb;
  }

  /** The sectors the wall from (x1, y1) to (x2, y2) can be seen in from the AP: from..to, taken modulo SECTORS (at most SECTORS of them, so each once). */
  private sectorsOf(x1: number, y1: number, x2: number, y2: number): [number, number] {
    const all: [number, number] = [0, SECTORS - 1];
    if (distanceToSegment(this.ax, this.ay, x1, y1, x2, y2) < NEAR_AP_M) return all;
    const a1 = Math.atan2(y1 - this.ay, x1 - this.ax);
    let sweep = Math.atan2(y2 - this.ay, x2 - this.ax) - a1;
    if (sweep > Math.PI) sweep -= 2 * Math.PI;
    if (sweep < -Math.PI) sweep += 2 * Math.PI;
    const from = Math.floor((Math.min(a1, a1 + sweep) + Math.PI) / SECTOR_RAD) - 1;
    const to = Math.floor((Math.max(a1, a1 + sweep) + Math.PI) / SECTOR_RAD) + 1;
    return to - from + 1 >= SECTORS ? all : [from, to];
  }
}

