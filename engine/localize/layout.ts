// The site map as the localizers read it: AP positions and floor bounds in
// typed arrays, cheap to send to a worker and to index in a hot loop.
import type { Site } from '../contract/site.ts';
import { packWalls, wallLossDb, type PackedWalls } from '../site-map/wall-loss.ts';

export interface SiteLayout {
  /** Per AP (same index as site.aps). */
  apX: Float64Array;
  apY: Float64Array;
  /** Index into the per-floor arrays below. */
  apFloorIdx: Uint16Array;
  /** Mounting height above its floor, metres; NaN where the site map does not say (localize.apHeightM then). */
  apHeightM: Float64Array;
  /** The site's device height above the floor, metres; NaN when it does not say (localize.deviceHeightM then). */
  deviceHeightM: number;
  /** Per floor (same index as site.floors); a floor spans [0, widthM] × [0, heightM]. */
  floorId: Int16Array;
  floorWidthM: Float64Array;
  floorHeightM: Float64Array;
  /** Per floor: its walls packed for wallLossDb (engine/site-map/wall-loss.ts). */
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
    apHeightM: Float64Array.from(site.aps, (ap) => ap.heightM ?? NaN),
    deviceHeightM: site.deviceHeightM ?? NaN,
    floorId: Int16Array.from(site.floors, (f) => f.id),
    floorWidthM: Float64Array.from(site.floors, (f) => f.widthM),
    floorHeightM: Float64Array.from(site.floors, (f) => f.heightM),
    floorWalls: site.floors.map((f) => packWalls(site.walls.filter((w) => w.floor === f.id))),
  };
}

/**
 * Per AP, the squared height difference between the AP and a device, m²:
 * ranges are 3-D, fixes 2-D. The site map's heights where it gives them,
 * else the configured ones.
 */
export function heightDiff2(layout: SiteLayout, localize: { apHeightM: number; deviceHeightM: number }): Float64Array {
  const deviceM = Number.isNaN(layout.deviceHeightM) ? localize.deviceHeightM : layout.deviceHeightM;
  return layout.apHeightM.map((apM) => ((Number.isNaN(apM) ? localize.apHeightM : apM) - deviceM) ** 2);
}

/**
 * The log-distance model's path gain from AP `ap` at (x, y) on floor f, dB:
 * interceptDb − 10·n·log10(3-D distance, at least 0.5 m) − wallScale times
 * the floor's walls' losses on the line, + behindWallDb when any wall is. dh2:
 * the squared AP-to-device height difference (heightDiff2).
 */
export function modelGainDb(layout: SiteLayout, f: number, ap: number, x: number, y: number, dh2: number, interceptDb: number, exponent: number, behindWallDb = 0, wallScale = 1): number {
  const d = Math.sqrt((x - layout.apX[ap]) ** 2 + (y - layout.apY[ap]) ** 2 + dh2);
  const wallDb = wallLossDb(layout.floorWalls[f], layout.apX[ap], layout.apY[ap], x, y);
  const gainDb = interceptDb - 10 * exponent * Math.log10(Math.max(d, 0.5)) - wallScale * wallDb;
  return wallDb > 0 ? gainDb + behindWallDb : gainDb;
}
