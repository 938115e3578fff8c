// Which zone of the site map a point lies in.
import { pointInPolygon } from './geometry.ts';
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
