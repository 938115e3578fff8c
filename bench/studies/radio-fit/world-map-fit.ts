// Furniture a site map leaves out, as sim/radio/world-map.ts lays it:
// ble-localization-uji's office area (`geo`) lists its obstacles
// (data/obs/geo.csv: polygons, type 1 desks and shelves, type 2 pillars).
// Density: type-1 pieces per m² of the area the beacons and measured points
// span; length: each piece's longer side.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { mean } from 'simple-statistics';
import { dataDir } from '../real-data/data-dir.ts';
import { loadZone } from '../real-data/uji.ts';

/** The dataset's obstacle type for furniture (2 is a pillar, which a map holds). */
const FURNITURE_TYPE = '1';

export interface FurnitureFit {
  pieces: number;
  areaM2: number;
  perM2: number;
  meanLengthM: number;
}

export function ujiOfficeFurniture(dir = join(dataDir(), 'ble-localization-uji/data/')): FurnitureFit {
  const corners = new Map<string, [number, number][]>();
  const rows: Record<string, string>[] = parse(readFileSync(join(dir, 'obs', 'geo.csv'), 'utf8'), { columns: true, skip_empty_lines: true });
  for (const r of rows) {
    if (r.type !== FURNITURE_TYPE) continue;
    corners.set(r.id, [...(corners.get(r.id) ?? []), [Number(r.x), Number(r.y)]]);
  }
  const lengths = [...corners.values()].map((pts) => {
    const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
    return Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  });
  const { site, rows: points } = loadZone(dir, 'geo'); // the site's frame: a shift, the area is the same
  const xs = [...site.aps.map((b) => b.x), ...points.map((p) => p.x)], ys = [...site.aps.map((b) => b.y), ...points.map((p) => p.y)];
  const areaM2 = (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
  return { pieces: lengths.length, areaM2, perM2: lengths.length / areaM2, meanLengthM: mean(lengths) };
}
