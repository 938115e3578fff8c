// The simulator's zone lookup (sim/zone-lookup.ts), which labels true positions.
import { expect, it } from 'vitest';
import type { Zone } from '../engine/contract/site.ts';
import { zoneLocator } from '../engine/site-map/zone-locator.ts';
import { loadScenario } from '../scenarios/load.ts';
import { zoneLookup } from '../sim/zone-lookup.ts';

const zone = (id: string, floor: number, polygon: [number, number][]): Zone => ({ id, name: id, floor, polygon, capacity: 1 });

it('finds the first zone on the floor holding the point, -1 outside every zone', () => {
  const lookup = zoneLookup([
    zone('L', 0, [[0, 0], [10, 0], [10, 4], [4, 4], [4, 10], [0, 10]]), // an L: its box holds (8, 8), the polygon does not
    zone('room', 0, [[2, 2], [6, 2], [6, 6], [2, 6]]), // overlaps the L: the L, listed first, wins there
    zone('upstairs', 1, [[0, 0], [10, 0], [10, 10], [0, 10]]),
  ]);
  expect(lookup(0, 1, 1)).toBe(0);
  expect(lookup(0, 3, 3)).toBe(0);
  expect(lookup(0, 5, 5)).toBe(1);
  expect(lookup(0, 8, 8)).toBe(-1);
  expect(lookup(1, 8, 8)).toBe(2);
  expect(lookup(2, 1, 1)).toBe(-1);
  expect(lookup(0, 11, 1)).toBe(-1);
});

it('agrees with the engine on the library scenarios, whose map zones are the world zones', () => {
  for (const name of ['office', 'hospital-ward', 'retail', 'campus']) {
    const { site } = loadScenario(name);
    const world = zoneLookup(site.zones), map = zoneLocator(site);
    let inZones = 0, differ = 0;
    for (const f of site.floors) {
      for (let y = 0.1; y < f.heightM; y += 1.1) {
        for (let x = 0.1; x < f.widthM; x += 1.1) {
          const z = world(f.id, x, y);
          if (z !== map(f.id, x, y)) differ++;
          if (z >= 0) inZones++;
        }
      }
    }
    expect(differ, name).toBe(0);
    expect(inZones, name).toBeGreaterThan(200);
  }
});
