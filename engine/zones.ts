// Which zone of the site map a point lies in.
import { distanceToPolygonEdge, pointInPolygon } from './geometry.ts';
import type { Site } from './site.ts';

/** Returns the index (into site.zones) of the first zone containing the point, -1 if none. */
export function zoneLocator(site: Pick<Site, 'zones'>): (floor: number, x: number, y: number) => number {
  const zones = site.zones;
  return (floor, x, y) => {
    for (let z = 0; z < zones.length; z++) {
      if (zones[z].floor === floor && pointInPolygon(x, y, zones[z].polygon)) return z;
    }
    return -1;
  };
}

/**
 * Like zoneLocator, but a point outside every zone goes to the zone whose
 * edge is nearest, if within snapM (fixes pulled outside the building, or
 * into space no one occupies, still belong to the room they came from).
 */
export function snappingZoneLocator(site: Pick<Site, 'zones'>, snapM: number): (floor: number, x: number, y: number) => number {
  const inside = zoneLocator(site);
  const zones = site.zones;
  return (floor, x, y) => {
    const z = inside(floor, x, y);
    if (z >= 0 || snapM <= 0) return z;
    let best = -1, bestM = snapM;
    for (let k = 0; k < zones.length; k++) {
      if (zones[k].floor !== floor) continue;
      const d = distanceToPolygonEdge(x, y, zones[k].polygon);
      if (d < bestM) [best, bestM] = [k, d];
    }
    return best;
  };
}
