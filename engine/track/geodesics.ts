// Walking distances on one floor: a grid of square cells, each joined to its
// eight neighbours unless a wall of the site map lies between their centres,
// and the shortest walk (Dijkstra) from a cell to every cell of a square
// window around it, as far as reachM. Computed per source cell on first
// use, so memory follows the cells devices actually visit.
import type { SiteLayout } from '../localize/layout.ts';
import { crossesWall } from '../site-map/wall-loss.ts';

export interface FloorGeodesics {
  cellM: number;
  nx: number;
  ny: number;
  /** Distances are quantized in steps of unitM; UNREACHED marks a cell beyond reach or walled off. */
  unitM: number;
  /** A window spans ±halfWindow cells around its source, row by row (2·halfWindow + 1 wide). */
  halfWindow: number;
  /**
   * Walking distance from `from` to `to` (cells j·nx + i) in units of unitM,
   * or UNREACHED: at(window(from), from, to).
   */
  window(from: number): Uint8Array;
  at(window: Uint8Array, from: number, to: number): number;
}

export const UNREACHED = 255;

const STEPS: readonly [number, number][] = [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1], [-1, 1], [-1, -1]];

export function floorGeodesics(layout: SiteLayout, floorIdx: number, cellM: number, reachM: number): FloorGeodesics {
  const nx = Math.max(1, Math.ceil(layout.floorWidthM[floorIdx] / cellM)), ny = Math.max(1, Math.ceil(layout.floorHeightM[floorIdx] / cellM));
  const walls = layout.floorWalls[floorIdx];
  const k = Math.ceil(reachM / cellM), w = 2 * k + 1, win = w * w;
  /** Distances in units of reachM / 254 (255: not reached); one window per source cell, allocated on first use. */
  const unitM = reachM / (UNREACHED - 1);
  const windows = new Map<number, Uint8Array>();
  /** Bit s set: the step STEPS[s] out of the cell crosses a wall (bit 8: computed). */
  const blocked = new Uint16Array(nx * ny);
  const dist = new Float64Array(win), heap = new Int32Array(win * 8), done = new Uint8Array(win);

  const stepsOut = (c: number): number => {
    if (blocked[c] & 256) return blocked[c];
    const i = c % nx, j = (c - i) / nx, ax = (i + 0.5) * cellM, ay = (j + 0.5) * cellM;
    let bits = 256;
    STEPS.forEach(([di, dj], s) => {
      if (crossesWall(walls, ax, ay, ax + di * cellM, ay + dj * cellM)) bits |= 1 << s;
    });
    return (blocked[c] = bits);
  };

  /** Dijkstra from cell `src` over its window (a lazy binary heap of window slots keyed by dist). */
  const windowOf = (src: number): Uint8Array => {
    const si = src % nx, sj = (src - si) / nx;
    dist.fill(Infinity);
    done.fill(0);
    const out = new Uint8Array(win).fill(UNREACHED);
    let size = 0;
    const push = (slot: number): void => {
      let p = size++;
      heap[p] = slot;
      while (p > 0) {
        const parent = (p - 1) >> 1;
        if (dist[heap[parent]] <= dist[heap[p]]) break;
        [heap[parent], heap[p]] = [heap[p], heap[parent]];
        p = parent;
      }
    };
    const pop = (): number => {
      const top = heap[0];
      heap[0] = heap[--size];
      let p = 0;
      for (;;) {
        const l = 2 * p + 1, r = l + 1;
        let m = p;
        if (l < size && dist[heap[l]] < dist[heap[m]]) m = l;
        if (r < size && dist[heap[r]] < dist[heap[m]]) m = r;
        if (m === p) break;
        [heap[m], heap[p]] = [heap[p], heap[m]];
        p = m;
      }
      return top;
    };
    const centre = k * w + k;
    dist[centre] = 0;
    push(centre);
    while (size > 0) {
      const slot = pop();
      if (done[slot]) continue;
      done[slot] = 1;
      const di0 = (slot % w) - k, dj0 = Math.floor(slot / w) - k;
      out[slot] = Math.min(Math.round(dist[slot] / unitM), UNREACHED - 1);
      const bits = stepsOut((sj + dj0) * nx + si + di0);
      for (let s = 0; s < 8; s++) {
        if (bits & (1 << s)) continue;
        const di = di0 + STEPS[s][0], dj = dj0 + STEPS[s][1];
        if (di < -k || di > k || dj < -k || dj > k || si + di < 0 || si + di >= nx || sj + dj < 0 || sj + dj >= ny) continue;
        const next = (dj + k) * w + di + k;
        const d = dist[slot] + (s < 4 ? cellM : cellM * Math.SQRT2);
        if (d < dist[next] && d <= reachM) {
          dist[next] = d;
          push(next);
        }
      }
    }
    return out;
  };

  return {
    cellM, nx, ny, unitM, halfWindow: k,
    window(from) {
      let wnd = windows.get(from);
      if (wnd === undefined) windows.set(from, (wnd = windowOf(from)));
      return wnd;
    },
    at(wnd, from, to) {
      const fi = from % nx, ti = to % nx;
      const di = ti - fi, dj = (to - ti) / nx - (from - fi) / nx;
      return di < -k || di > k || dj < -k || dj > k ? UNREACHED : wnd[(dj + k) * w + di + k];
    },
  };
}
