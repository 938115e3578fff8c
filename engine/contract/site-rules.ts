// What makes a site map usable, one copy for both ways a site arrives: a
// plain site map (engine/io/site-reader.ts) and a scenario's site
// (scenarios/validate-site.ts). Both read the fields' types themselves; these
// are the rules between fields.
import { segmentsCross } from './geometry.ts';
import { quote } from './quote.ts';
import type { Site } from './site.ts';

/** A floor is at most this long on a side, metres (campus: 200 × 64 m). */
export const MAX_FLOOR_SIZE_M = 1000;
/** Loss of one wall crossing, dB (ITU-R P.1238 materials: 3-20 dB). */
export const MAX_WALL_LOSS_DB = 100;
/** An AP's mounting height above its floor, metres (ceilings up to atrium height). */
export const MAX_AP_HEIGHT_M = 20;
/** A device's height above the floor, metres (hand, pocket, lanyard, a tag on a pole). */
export const MAX_DEVICE_HEIGHT_M = 5;

export interface SiteProblem {
  /** Path of the offending field, e.g. `zones[2].polygon`. */
  field: string;
  problem: string;
}

/** What makes a zone's outline no area, or null (the scenario validator asks before it places the zone's entry in it). */
export function polygonProblem(polygon: readonly (readonly [number, number])[]): string | null {
  const n = polygon.length;
  if (n < 3) return `needs at least 3 points, got ${n}`;
  // Its points in order trace its outline: one that crosses itself (a bowtie) or encloses nothing holds no seat or visit rightly.
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // the closing edge meets the first
      const [a, b, c, d] = [polygon[i], polygon[(i + 1) % n], polygon[j], polygon[(j + 1) % n]];
      if (segmentsCross(a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1])) return `crosses itself (edge ${i}-${i + 1} with edge ${j}-${(j + 1) % n}): list its points in order around it`;
    }
  }
  let twiceArea = 0;
  for (let i = 0; i < n; i++) twiceArea += polygon[i][0] * polygon[(i + 1) % n][1] - polygon[(i + 1) % n][0] * polygon[i][1];
  return twiceArea === 0 ? 'encloses no area (its points lie on one line)' : null;
}

/** BSSIDs of one radio are drawn this close at most, metres: one device, whatever rounding the map's export did. */
const SAME_PLACE_M = 0.01;

/** Whether two APs are drawn as one device: the same floor, place and height. */
function sameMount(a: Site['aps'][number], b: Site['aps'][number]): boolean {
  return a.floor === b.floor && Math.hypot(a.x - b.x, a.y - b.y) <= SAME_PLACE_M && Math.abs((a.heightM ?? -1) - (b.heightM ?? -1)) <= SAME_PLACE_M;
}

