// Where the calibration part's readings put each AP, for a site whose AP
// positions are guesses (wifi-longterm-uji's database gives none: its APs
// are placed at the centroid of the survey points that hear them best). The
// twin's world then holds the APs where the log's readings say they are while
// the engine keeps the site's positions, as it does on the real log. Per AP
// of a band, on its own floor's samples, with the band's fitted exponent
// and a free gain per AP, on the mean level of each CELL_M cell the AP heard
// (a place's shadowing is one error per cell, not one per reading; not the
// band's fitted decorrelation, which a misplaced AP's smooth residual trend
// itself stretches: 7.9 m on wifi-longterm-uji): the position on a 2 m grid
// over the floor and MARGIN_M around it, then 0.5 m around the best, that
// leaves the least squared residual, kept when the given position is
// rejected against it at p = 0.001 (likelihood ratio n·ln(SSE given / SSE
// best) above χ²'s 13.8 at two degrees of freedom, n the cells). An AP at
// the edge of where the log walked is placed only as well as its readings
// tell: along the edge's normal, gain and distance trade off.
import type { Band, Site } from '../../engine/contract/site.ts';
import type { Calibration } from './calibrate.ts';
import { BANDS, type Samples } from './samples.ts';

const GRID_M = 0.5;
const COARSE_M = 2;
/** How far outside its floor's rectangle an AP may stand, m (in a corridor or room the log never walked). */
const MARGIN_M = 15;
/** Cells the readings are averaged in, m. */
const CELL_M = 2;
/** χ² at two degrees of freedom, p = 0.001. */
const CHI2_2DOF_P001 = 13.8;
/** Fewer cells than this leave an AP where it is. */
const MIN_CELLS = 12;

/** The site with each AP of `band` moved to where the samples put it (exponent: the band's fitted one). */
export function fittedApPositions(site: Site, s: Samples, band: Band, exponent: number): Site {
  const b = BANDS.indexOf(band);
  const byAp = site.aps.map(() => [] as number[]);
  for (let i = 0; i < s.length; i++) if (s.band[i] === b && s.floor[i] === site.aps[s.ap[i]].floor) byAp[s.ap[i]].push(i);
  const aps = site.aps.map((ap, a) => {
    const cells = cellMeans(s, byAp[a], ap.x, ap.y);
    const n = cells.level.length;
    if (n < MIN_CELLS) return ap;
    // Least squares over the AP's gain (its mean residual taken out): Σe² − (Σe)²/n.
    const sse = (ax: number, ay: number): number => {
      let sum = 0, sum2 = 0;
      for (let k = 0; k < n; k++) {
        const e = cells.level[k] + 5 * exponent * Math.log10(Math.max((cells.x[k] - ax) ** 2 + (cells.y[k] - ay) ** 2 + cells.dh2[k], 1));
        sum += e;
        sum2 += e * e;
      }
      return sum2 - (sum * sum) / n;
    };
    const floor = site.floors.find((f) => f.id === ap.floor)!;
    const given = sse(ap.x, ap.y);
    let best = given, bx = ap.x, by = ap.y;
    const search = (x0: number, x1: number, y0: number, y1: number, step: number): void => {
      for (let x = x0; x <= x1; x += step) {
        for (let y = y0; y <= y1; y += step) {
          const v = sse(x, y);
          if (v < best) [best, bx, by] = [v, x, y];
        }
      }
    };
    search(-MARGIN_M, floor.widthM + MARGIN_M, -MARGIN_M, floor.heightM + MARGIN_M, COARSE_M);
    // Best on the search's edge: the readings do not bound the AP (farther still would fit as well, its gain rising), so no place is told.
    const onEdge = bx <= -MARGIN_M || by <= -MARGIN_M || bx >= floor.widthM + MARGIN_M - COARSE_M || by >= floor.heightM + MARGIN_M - COARSE_M;
    if (onEdge) return ap;
    search(bx - COARSE_M, bx + COARSE_M, by - COARSE_M, by + COARSE_M, GRID_M);
    return n * Math.log(given / best) > CHI2_2DOF_P001 ? { ...ap, x: bx, y: by } : ap;
  });
  return { ...site, aps };
}

/** Per CELL_M cell of the rows' positions: the mean position, the mean level less the transmit power, and the height difference² to the AP at (apX, apY). */
function cellMeans(s: Samples, rows: readonly number[], apX: number, apY: number): { x: number[]; y: number[]; level: number[]; dh2: number[] } {
  const acc = new Map<string, { x: number; y: number; level: number; dh2: number; n: number }>();
  for (const i of rows) {
    const key = `${Math.floor(s.x[i] / CELL_M)}|${Math.floor(s.y[i] / CELL_M)}`;
    const c = acc.get(key) ?? { x: 0, y: 0, level: 0, dh2: 0, n: 0 };
    c.x += s.x[i];
    c.y += s.y[i];
    c.level += s.rssiDbm[i] - s.txDbm[i];
    // The height difference the sample's 3-D distance holds.
    c.dh2 += Math.max(s.distanceM[i] ** 2 - (s.x[i] - apX) ** 2 - (s.y[i] - apY) ** 2, 0);
    c.n++;
    acc.set(key, c);
  }
  const cells = [...acc.values()];
  return { x: cells.map((c) => c.x / c.n), y: cells.map((c) => c.y / c.n), level: cells.map((c) => c.level / c.n), dh2: cells.map((c) => c.dh2 / c.n) };
}

/** The site with every calibrated band's APs where the samples put them (an AP with both radios: the last band's move). */
export function fittedWorld(site: Site, calibration: Calibration, s: Samples): Site {
  let world = site;
  for (const band of calibration.bands) {
    const fitted = fittedApPositions(site, s, band.band, band.pathLossExponent.value);
    world = { ...world, aps: world.aps.map((ap, a) => (fitted.aps[a] === site.aps[a] ? ap : fitted.aps[a])) };
  }
  return world;
}

/** An AP `world` holds elsewhere than `site`. */
export interface MovedAp {
  id: string;
  floor: number;
  from: [number, number];
  to: [number, number];
  movedM: number;
}

/** The APs `world` holds elsewhere than `site`, furthest first. */
export function movedAps(site: Site, world: Site): MovedAp[] {
  return site.aps.flatMap((ap, a) => {
    const to = world.aps[a];
    const movedM = Math.hypot(to.x - ap.x, to.y - ap.y);
    return movedM > 0 ? [{ id: ap.id, floor: ap.floor, from: [ap.x, ap.y] as [number, number], to: [to.x, to.y] as [number, number], movedM }] : [];
  }).sort((p, q) => q.movedM - p.movedM);
}

/** How many APs `world` holds elsewhere than `site`, and the median distance they moved, m (0 when none). */
export interface ApMoves {
  count: number;
  medianM: number;
}

export function apMoves(site: Site, world: Site): ApMoves {
  const d = movedAps(site, world).map((m) => m.movedM).reverse();
  return { count: d.length, medianM: d.length ? d[d.length >> 1] : 0 };
}
