// Tracking on the floor plan: a hidden Markov model over each floor's grid
// cells (track.grid.cellM), smoothed forward-backward over a device's whole
// day. A fix's likelihood is a Gaussian of its error radius, evaluated only
// on the cells within supportSigmas of it; between fixes a device either
// stays (a Gaussian of stillSdM, prior share stillShare) or walks
// about walkSpeedMps·dt (give or take walkSdM, never beyond
// maxSpeedMps·dt), distances taken along the floor around the site's walls
// (geodesics.ts), not in a straight line: a track changes room only through a
// gap, and a walker's estimate cannot cut through a wall its fixes straddle.
// The walk's length is what a point fix's Kalman filter cannot use: with the
// fixes before and after, it pins a walker between them (turns included).
// Each estimate is the posterior mean of its epoch given all the day's fixes;
// its radius the posterior spread, never below track.minRadiusShare of the
// fix's (as every tracker's; then residual-share.ts floors it after tracking).
// Pure per device: the result does not depend on which devices share a worker.
import { rowsByDevice } from '../contacts/window-mean.ts';
import { concatEstimates } from '../pipeline/estimates.ts';
import type { SiteLayout } from '../localize/layout.ts';
import type { Estimates } from '../outputs.ts';
import { resized } from '../contract/typed-arrays.ts';
import { floorGeodesics, UNREACHED, type FloorGeodesics } from './geodesics.ts';
import { above, between, type Settings } from '../settings/rules.ts';
import type { SharedTrackSettings, Tracker } from './tracker.ts';

export interface GridSettings {
  /** Side of a floor cell, m (time and memory grow with its inverse square). */
  cellM: number;
  /** Walking distances are known as far as maxSpeedMps·reachS, m; after a longer gap a device that turns up farther off starts a new track. */
  reachS: number;
  /** A fix's likelihood is evaluated out to this many of its sigmas (beyond, the cell is taken as impossible). */
  supportSigmas: number;
  /**
   * ...and never farther than this, m (unless the track cannot reach that
   * disc). A wide fix (radii of 10-30 m) otherwise spans a thousand cells and
   * spreads the belief as wide, and each cell costs a step's whole reach.
   */
  supportMaxM: number;
  /** After each step, cells whose forward probability is below this share of the step's best are dropped (a beam: they barely move the mean). */
  beamShare: number;
  /** Prior share of fix-to-fix steps in which the device stays put (the rest walk). */
  stillShare: number;
  /** The same over the walks between pooled stays (track.walkFilter grid), where few steps stand still. */
  walkStillShare: number;
  /** How far a device that stays put still drifts between fixes (sd), m. */
  stillSdM: number;
  /** A walking device covers about this much per second between fixes, m/s... */
  walkSpeedMps: number;
  /** ...give or take this (walks start, stop and turn between fixes), m. */
  walkSdM: number;
}

export const GRID_SETTINGS: Settings<GridSettings> = {
  defaults: {
    cellM: 1.25, reachS: 10, supportSigmas: 2.5, supportMaxM: 12, beamShare: 0.01, stillShare: 0.2, walkStillShare: 0.05,
    stillSdM: 0.5, walkSpeedMps: 1.2, walkSdM: 1,
  },
  rules: {
    cellM: between(0.25, 10), reachS: above(0, 600), supportSigmas: above(0, 10), supportMaxM: above(0, 1000), beamShare: between(0, 1),
    stillShare: between(0, 1), walkStillShare: between(0, 1), stillSdM: above(0, 100), walkSpeedMps: between(0, 20), walkSdM: above(0, 100),
  },
};

/** What the grid tracker reads: the shared track settings and track.grid. */
export type GridTrackSettings = SharedTrackSettings & { grid: GridSettings };

export const grid: Tracker<GridTrackSettings> = {
  track: ({ fixes, devices, layout, fixRadiusScale, walks }, cfg) => trackGrid(fixes, devices, layout, cfg, fixRadiusScale, walks),
};

/** walks: the fixes are the walks between pooled stays (stillShare: grid.walkStillShare). */
export function trackGrid(fixes: Estimates, devices: number, layout: SiteLayout, cfg: GridTrackSettings, fixRadiusScale: number, walks = false): Estimates {
  const out = concatEstimates([fixes]);
  const floorIdx = new Map(Array.from(layout.floorId, (id, i) => [id, i]));
  const own = walks ? { ...cfg.grid, stillShare: cfg.grid.walkStillShare } : cfg.grid;
  const hmm = new DeviceHmm(cfg, own, fixRadiusScale);
  for (const rows of rowsByDevice(fixes, devices)) {
    if (rows.length === 0) continue;
    hmm.run(fixes, rows, (floor) => {
      const f = floorIdx.get(floor) ?? 0;
      return geodesicsOf(layout, f, own.cellM, cfg.maxSpeedMps * own.reachS);
    }, out);
  }
  return out;
}

