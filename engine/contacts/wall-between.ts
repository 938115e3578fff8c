// Room-awareness: a wall on the straight line between two fixes means the
// two people were in different rooms, however close the fixes.
import type { Wall } from '../contract/site.ts';
import { crossesWall, packWalls, type PackedWalls } from '../site-map/wall-loss.ts';

/** Returns whether the segment between two points on `floor` crosses any wall of that floor. */
export function wallBetween(walls: readonly Wall[]): (floor: number, ax: number, ay: number, bx: number, by: number) => boolean {
  const byFloor = new Map<number, PackedWalls>();
  for (const floor of new Set(walls.map((w) => w.floor))) byFloor.set(floor, packWalls(walls.filter((w) => w.floor === floor)));
  return (floor, ax, ay, bx, by) => {
    const floorWalls = byFloor.get(floor);
    return floorWalls !== undefined && crossesWall(floorWalls, ax, ay, bx, by);
  };
}
