// Survey-map localization: maximum likelihood over the cells of the survey
// radio map (engine/calibrate/survey-map.ts), which knows the site's own
// shadowing where the model alone cannot.
// Misfit of a cell: over the selected APs, Σ w·(rssi − offset − gain(cell))²
// after removing the weighted mean difference (the device's unknown gain and
// transmit power shift every AP alike), w = 1/σ² with σ² = the survey's
// reading spread² / reports + localize.map.errorSigmaDb². Likelihood
// exp(−misfit / 2). A mean pooled over many reports is first taken down by
// what censoring at the sensitivity adds to it, from the AP's share of the
// best-heard AP's reports (engine/calibrate/censoring.ts). The fix is the
// posterior mean over the walkable cells and its radius the posterior spread
// (plus the cell's own), scaled.
// Coarse to fine: one cell per block first, then every cell of the blocks
// around those within localize.map.coarseMarginChi2 of the best
// (localize.map.pooledMarginChi2 for a pooled fix).
// Without a map for the device's band it falls back to WLS.
import { censoredMeanBiasDb } from '../calibrate/censoring.ts';
import { floorAt } from './radius-floor.ts';
import type { RadioMap } from '../calibrate/radio-map.ts';
import { doubled } from '../contract/typed-arrays.ts';
import { selectStrongest } from './strongest.ts';
import type { Localizer } from './types.ts';
import { wls, type WlsTuning } from './wls.ts';
import { above, between, whole, type Settings } from '../settings/rules.ts';

export interface MapSettings {
  /**
   * Use at most this many APs per fix, strongest first (the map models weak,
   * far APs as well as near ones, and a weak AP still says "not near it"). The
   * misfit's cost grows with it. 20 rather than 12: on the real surveys of
   * `npm run realdata` the medians fall with every AP up to about 20 (UJI
   * library 1.73 -> 1.54 m, Wi-Fi month 2 2.69 -> 2.28 m) and no further at 32.
   */
  maxAps: number;
  /**
   * How far the kriged survey map itself is off, dB; added to the fading each
   * epoch's mean still carries (from the survey's own reading spread) to weigh
   * each AP. It also smooths the likelihood over cells.
   */
  errorSigmaDb: number;
  /**
   * A coarse block is searched cell by cell when its representative's misfit
   * (χ², weighted) is within this of the best one's (a block's best cell can
   * beat its representative by that much).
   */
  coarseMarginChi2: number;
  /**
   * The same margin for a fix from pooled means (its best-heard AP holds at
   * least censorMinReports reports: a stay). Their misfit climbs steeply away
   * from the best cell, so a block's representative 1.4 m from it can sit tens
   * above it, and at the per-epoch margin the right block is sometimes never
   * searched (test/censoring.test.ts).
   */
  pooledMarginChi2: number;
  /**
   * The fix is the mean of the likelihood raised to this power (1: the
   * posterior mean; larger leans towards the most likely cell, which a broad,
   * lopsided likelihood pulls less towards the floor's middle); its radius is
   * the sharpened spread times √sharpen (exact for a Gaussian).
   */
  sharpen: number;
  /**
   * The posterior spread times this is the reported errorRadiusM (only what
   * is reported: consumers divide it back out). The share of fixes within
   * their radius it gives: `ctsim run` metrics.json, perTech.*.localization.
   */
  radiusScale: number;
  /**
   * Once the device's best-heard AP holds at least this many reports, each
   * AP's mean is taken down by what censoring at the receiver's sensitivity
   * adds to it, from its share of those reports (engine/calibrate/censoring.ts);
   * the maximum = never. Fewer reports tell the share too coarsely (one epoch
   * of a phone: 1 of 2).
   */
  censorMinReports: number;
}

export const MAP_SETTINGS: Settings<MapSettings> = {
  defaults: { maxAps: 20, errorSigmaDb: 1.5, coarseMarginChi2: 6, pooledMarginChi2: 40, sharpen: 3, radiusScale: 0.6, censorMinReports: 20 },
  rules: {
    maxAps: whole(1, 100), errorSigmaDb: above(0, 20), coarseMarginChi2: between(0, 10_000), pooledMarginChi2: between(0, 10_000),
    sharpen: above(0, 20), radiusScale: above(0, 10), censorMinReports: whole(1, 1e9),
  },
};

/** Cells e^-9 as likely as the best add nothing to the mean. */
const NEGLIGIBLE_LOG_LIKELIHOOD = 9;

// Scratch, reused across fixes: the fine pass's cells and misfits, and a per-cell stamp so no cell is scored twice.
let fineCell = new Uint32Array(1024);
let fineCost = new Float64Array(1024);
let blockCost = new Float64Array(256);
let stamp = new Uint32Array(4096);
let fixNo = 0;

// The selection as the misfit reads it: each AP's column in the map row and its RSSI less the AP's offset.
let apCol = new Int32Array(16);
let level = new Float64Array(16);
let weight = new Float64Array(16);
let apN = 0;

/** Offset-invariant squared misfit of the selection at the map row starting at o. */
function misfit(gain: Float32Array, o: number, cols: Int32Array, lv: Float64Array, wt: Float64Array, n: number, sumW: number): number {
  let sum = 0, sumSq = 0;
  for (let i = 0; i < n; i++) {
    const r = lv[i] - gain[o + cols[i]];
    const wr = wt[i] * r;
    sum += wr;
    sumSq += wr * r;
  }
  return sumSq - (sum * sum) / sumW;
}