/** The first rule the site breaks, or null. */
export function siteProblem(site: Site): SiteProblem | null {
  const floors = new Map<number, Site['floors'][number]>();
  for (const [i, f] of site.floors.entries()) {
    if (floors.has(f.id)) return { field: `floors[${i}].id`, problem: `duplicate floor id ${f.id}` };
    floors.set(f.id, f);
    for (const side of ['widthM', 'heightM'] as const) {
      if (!(f[side] > 0 && f[side] <= MAX_FLOOR_SIZE_M)) return { field: `floors[${i}].${side}`, problem: `must be more than 0 and at most ${MAX_FLOOR_SIZE_M} m, got ${f[side]}` };
    }
  }
  if (floors.size === 0) return { field: 'floors', problem: 'must list at least one floor' };
  /** Why the thing at `field` (on floor `id`, at (x, y)) is not on its floor, or null. */
  const offFloor = (field: string, id: number, x: number, y: number): SiteProblem | null => {
    const f = floors.get(id);
    if (!f) return { field: `${field}.floor`, problem: `${id} is not a floor of the site (floors: ${[...floors.keys()].join(', ')})` };
    return x >= 0 && x <= f.widthM && y >= 0 && y <= f.heightM ? null : { field, problem: `(${x}, ${y}) lies outside floor ${id} (${f.widthM} × ${f.heightM} m)` };
  };
  for (const [i, w] of site.walls.entries()) {
    const off = offFloor(`walls[${i}]`, w.floor, w.x1, w.y1) ?? offFloor(`walls[${i}]`, w.floor, w.x2, w.y2);
    if (off) return off;
    // A wall of no length is crossed by no link: a typo that would silently drop its loss.
    if (w.x1 === w.x2 && w.y1 === w.y2) return { field: `walls[${i}]`, problem: `starts and ends at the same point (${w.x1}, ${w.y1})` };
    if (!(w.lossDb >= 0 && w.lossDb <= MAX_WALL_LOSS_DB)) return { field: `walls[${i}].lossDb`, problem: `must be at least 0 and at most ${MAX_WALL_LOSS_DB} dB, got ${w.lossDb}` };
  }
  const zoneIds = new Set<string>();
  for (const [i, z] of site.zones.entries()) {
    if (zoneIds.has(z.id)) return { field: `zones[${i}].id`, problem: `duplicate zone id ${quote(z.id)}` };
    zoneIds.add(z.id);
    if (!(z.capacity >= 0)) return { field: `zones[${i}].capacity`, problem: `must be at least 0, got ${z.capacity}` };
    const shape = polygonProblem(z.polygon);
    if (shape) return { field: `zones[${i}].polygon`, problem: shape };
    for (const [x, y] of z.polygon) {
      const off = offFloor(`zones[${i}]`, z.floor, x, y);
      if (off) return off;
    }
  }
  if (site.aps.length === 0) return { field: 'aps', problem: 'must list at least one AP' };
  const apIds = new Set<string>();
  const radioFirst = new Map<string, number>();
  for (const [i, ap] of site.aps.entries()) {
    if (apIds.has(ap.id)) return { field: `aps[${i}].id`, problem: `duplicate AP id ${quote(ap.id)}` };
    apIds.add(ap.id);
    // An AP left to the survey to place (engine/calibrate/ap-placement.ts) may still name its floor.
    if (Number.isNaN(ap.x)) {
      if (!Number.isNaN(ap.floor) && !floors.has(ap.floor)) return { field: `aps[${i}].floor`, problem: `${ap.floor} is not a floor of the site (floors: ${[...floors.keys()].join(', ')})` };
    } else {
      const off = offFloor(`aps[${i}]`, ap.floor, ap.x, ap.y);
      if (off) return off;
    }
    if (ap.heightM !== undefined && !(ap.heightM >= 0 && ap.heightM <= MAX_AP_HEIGHT_M)) return { field: `aps[${i}].heightM`, problem: `must be at least 0 and at most ${MAX_AP_HEIGHT_M} m, got ${ap.heightM}` };
    if (ap.radioId === undefined) continue;
    if (!ap.radios.wifi) return { field: `aps[${i}].radioId`, problem: 'names a Wi-Fi radio, but the AP has no radios.wifi' };
    const j = radioFirst.get(ap.radioId);
    if (j === undefined) radioFirst.set(ap.radioId, i);
    else if (!sameMount(site.aps[j], ap)) return { field: `aps[${i}].radioId`, problem: `${quote(ap.radioId)} is aps[${j}]'s radio (${quote(site.aps[j].id)}), which stands elsewhere: one radio's BSSIDs share its floor, place and height` };
  }
  if (site.deviceHeightM !== undefined && !(site.deviceHeightM >= 0 && site.deviceHeightM <= MAX_DEVICE_HEIGHT_M)) {
    return { field: 'deviceHeightM', problem: `must be at least 0 and at most ${MAX_DEVICE_HEIGHT_M} m, got ${site.deviceHeightM}` };
  }
  return null;
}
