// Which zone of the site map a point lies in.
import { distanceToPolygonEdge, pointInPolygon, polygonBounds } from '../contract/geometry.ts';
import type { Site } from '../contract/site.ts';

/** Returns the index (into site.zones) of the first zone containing the point, -1 if none. */
export function zoneLocator(site: Pick<Site, 'zones'>): (floor: number, x: number, y: number) => number {
  const zones = site.zones;
  // Each zone's bounding box, padded by BOX_PAD_M: outside it the polygon test is false, so most zones cost four comparisons.
  const box = new Float64Array(zones.length * 4);
  zones.forEach((z, k) => {
    const b = polygonBounds(z.polygon);
    box.set([b.minX - BOX_PAD_M, b.minY - BOX_PAD_M, b.maxX + BOX_PAD_M, b.maxY + BOX_PAD_M], k * 4);
  });
  return (floor, x, y) => {
    for (let z = 0; z < zones.length; z++) {
      const b = z * 4;
      if (zones[z].floor !== floor || x < box[b] || y < box[b + 1] || x > box[b + 2] || y > box[b + 3]) continue;
      if (pointInPolygon(x, y, zones[z].polygon)) return z;
    }
    return -1;
  };
}

/** Margin on a zone's bounding box, metres: wider than the rounding of the polygon test's edge crossings. */
const BOX_PAD_M = 1e-6;

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
