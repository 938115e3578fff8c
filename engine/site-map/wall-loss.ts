// Wall attenuation as the site map predicts it: the sum of lossDb over every
// wall of the floor that the straight AP-device line crosses (calibration,
// radio maps), and whether a step passes through a wall (tracking, contacts).
import { segmentsCross } from '../contract/geometry.ts';
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
