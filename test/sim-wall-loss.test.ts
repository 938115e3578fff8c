// The simulator's wall loss (sim/radio/wall-loss.ts): the sum over the walls a
// path properly crosses, and the by-direction version from an AP equal to it.
import { describe, expect, it } from 'vitest';
import type { Wall } from '../engine/contract/site.ts';
import { loadScenario } from '../scenarios/load.ts';
import { FloorWalls, WallsFrom } from '../sim/radio/wall-loss.ts';
import { Rng } from '../sim/rng.ts';

const wall = (x1: number, y1: number, x2: number, y2: number, lossDb: number): Wall => ({ floor: 0, x1, y1, x2, y2, material: 'test', lossDb });

describe('FloorWalls', () => {
  // Two parallel walls x = 2 (3 dB) and x = 4 (12 dB) from y = 0 to 10, and a short one x = 6 from y = 0 to 1 (5 dB).
  const walls = new FloorWalls([wall(2, 0, 2, 10, 3), wall(4, 0, 4, 10, 12), wall(6, 0, 6, 1, 5)]);

  it('sums the walls a path crosses', () => {
    expect(walls.lossDb(0, 5, 1, 5)).toBe(0);
    expect(walls.lossDb(0, 5, 3, 5)).toBe(3);
    expect(walls.lossDb(0, 5, 5, 5)).toBe(15);
    expect(walls.lossDb(5, 5, 0, 5)).toBe(15); // reciprocal
    expect(walls.lossDb(0, 0.5, 7, 0.5)).toBe(20);
    expect(walls.lossDb(0, 5, 7, 5)).toBe(15); // passes above the short wall
  });

  it('does not count a path that only touches a wall end or runs along a wall', () => {
    expect(walls.lossDb(5, 1, 7, 1)).toBe(0); // through the end (6, 1)
    expect(walls.lossDb(2, 1, 2, 9)).toBe(0); // along x = 2
  });
});

describe('walls by direction from an AP', () => {
  it('gives exactly FloorWalls.lossDb, also at wall ends, along walls and past them', () => {
    const campus = loadScenario('campus');
    const rng = new Rng(11, 'walls');
    let probes = 0, crossing = 0;
    const mismatches: string[] = [];
    for (const floor of campus.site.floors) {
      const floorWalls = campus.site.walls.filter((w) => w.floor === floor.id);
      const walls = new FloorWalls(floorWalls);
      const ends = floorWalls.flatMap((w): [number, number][] => [[w.x1, w.y1], [w.x2, w.y2]]);
      for (const ap of campus.site.aps.filter((a) => a.floor === floor.id)) {
        const byDirection = new WallsFrom(walls, ap.x, ap.y);
        const points: [number, number][] = Array.from({ length: 300 }, () => [rng.uniform(0, floor.widthM), rng.uniform(0, floor.heightM)]);
        // Wall ends, a hair beside them, and beyond them seen from the AP: where rounding could put a line in the next sector.
        for (const [x, y] of ends) points.push([x, y], [x + 1e-9, y], [x, y - 1e-9], [2 * x - ap.x, 2 * y - ap.y]);
        for (const [x, y] of points) {
          const expected = walls.lossDb(ap.x, ap.y, x, y);
          const got = byDirection.lossDb(x, y);
          if (got !== expected) mismatches.push(`AP ${ap.id} to (${x}, ${y}): ${got} dB, expected ${expected}`);
          probes++;
          if (expected > 0) crossing++;
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(probes).toBeGreaterThan(10_000);
    expect(crossing / probes).toBeGreaterThan(0.3); // most lines cross walls: the comparison is not vacuous
  });
});