// A worker tracks several device shards over the same floors: each floor's
// geodesic windows, filled in as walks reach their cells (about 0.3 s per
// shard on the office), are kept for the next shard. They depend on the
// layout and settings alone, so keeping them changes no output.
const geodesicsByLayout = new WeakMap<SiteLayout, Map<string, FloorGeodesics>>();

function geodesicsOf(layout: SiteLayout, floorIdx: number, cellM: number, reachM: number): FloorGeodesics {
  let kept = geodesicsByLayout.get(layout);
  if (kept === undefined) geodesicsByLayout.set(layout, (kept = new Map()));
  const key = `${floorIdx} ${cellM} ${reachM}`;
  let geo = kept.get(key);
  if (geo === undefined) kept.set(key, (geo = floorGeodesics(layout, floorIdx, cellM, reachM)));
  return geo;
}

/** One device's forward-backward pass; its buffers are reused from device to device. */
class DeviceHmm {
  /** Per step: its support cells [stepStart[k], stepStart[k + 1]) and their likelihood, forward and backward values. */
  private cell = new Uint32Array(4096);
  /** The cell's column and row. */
  private ci = new Int32Array(4096);
  private cj = new Int32Array(4096);
  private like = new Float64Array(4096);
  private alpha = new Float64Array(4096);
  private beta = new Float64Array(4096);
  private stepStart = new Uint32Array(1024);
  private restart = new Uint8Array(1024);
  private kernelTable = new Float64Array(UNREACHED + 1);
  private kernelDtS = NaN;
  private kernelGeo: FloorGeodesics | undefined;
  /** The kernel's reach in cells (Chebyshev): farther cells are beyond walking, T = 0. */
  private kernelCells = 0;
  /** Over a step's bounding box (this.box), row by row: the step's slot of each cell, or −1. */
  private slotOf = new Int32Array(4096);
  private box = { i0: 0, i1: 0, j0: 0, j1: 0, width: 0 };

  constructor(private readonly shared: SharedTrackSettings, private readonly cfg: GridSettings, private readonly radiusScale: number) {}

  run(fixes: Estimates, rows: Uint32Array, geoOf: (floor: number) => FloorGeodesics, out: Estimates): void {
    const cfg = this.cfg, shared = this.shared, m = rows.length;
    if (this.stepStart.length < m + 1) {
      this.stepStart = new Uint32Array(2 * m + 2);
      this.restart = new Uint8Array(2 * m + 2);
    }
    const geoAt: FloorGeodesics[] = new Array(m);
    let used = 0;
    // Forward: α_k(c) = L_k(c) Σ α_{k−1}(c') T(c' → c), then only the cells that matter are kept.
    for (let k = 0; k < m; k++) {
      const i = rows[k];
      const g = geoOf(fixes.floor[i]);
      geoAt[k] = g;
      const sigma = fixes.errorRadiusM[i] / (this.radiusScale * Math.SQRT2);
      const s0 = used;
      this.stepStart[k] = s0;
      const supportM = cfg.supportSigmas * Math.max(sigma, g.cellM);
      used = this.support(g, fixes.x[i], fixes.y[i], sigma, Math.min(supportM, cfg.supportMaxM), s0);
      const dtS = k === 0 ? Infinity : (fixes.tMs[i] - fixes.tMs[rows[k - 1]]) / 1000;
      let restart = !(dtS <= shared.resetAfterS) || g !== geoAt[k - 1];
      if (!restart) {
        let sum = this.predict(g, dtS, this.stepStart[k - 1], s0, used);
        // A wide fix whose capped support the track cannot reach: its whole support, as uncapped, before starting over.
        if (!(sum > 0) && supportM > cfg.supportMaxM) {
          used = this.support(g, fixes.x[i], fixes.y[i], sigma, supportM, s0);
          sum = this.predict(g, dtS, this.stepStart[k - 1], s0, used);
        }
        // Nothing reachable (a fix far off what walking allows): start over here.
        restart = !(sum > 0);
      }
      if (restart) for (let a = s0; a < used; a++) this.alpha[a] = this.like[a];
      this.restart[k] = restart ? 1 : 0;
      used = this.keepLikely(s0, used);
    }
    this.stepStart[m] = used;
    // Backward: β_k(c') = Σ T(c' → c) L_{k+1}(c) β_{k+1}(c); the posterior is α·β.
    for (let k = m - 1; k >= 0; k--) {
      const s0 = this.stepStart[k], s1 = this.stepStart[k + 1];
      const beta = this.beta, cell = this.cell, like = this.like, ci = this.ci, cj = this.cj;
      if (k === m - 1 || this.restart[k + 1]) {
        for (let b = s0; b < s1; b++) beta[b] = 1;
      } else {
        const g = geoAt[k + 1], s2 = this.stepStart[k + 2], kw = g.halfWindow, w = 2 * kw + 1;
        const kernel = this.kernel(g, (fixes.tMs[rows[k + 1]] - fixes.tMs[rows[k]]) / 1000), kr = this.kernelCells;
        const box = this.indexCells(s1, s2), slotOf = this.slotOf;
        let max = 0;
        for (let b = s0; b < s1; b++) {
          const wnd = g.window(cell[b]), bi = ci[b], bj = cj[b];
          const di0 = Math.max(-kr, box.i0 - bi), di1 = Math.min(kr, box.i1 - bi);
          const dj0 = Math.max(-kr, box.j0 - bj), dj1 = Math.min(kr, box.j1 - bj);
          let next = 0;
          for (let dj = dj0; dj <= dj1; dj++) {
            const row = (bj + dj - box.j0) * box.width - box.i0 + bi, wrow = (dj + kw) * w + kw;
            for (let di = di0; di <= di1; di++) {
              const a = slotOf[row + di];
              if (a >= 0) next += kernel[wnd[wrow + di]] * like[a] * beta[a];
            }
          }
          beta[b] = next;
          if (next > max) max = next;
        }
        for (let b = s0; b < s1; b++) beta[b] /= max;
      }
      this.writePosterior(geoAt[k], s0, s1, rows[k], fixes, out);
    }
  }

