// Room-awareness: a wall on the straight line between two fixes means the
// two people were in different rooms, however close the fixes.
import { segmentsCross } from '../geometry.ts';
import type { Wall } from '../site.ts';

/** Returns whether the segment between two points on `floor` crosses any wall of that floor. */
export function wallBetween(walls: readonly Wall[]): (floor: number, ax: number, ay: number, bx: number, by: number) => boolean {
  const byFloor = new Map<number, Wall[]>();
  for (const w of walls) byFloor.set(w.floor, [...(byFloor.get(w.floor) ?? []), w]);
  return (floor, ax, ay, bx, by) => {
    for (const w of byFloor.get(floor) ?? []) if (segmentsCross(ax, ay, bx, by, w.x1, w.y1, w.x2, w.y2)) return true;
    return false;
  };
}
