// The map is a drawing, not the world. The engine gets the scenario's site
// as drawn: nominal loss per wall material, the furniture left out, each AP
// where the plan puts it. The world the radio runs in differs: each real wall
// loses its own amount around its material's nominal, shelves and desks the
// map lacks stand in the rooms, and each AP hangs a little off its drawn spot.
// worldSite returns that world; the engine never sees it.
//
// Parameters and their sources (each fitted value beside its default:
// bench/studies/radio-fit/world-effects.ts, bench/results/world-effects.md):
// - WALL_LOSS_SPREAD 0.3: sd of a wall's loss relative to its material's
//   nominal (so a 12 dB concrete wall is 12 ± 3.6 dB): assumed, not
//   calibrated (no dataset here holds wall-by-wall losses; `ctsim calibrate`
//   is to fit it).
// - FURNITURE_PER_M2 0.026, FURNITURE_LENGTH_M 3: ble-localization-uji's
//   office area (`geo`) has 4 desks and shelves (0.7 m deep, 1.6-4.3 m long,
//   mean 3 m) in its 151 m² (data/obs/geo.csv; its pillars are walls a map
//   would hold). Each piece is one segment, in every zone people sit or
//   browse in (not corridors or entrances).
// - FURNITURE_LOSS_DB 3: a wooden desk or shelf, as the scenarios' drywall
//   (3 dB): assumed, not calibrated.
// - AP_POSITION_ERROR_M 1: sd per axis of where an AP hangs against the plan
//   (ceiling grid, cable runs, a plan not updated): assumed, not calibrated.
import { pointInPolygon, polygonBounds } from '../../engine/contract/geometry.ts';
import type { Wall } from '../../engine/contract/site.ts';
import type { ScenarioSite, ZoneKind } from '../../scenarios/types.ts';
import { Rng } from '../rng.ts';

export const WALL_LOSS_SPREAD = 0.3;
export const FURNITURE_PER_M2 = 0.026;
export const FURNITURE_LENGTH_M = 3;
export const FURNITURE_LOSS_DB = 3;
export const AP_POSITION_ERROR_M = 1;
/** Zones without furniture: people pass through them. */
const BARE: readonly ZoneKind[] = ['corridor', 'entrance'];
/** Tries to place one piece inside a zone's polygon before giving it up. */
const PLACE_TRIES = 50;

export function worldSite(site: ScenarioSite, seed: number): ScenarioSite {
  const wallRng = new Rng(seed, 'world:walls');
  const walls = site.walls.map((w) => ({ ...w, lossDb: Math.max(0, w.lossDb * (1 + wallRng.normal(0, WALL_LOSS_SPREAD))) }));
  const apRng = new Rng(seed, 'world:aps');
  const aps = site.aps.map((ap) => {
    const floor = site.floors.find((f) => f.id === ap.floor)!;
    const x = clamp(ap.x + apRng.normal(0, AP_POSITION_ERROR_M), 0, floor.widthM);
    const y = clamp(ap.y + apRng.normal(0, AP_POSITION_ERROR_M), 0, floor.heightM);
    return { ...ap, x, y };
  });
  return { ...site, walls: [...walls, ...furniture(site, new Rng(seed, 'world:furniture'))], aps };
}

/** Segments of FURNITURE_LENGTH_M at random spots and angles, both ends inside the zone. */
function furniture(site: ScenarioSite, rng: Rng): Wall[] {
  const pieces: Wall[] = [];
  for (const zone of site.zones) {
    if (BARE.includes(zone.kind)) continue;
    const { minX, minY, maxX, maxY } = polygonBounds(zone.polygon);
    const count = Math.round(polygonArea(zone.polygon) * FURNITURE_PER_M2);
    for (let k = 0; k < count; k++) {
      for (let tries = 0; tries < PLACE_TRIES; tries++) {
        const cx = rng.uniform(minX, maxX), cy = rng.uniform(minY, maxY), a = rng.uniform(0, Math.PI);
        const hx = (FURNITURE_LENGTH_M / 2) * Math.cos(a), hy = (FURNITURE_LENGTH_M / 2) * Math.sin(a);
        if (!pointInPolygon(cx - hx, cy - hy, zone.polygon) || !pointInPolygon(cx + hx, cy + hy, zone.polygon)) continue;
        pieces.push({ floor: zone.floor, x1: cx - hx, y1: cy - hy, x2: cx + hx, y2: cy + hy, material: 'furniture', lossDb: FURNITURE_LOSS_DB });
        break;
      }
    }
  }
  return pieces;
}

function polygonArea(polygon: readonly [number, number][]): number {
  let twice = 0;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) twice += polygon[j][0] * polygon[i][1] - polygon[i][0] * polygon[j][1];
  return Math.abs(twice) / 2;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