  /** α over the support [s0, end) from the previous step's [prev0, s0) times the likelihood; returns its sum. */
  private predict(g: FloorGeodesics, dtS: number, prev0: number, s0: number, end: number): number {
    const alpha = this.alpha, cell = this.cell, like = this.like, ci = this.ci, cj = this.cj, kw = g.halfWindow, w = 2 * kw + 1;
    const kernel = this.kernel(g, dtS), kr = this.kernelCells;
    for (let a = s0; a < end; a++) alpha[a] = 0;
    const box = this.indexCells(s0, end), slotOf = this.slotOf;
    // Each previous cell feeds only the support cells within the step's reach (the kernel is 0 beyond).
    for (let b = prev0; b < s0; b++) {
      const wnd = g.window(cell[b]), ab = alpha[b], bi = ci[b], bj = cj[b];
      const di0 = Math.max(-kr, box.i0 - bi), di1 = Math.min(kr, box.i1 - bi);
      const dj0 = Math.max(-kr, box.j0 - bj), dj1 = Math.min(kr, box.j1 - bj);
      for (let dj = dj0; dj <= dj1; dj++) {
        const row = (bj + dj - box.j0) * box.width - box.i0 + bi, wrow = (dj + kw) * w + kw;
        for (let di = di0; di <= di1; di++) {
          const a = slotOf[row + di];
          if (a >= 0) alpha[a] += ab * kernel[wnd[wrow + di]];
        }
      }
    }
    let sum = 0;
    for (let a = s0; a < end; a++) sum += alpha[a] *= like[a];
    return sum;
  }

  /** Drops the cells of [s0, end) whose α is negligible beside the best, scaling α to a max of 1; returns the new end. */
  private keepLikely(s0: number, end: number): number {
    let max = 0;
    for (let a = s0; a < end; a++) if (this.alpha[a] > max) max = this.alpha[a];
    let kept = s0;
    for (let a = s0; a < end; a++) {
      const v = this.alpha[a] / max;
      if (!(v >= this.cfg.beamShare)) continue;
      this.cell[kept] = this.cell[a];
      this.ci[kept] = this.ci[a];
      this.cj[kept] = this.cj[a];
      this.like[kept] = this.like[a];
      this.alpha[kept++] = v;
    }
    return kept;
  }