export const map: Localizer<WlsTuning & { map: MapSettings }> = {
  locate(model, readings) {
    if (!model.map) return wls.locate(model, readings);
    const sel = selectStrongest(model, readings, model.localize.map.maxAps);
    if (sel === null) return null;
    const { grid, apOffsetDb, readingSigmaDb } = model.map;
    const f = sel.floorIdx, aps = model.layout.apX.length;
    const gain = grid.gainDb[f], blocks = grid.walkable[f], nx = grid.nx[f];
    if (apCol.length < sel.count) {
      apCol = new Int32Array(sel.count);
      level = new Float64Array(sel.count);
      weight = new Float64Array(sel.count);
    }
    apN = sel.count;
    // Each AP's mean spreads around the map by its fading left after averaging its reports, plus the map's own error.
    const map2 = model.localize.map.errorSigmaDb ** 2, reading2 = readingSigmaDb ** 2;
    // Hearing shares against the best-heard AP, once it holds enough reports to tell (censoring.ts).
    let mostReports = 0;
    for (let i = 0; i < apN; i++) mostReports = Math.max(mostReports, sel.reports[i]);
    const censored = mostReports >= model.localize.map.censorMinReports;
    let sumW = 0;
    for (let i = 0; i < apN; i++) {
      apCol[i] = sel.apIdx[i];
      const censorDb = censored ? censoredMeanBiasDb(sel.reports[i] / mostReports) : 0;
      level[i] = sel.rssiDbm[i] - apOffsetDb[sel.apIdx[i]] - censorDb;
      weight[i] = 1 / (reading2 / sel.reports[i] + map2);
      sumW += weight[i];
    }
    const cols = apCol, lv = level, wt = weight;
    const nBlocks = blocks.rep.length, nby = nBlocks / blocks.nbx;
    if (blockCost.length < nBlocks) blockCost = new Float64Array(nBlocks);
    let bestBlock = Infinity;
    for (let b = 0; b < nBlocks; b++) {
      blockCost[b] = blocks.rep[b] < 0 ? Infinity : misfit(gain, blocks.rep[b] * aps, cols, lv, wt, apN, sumW);
      if (blockCost[b] < bestBlock) bestBlock = blockCost[b];
    }
    const cellCount = grid.nx[f] * grid.ny[f];
    if (stamp.length < cellCount) stamp = new Uint32Array(cellCount);
    fixNo = (fixNo + 1) >>> 0 || 1;
    let kept = 0, best = Infinity;
    const scoreBlock = (b: number): void => {
      for (let k = blocks.start[b]; k < blocks.start[b + 1]; k++) {
        const c = blocks.cells[k];
        if (stamp[c] === fixNo) continue;
        stamp[c] = fixNo;
        if (kept === fineCell.length) grow();
        // A block's first cell is its rep, which the coarse pass already scored.
        const cost = k === blocks.start[b] ? blockCost[b] : misfit(gain, c * aps, cols, lv, wt, apN, sumW);
        fineCell[kept] = c;
        fineCost[kept++] = cost;
        if (cost < best) best = cost;
      }
    };
    // Every cell of the blocks within the margin, and of the best block's neighbours (the optimum may sit across a block edge).
    // A stay's pooled means give a likelihood sharp enough that a block's representative can sit far above its best cell.
    const margin = bestBlock + (censored ? model.localize.map.pooledMarginChi2 : model.localize.map.coarseMarginChi2);
    for (let b = 0; b < nBlocks; b++) {
      if (blockCost[b] !== bestBlock) {
        if (blockCost[b] <= margin) scoreBlock(b);
        continue;
      }
      const bi = b % blocks.nbx, bj = (b - bi) / blocks.nbx;
      for (let j = Math.max(bj - 1, 0); j <= Math.min(bj + 1, nby - 1); j++) {
        for (let i = Math.max(bi - 1, 0); i <= Math.min(bi + 1, blocks.nbx - 1); i++) scoreBlock(j * blocks.nbx + i);
      }
    }
    const fix = posterior(grid, nx, kept, best, model.localize.map.sharpen, model.localize.map.radiusScale, model.layout.floorId[f], sel.count);
    // What the posterior misses where the map itself is off (its survey's own mismatch: engine/calibrate/map-radius.ts).
    let reports = 0;
    for (let i = 0; i < apN; i++) reports += sel.reports[i];
    fix.errorRadiusM = Math.hypot(fix.errorRadiusM, floorAt(model.map.radiusFloor, reports / apN));
    return fix;
  },
};

function grow(): void {
  fineCell = doubled(fineCell);
  fineCost = doubled(fineCost);
}

/** Mean and spread of the sharpened likelihood over the scored cells. */
function posterior(grid: RadioMap, nx: number, kept: number, best: number, sharpen: number, radiusScale: number, floor: number, apsUsed: number) {
  const cutoff = best + (2 * NEGLIGIBLE_LOG_LIKELIHOOD) / sharpen;
  const cellM = grid.cellM;
  let sw = 0, sx = 0, sy = 0, sxx = 0;
  for (let k = 0; k < kept; k++) {
    if (fineCost[k] > cutoff) continue;
    const w = Math.exp((-sharpen * (fineCost[k] - best)) / 2);
    const c = fineCell[k];
    const x = ((c % nx) + 0.5) * cellM, y = (Math.floor(c / nx) + 0.5) * cellM;
    sw += w;
    sx += w * x;
    sy += w * y;
    sxx += w * (x * x + y * y);
  }
  const x = sx / sw, y = sy / sw;
  const spread = Math.max(sxx / sw - x * x - y * y, 0) * sharpen + (cellM * cellM) / 6;
  return { x, y, floor, errorRadiusM: Math.sqrt(spread) * radiusScale, apsUsed };
}
