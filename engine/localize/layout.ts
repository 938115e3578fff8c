// The site map as the localizers read it: AP positions and floor bounds in
// typed arrays, cheap to send to a worker and to index in a hot loop.
import type { Site } from '../site.ts';
import { packWalls, type PackedWalls } from '../walls.ts';

export interface SiteLayout {
  /** Per AP (same index as site.aps). */
  apX: Float64Array;
  apY: Float64Array;
  /** Index into the per-floor arrays below. */
  apFloorIdx: Uint16Array;
  /** Per floor (same index as site.floors); a floor spans [0, widthM] × [0, heightM]. */
  floorId: Int16Array;
  floorWidthM: Float64Array;
  floorHeightM: Float64Array;
  /** Per floor: its walls packed for wallLossDb (engine/walls.ts). */
  floorWalls: PackedWalls[];
}

export function siteLayout(site: Site): SiteLayout {
  const floorIdx = new Map(site.floors.map((f, i) => [f.id, i]));
  const apFloorIdx = new Uint16Array(site.aps.length);
  site.aps.forEach((ap, i) => {
    const idx = floorIdx.get(ap.floor);
    if (idx === undefined) throw new Error(`AP ${ap.id} is on floor ${ap.floor}, which the site does not define`);
    apFloorIdx[i] = idx;
  });
  return {
    apX: Float64Array.from(site.aps, (ap) => ap.x),
    apY: Float64Array.from(site.aps, (ap) => ap.y),
    apFloorIdx,
    floorId: Int16Array.from(site.floors, (f) => f.id),
    floorWidthM: Float64Array.from(site.floors, (f) => f.widthM),
    floorHeightM: Float64Array.from(site.floors, (f) => f.heightM),
    floorWalls: site.floors.map((f) => packWalls(site.walls.filter((w) => w.floor === f.id))),
  };
}
