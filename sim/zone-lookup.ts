// Which zone a true position lies in (truth.arrow's zoneId, where the survey
// stands): the first of the scenario's zones, in file order, on the point's
// floor whose polygon holds it. The simulator's own lookup, apart from the
// engine's zone assignment from the site map (engine/site-map/zone-locator.ts).
import { pointInPolygon, polygonBounds } from '../engine/contract/geometry.ts';
import type { Zone } from '../engine/contract/site.ts';

/** Slack on a zone's bounding box, metres: more than the rounding of the polygon test, far less than any room. */
const BOX_SLACK_M = 1e-6;

/** A function giving the index (into `zones`) of the zone holding a point, -1 when none does. */
export function zoneLookup(zones: readonly Zone[]): (floor: number, x: number, y: number) => number {
  // The box test first: most zones are far from the point, and people are looked up at every sample they move.
  const boxed = zones.map((zone, index) => ({ index, zone, box: polygonBounds(zone.polygon) }));
  return (floor, x, y) => {
    for (const { index, zone, box } of boxed) {
      if (zone.floor !== floor) continue;
      if (x < box.minX - BOX_SLACK_M || x > box.maxX + BOX_SLACK_M || y < box.minY - BOX_SLACK_M || y > box.maxY + BOX_SLACK_M) continue;
      if (pointInPolygon(x, y, zone.polygon)) return index;
    }
    return -1;
  };
}