  /** T(from → to) over dtS by walking distance (in g's units): stay (Gaussian) or walk anywhere reachable at walking speed. */
  private kernel(g: FloorGeodesics, dtS: number): Float64Array {
    if (dtS === this.kernelDtS && g === this.kernelGeo) return this.kernelTable;
    const cfg = this.cfg, cell2 = g.cellM * g.cellM, still2 = cfg.stillSdM * cfg.stillSdM;
    const reachM = this.shared.maxSpeedMps * dtS + g.cellM;
    // Walking: a ring around walkSpeed·dt of spread gridWalkSdM (a walk that starts or stops within the step falls short), normalized over the disc of reach.
    const ringM = Math.min(cfg.walkSpeedMps * dtS, reachM), walk2 = cfg.walkSdM * cfg.walkSdM;
    let ringSum = 0;
    for (let u = 0; u < UNREACHED; u++) {
      const distM = u * g.unitM;
      if (distM > reachM) break;
      // Cells at this distance: the annulus of one unit's width.
      ringSum += Math.exp(-((distM - ringM) ** 2) / (2 * walk2)) * 2 * Math.PI * Math.max(distM, g.unitM / 2) * g.unitM / cell2;
    }
    // Beyond reach even staying put is out (its Gaussian there is below 1e-9 of its peak), so a step only looks kernelCells around.
    for (let u = 0; u < UNREACHED; u++) {
      const distM = u * g.unitM;
      const stay = (cfg.stillShare * cell2 * Math.exp(-(distM * distM) / (2 * still2))) / (2 * Math.PI * still2);
      const walk = ((1 - cfg.stillShare) * Math.exp(-((distM - ringM) ** 2) / (2 * walk2))) / ringSum;
      this.kernelTable[u] = distM <= reachM ? stay + walk : 0;
    }
    this.kernelTable[UNREACHED] = 0;
    // A cell c steps away is at least c·cellM along the floor, less half a unit of rounding.
    this.kernelCells = Math.min(g.halfWindow, Math.floor((reachM + g.unitM / 2) / g.cellM));
    this.kernelDtS = dtS;
    this.kernelGeo = g;
    return this.kernelTable;
  }

  /** Appends the cells within reachM of (x, y) with their likelihood; returns the new end. */
  private support(g: FloorGeodesics, x: number, y: number, sigma: number, reachM: number, at: number): number {
    const i0 = Math.max(0, Math.floor((x - reachM) / g.cellM)), i1 = Math.min(g.nx - 1, Math.floor((x + reachM) / g.cellM));
    const j0 = Math.max(0, Math.floor((y - reachM) / g.cellM)), j1 = Math.min(g.ny - 1, Math.floor((y + reachM) / g.cellM));
    const need = at + (i1 - i0 + 1) * (j1 - j0 + 1);
    if (need > this.cell.length) this.grow(need);
    const inv2s2 = 1 / (2 * sigma * sigma), r2 = reachM * reachM;
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const dx = (i + 0.5) * g.cellM - x, dy = (j + 0.5) * g.cellM - y, d2 = dx * dx + dy * dy;
        if (d2 > r2) continue;
        this.cell[at] = j * g.nx + i;
        this.ci[at] = i;
        this.cj[at] = j;
        this.like[at++] = Math.exp(-d2 * inv2s2);
      }
    }
    return at;
  }

  /** Indexes the cells of slots [s0, s1) by position over their bounding box (slotOf, box). */
  private indexCells(s0: number, s1: number): { i0: number; i1: number; j0: number; j1: number; width: number } {
    const box = this.box, ci = this.ci, cj = this.cj;
    // An empty step gets an empty box (i1 < i0), which no loop enters.
    box.i0 = box.j0 = s1 > s0 ? Infinity : 0;
    box.i1 = box.j1 = -1;
    for (let a = s0; a < s1; a++) {
      box.i0 = Math.min(box.i0, ci[a]);
      box.i1 = Math.max(box.i1, ci[a]);
      box.j0 = Math.min(box.j0, cj[a]);
      box.j1 = Math.max(box.j1, cj[a]);
    }
    box.width = box.i1 - box.i0 + 1;
    const size = box.width * (box.j1 - box.j0 + 1);
    if (size > this.slotOf.length) this.slotOf = new Int32Array(Math.max(size, 2 * this.slotOf.length));
    this.slotOf.fill(-1, 0, size);
    for (let a = s0; a < s1; a++) this.slotOf[(cj[a] - box.j0) * box.width + ci[a] - box.i0] = a;
    return box;
  }

  private writePosterior(g: FloorGeodesics, s0: number, s1: number, i: number, fixes: Estimates, out: Estimates): void {
    let sw = 0, sx = 0, sy = 0, sxx = 0;
    for (let a = s0; a < s1; a++) {
      const w = this.alpha[a] * this.beta[a];
      const x = (this.ci[a] + 0.5) * g.cellM, y = (this.cj[a] + 0.5) * g.cellM;
      sw += w; sx += w * x; sy += w * y; sxx += w * (x * x + y * y);
    }
    if (!(sw > 0)) return; // keeps the fix
    const x = sx / sw, y = sy / sw;
    const spread = Math.max(sxx / sw - x * x - y * y, 0) + (g.cellM * g.cellM) / 6;
    out.x[i] = x;
    out.y[i] = y;
    out.errorRadiusM[i] = Math.max(Math.sqrt(spread) * this.radiusScale, this.shared.minRadiusShare * fixes.errorRadiusM[i]);
  }

  private grow(need: number): void {
    const size = Math.max(need, this.cell.length * 2);
    this.cell = resized(this.cell, size);
    this.ci = resized(this.ci, size);
    this.cj = resized(this.cj, size);
    this.like = resized(this.like, size);
    this.alpha = resized(this.alpha, size);
    this.beta = resized(this.beta, size);
  }
}
