// The simulator's wall loss (sim/radio/wall-loss.ts): the sum over the walls a
// path properly crosses, the by-direction version from an AP equal to it, and
// a link between floors crossing each floor's walls on its own part of the path.
import { describe, expect, it } from 'vitest';
import type { Wall } from '../engine/contract/site.ts';
import { loadScenario } from '../scenarios/load.ts';
import { FloorWalls, WallsFrom } from '../sim/radio/wall-loss.ts';
import { BandChannel, crossLinkShares } from '../sim/radio/channel.ts';
import type { RadioEffects, ScenarioSite } from '../scenarios/types.ts';
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

  it('gives exactly FloorWalls.lossDb on another floor, for a part of the path on the ray from the AP\'s place', () => {
    const campus = loadScenario('campus');
    const rng = new Rng(12, 'walls-on-ray');
    let probes = 0, crossing = 0;
    const mismatches: string[] = [];
    for (const floor of campus.site.floors) {
      const walls = new FloorWalls(campus.site.walls.filter((w) => w.floor === floor.id));
      for (const ap of campus.site.aps.filter((a) => a.floor !== floor.id)) {
        const byDirection = new WallsFrom(walls, ap.x, ap.y);
        for (let k = 0; k < 60; k++) {
          // A device on this floor, and where its path to the AP leaves the floor: a share t of the way.
          const x = rng.uniform(0, floor.widthM), y = rng.uniform(0, floor.heightM), t = k === 0 ? 1 : rng.uniform(0, 1);
          const px = x + t * (ap.x - x), py = y + t * (ap.y - y);
          const expected = walls.lossDb(x, y, px, py), got = byDirection.lossDbOnRay(x, y, px, py);
          if (got !== expected) mismatches.push(`AP ${ap.id} floor ${floor.id} (${x}, ${y}) to (${px}, ${py}): ${got} dB, expected ${expected}`);
          probes++;
          if (expected > 0) crossing++;
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(probes).toBeGreaterThan(5_000);
    expect(crossing / probes).toBeGreaterThan(0.3);
  });
});

describe('a link between floors', () => {
  // Two storeys 4 m apart; an AP at (20, 5) on the upper floor, a device at (0, 5) on the lower one. The path leaves the
  // lower floor (1.2 m up) at (4 − 1.2) / (4 + 2.5 − 1.2) = 53 % of its run, x = 10.6, and enters the AP's floor there.
  const site = (walls: Wall[]): ScenarioSite => ({
    floors: [{ id: 0, name: 'lower', widthM: 30, heightM: 10, elevationM: 0 }, { id: 1, name: 'upper', widthM: 30, heightM: 10, elevationM: 4 }],
    materials: {}, walls, zones: [], walkways: { nodes: [], edges: [] },
    aps: [{ id: 'up', floor: 1, x: 20, y: 5, radios: { ble: { txPowerDbm: 0 } } }],
  });
  const effects: RadioEffects = {
    walls: true, floors: true, shadowing: false, fading: false, packetLoss: false, deviceOffsets: false, bodyLoss: false, advertisingChannels: false, temporal: false, bodyOrientation: false, drift: false, otherBodies: false, deviceModels: false, bleTiming: false, mapDrawing: false, wifiChannels: false, wifiTraffic: false, wifiReports: false,
  };
  const radio = loadScenario('office').radio.ble;
  const meanAt = (walls: Wall[]): number => new BandChannel(site(walls), 'ble', radio, effects, 1).meanRxDbm(0, 0, 0, 5, 0);
  const open = meanAt([]);
  const at = (floor: number, x: number): Wall => ({ floor, x1: x, y1: 0, x2: x, y2: 10, material: 'test', lossDb: 7 });

  it('splits its run at the slab: the shares of the device\'s and the AP\'s floors', () => {
    expect(crossLinkShares(4 + 2.5 - 1.2, 4, 1, 2.5, 1.2).map((v) => v.toFixed(3))).toEqual(['0.528', '0.472']);
    expect(crossLinkShares(-4 + 2.5 - 1.2, -4, 1, 2.5, 1.2).map((v) => v.toFixed(3))).toEqual(['0.444', '0.556']);
    expect(crossLinkShares(1.3, 0, 0, 2.5, 1.2)).toEqual([0, 0]);
  });

  it('crosses the device\'s floor\'s walls before the slab and the AP\'s after it, each once', () => {
    expect(meanAt([at(0, 5)])).toBeCloseTo(open - 7, 9); // below, on the device's side
    expect(meanAt([at(0, 15)])).toBeCloseTo(open, 9); // below, but past where the path went up
    expect(meanAt([at(1, 15)])).toBeCloseTo(open - 7, 9); // above, on the AP's side
    expect(meanAt([at(1, 5)])).toBeCloseTo(open, 9); // above, where the path was still below
    expect(meanAt([at(0, 5), at(1, 15)])).toBeCloseTo(open - 14, 9);
  });
});
