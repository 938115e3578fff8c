// Survey-map localization: maximum likelihood over the cells of the survey
// radio map (engine/calibrate/survey-map.ts), which knows the site's own
// shadowing where the model alone cannot. The fine pass also fits the
// carrier's body by its facing (localize.map.bodyDepthDb).
// Misfit of a cell: over the selected APs, Σ w·(rssi − offset − gain(cell))²
// after removing the weighted mean difference (the device's unknown gain and
// transmit power shift every AP alike), w = 1/σ² with σ² = the survey's
// reading spread² / reports + the log's slow spread² / epochs the reports
// span + localize.map.errorSigmaDb². Likelihood
// exp(−misfit / 2). With localize.map.mapVariance the cells a fix may be in
// are then scored again with each AP's σ² also holding the kriged map's own
// variance at the cell (its APs' mean prediction variance,
// RadioMap.cellVarDb2): a cell between survey points is known less well than
// one on a point, so its readings weigh less and its likelihood is broader
// (the Gaussian-process likelihood of Ferris, Hähnel and Fox, RSS 2006, with
// one variance per cell). A mean pooled over many reports is first taken down by
// what censoring at the sensitivity adds to it, from the AP's share of the
// best-heard AP's reports (engine/calibrate/censoring.ts). The fix is the
// posterior mean over the walkable cells and its radius the posterior spread
// (plus the cell's own), scaled, through the one error model (error-model.ts).
// Coarse to fine: one cell per block first, then every cell of the blocks
// around those within localize.map.coarseMarginChi2 of the best
// (localize.map.pooledMarginChi2 for a pooled fix). Either pass leaves a
// cell's misfit unfinished once its first APs alone put it where it cannot
// change the fix (misfits), so fixes are as from scoring every cell.
// Without a map for the device's band it falls back to WLS.
import { censoredMeanBiasDb } from '../calibrate/censoring.ts';
import { floorDiagonalM, honestRadius, reportsPerAp } from './error-model.ts';
import type { RadioMap, WalkableBlocks } from '../calibrate/radio-map.ts';
import { resized } from '../contract/typed-arrays.ts';
import { selectStrongest, type Selection } from './strongest.ts';
import type { Fix, LocalizeModel, Localizer, Readings, TechRadioMap } from './types.ts';
import { wls, type WlsTuning } from './wls.ts';
import { above, between, flag, whole, type Settings } from '../settings/rules.ts';

export interface MapSettings {
  /**
   * Use at most this many APs per fix, strongest first (the map models weak,
   * far APs as well as near ones, and a weak AP still says "not near it"). The
   * misfit's cost grows with it. 1-100. On the real surveys the medians fall
   * with every AP up to about 20 and no further at 32: 12, 20 and 32 on every
   * split in bench/results/map-settings.md.
   */
  maxAps: number;
  /**
   * How far the kriged survey map itself is off, dB; added to the fading each
   * epoch's mean still carries (from the survey's own reading spread) to weigh
   * each AP. It also smooths the likelihood over cells. Over 0, up to 20.
   * Half and twice it on the real surveys: bench/results/map-settings.md.
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
   * the sharpened spread times √sharpen (exact for a Gaussian). Over 0, up
   * to 20. 1 against 3 on real logs: bench/results/map-settings.md.
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
  /**
   * In a batch run, learn the log's device offset from the map from a sample
   * of its own epochs and give each fix's offset that prior
   * (engine/calibrate/map-drift.ts); off: any offset, alike. Off, every
   * real split's median is worse (bench/results/map-settings.md): a log's
   * phones read several dB off their survey's (UJI library, 13 dB).
   */
  offsetFromLog: boolean;
  /**
   * Peak-to-peak change of a carried device's readings as its carrier turns,
   * dB (the body between device and AP); 0: not modelled. A fix holds one
   * facing, so the body shifts each AP by (depth / 2)·cos(bearing to it −
   * facing), a pattern the survey (taken facing other ways, or many) lacks and
   * pooling a stay cannot average away: the misfit fits it as two more
   * unknowns, drawn to 0 by a facing-uniform prior (bodyMisfits), kept when
   * the readings are likelier with a facing than without. 6: the
   * median indoor depth of ble-6ft-mitll's rotations
   * (bench/results/body-orientation.md: 4.1-9.5 dB, phones in the hand, a
   * pocket, a purse). Its effect on real logs: bench/results/map-settings.md
   * (bodyDepthDb 0).
   */
  bodyDepthDb: number;
  /**
   * In a batch run, weigh each AP's mean also by what of the readings an
   * epoch does not average away, as the log's consecutive epochs tell it
   * (engine/calibrate/reading-spread.ts slowSpreads); off: readings of an
   * epoch are independent. Fixes of one report per AP do not feel it
   * (bench/results/map-settings.md); the calib2021 robot's walk, five reports
   * a link an epoch, does (test/slow-spread.test.ts).
   */
  slowFromLog: boolean;
  /**
   * Score the cells a fix may be in again with the kriged map's own variance
   * at each (its APs' mean prediction variance, RadioMap.cellVarDb2: low on a
   * surveyed point, the field's sill beyond a range from every one) added to
   * every AP's σ², so a cell between survey points has a broader likelihood
   * and a fix leans to where the survey knows the field. Off by default.
   * On real logs it lowers most medians and every p90
   * (bench/results/map-settings.md, and realdata.md's map+var rows). But the
   * radius calibration's left-out points never sit on a surveyed point, so
   * where the log's do (UJI library, earliest → later rows) its radii run
   * wide, past 0.76. It also costs about 5 % of the engine's throughput on
   * the benchmark file, which is already near its target.
   */
  mapVariance: boolean;
}

export const MAP_SETTINGS: Settings<MapSettings> = {
  defaults: { maxAps: 20, errorSigmaDb: 1.5, coarseMarginChi2: 6, pooledMarginChi2: 40, sharpen: 3, radiusScale: 0.6, censorMinReports: 20, offsetFromLog: true, bodyDepthDb: 6, slowFromLog: true, mapVariance: false },
  rules: {
    maxAps: whole(1, 100), errorSigmaDb: above(0, 20), coarseMarginChi2: between(0, 10_000), pooledMarginChi2: between(0, 10_000),
    sharpen: above(0, 20), radiusScale: above(0, 10), censorMinReports: whole(1, 1e9), offsetFromLog: flag, bodyDepthDb: between(0, 40), slowFromLog: flag, mapVariance: flag,
  },
};

/** Cells e^-9 as likely as the best add nothing to the mean. */
const NEGLIGIBLE_LOG_LIKELIHOOD = 9;

// Scratch, reused across fixes: the fine pass's cells (their map rows) and misfits, the representatives' misfits, and a
// per-block stamp so no block is taken twice (a cell belongs to one block).
let fineRow = new Int32Array(1024);
let fineCost = new Float64Array(1024);
/** Each scored row's Σ w·r (misfits), for withMapVariance. */
let fineSum = new Float64Array(1024);
let repCost = new Float64Array(256);
let repSum = new Float64Array(256);
let taken = new Uint32Array(256);
let fixNo = 0;
const firstRow = new Int32Array(1);

/** A floor's blocks that have a representative, ascending, and the representatives' map rows (cell·aps). */
interface Reps {
  aps: number;
  block: Uint32Array;
  row: Int32Array;
}
const repsOf = new WeakMap<WalkableBlocks, Reps>();

function repsFor(blocks: WalkableBlocks, aps: number): Reps {
  let r = repsOf.get(blocks);
  if (r === undefined || r.aps !== aps) {
    const block = Uint32Array.from(blocks.rep.keys()).filter((b) => blocks.rep[b] >= 0);
    r = { aps, block, row: Int32Array.from(block, (b) => blocks.rep[b] * aps) };
    repsOf.set(blocks, r);
  }
  return r;
}

// The selection as the misfit reads it: each AP's column in the map row, its RSSI less the AP's offset, its weight.
let apCol = new Int32Array(16);
let level = new Float64Array(16);
let weight = new Float64Array(16);
let apN = 0;
/** APs summed before a row's misfit bound is checked, and their summed weight. */
let checkN = 0;
let checkW = 0;
let sumW = 0;
/** Weight of the device-offset prior (1/σ², 0 when the offset is free), added to both sums' weights. */
let offsetW = 0;

/** APs summed before the bound is checked: enough to tell most far cells apart, few enough to leave most of the sum undone. */
const CHECK_APS = 4;

/**
 * Rounding margin of the bound, relative to the sums: a computed bound can
 * sit a few ulps (1e-16 relative) over the computed misfit of the same
 * row; this is ten million times that.
 */
const BOUND_TOLERANCE = 1e-9;

/**
 * Offset-invariant squared misfit of the selection at map rows rows[0, count)
 * (row offsets cell·aps), into out: Σ w·r² − (Σ w·r)²/Σ w over the selected
 * APs, r = level − gain.
 * Four rows at a time: a row's two sums wait on each addition, four rows'
 * do not wait on each other (1.5× faster). Each row's sums run over the APs
 * in selection order, as ever, so every misfit is the same to the bit.
 * The first checkN APs alone give a lower bound (the weighted spread about
 * the best offset never shrinks as APs are added): when all four rows' bounds
 * are over `least + margin`, least being the smallest misfit so far (this
 * call's or `floor`), the rows are left at Infinity, unfinished. Returns the
 * smallest misfit.
 */
function misfits(gain: Float32Array, rows: Int32Array, count: number, floor: number, margin: number, out: Float64Array, sums: Float64Array): number {
  const cols = apCol, lv = level, wt = weight, n = apN, cn = checkN, cw = checkW + offsetW, w = sumW + offsetW, scale = w / cw;
  let least = floor, k = 0;
  for (; k + 4 <= count; k += 4) {
    const o0 = rows[k], o1 = rows[k + 1], o2 = rows[k + 2], o3 = rows[k + 3];
    let s0 = 0, q0 = 0, s1 = 0, q1 = 0, s2 = 0, q2 = 0, s3 = 0, q3 = 0, i = 0;
    for (; i < cn; i++) {
      const c = cols[i], l = lv[i], wi = wt[i];
      const r0 = l - gain[o0 + c], r1 = l - gain[o1 + c], r2 = l - gain[o2 + c], r3 = l - gain[o3 + c];
      const w0 = wi * r0, w1 = wi * r1, w2 = wi * r2, w3 = wi * r3;
      s0 += w0; q0 += w0 * r0; s1 += w1; q1 += w1 * r1; s2 += w2; q2 += w2 * r2; s3 += w3; q3 += w3 * r3;
    }
    const limit = least + margin, slack = Math.abs(limit) * BOUND_TOLERANCE;
    if (
      q0 - (s0 * s0) / cw > limit + slack + q0 * scale * BOUND_TOLERANCE && q1 - (s1 * s1) / cw > limit + slack + q1 * scale * BOUND_TOLERANCE
      && q2 - (s2 * s2) / cw > limit + slack + q2 * scale * BOUND_TOLERANCE && q3 - (s3 * s3) / cw > limit + slack + q3 * scale * BOUND_TOLERANCE
    ) {
      out[k] = out[k + 1] = out[k + 2] = out[k + 3] = Infinity;
      continue;
    }
    for (; i < n; i++) {
      const c = cols[i], l = lv[i], wi = wt[i];
      const r0 = l - gain[o0 + c], r1 = l - gain[o1 + c], r2 = l - gain[o2 + c], r3 = l - gain[o3 + c];
      const w0 = wi * r0, w1 = wi * r1, w2 = wi * r2, w3 = wi * r3;
      s0 += w0; q0 += w0 * r0; s1 += w1; q1 += w1 * r1; s2 += w2; q2 += w2 * r2; s3 += w3; q3 += w3 * r3;
    }
    const m0 = q0 - (s0 * s0) / w, m1 = q1 - (s1 * s1) / w, m2 = q2 - (s2 * s2) / w, m3 = q3 - (s3 * s3) / w;
    out[k] = m0;
    out[k + 1] = m1;
    out[k + 2] = m2;
    out[k + 3] = m3;
    sums[k] = s0;
    sums[k + 1] = s1;
    sums[k + 2] = s2;
    sums[k + 3] = s3;
    least = Math.min(least, m0, m1, m2, m3);
  }
  for (; k < count; k++) {
    const o = rows[k];
    let sum = 0, sumSq = 0;
    for (let i = 0; i < n; i++) {
      const r = lv[i] - gain[o + cols[i]];
      const wr = wt[i] * r;
      sum += wr;
      sumSq += wr * r;
    }
    out[k] = sumSq - (sum * sum) / w;
    sums[k] = sum;
    if (out[k] < least) least = out[k];
  }
  return least;
}

// What bodyMisfits reads beside the selection: each selected AP's position, the grid's shape, the prior's weight on each of the pattern's two parts.
let apX = new Float64Array(16);
let apY = new Float64Array(16);
let bodyW = 0;
let gridNx = 0;
let gridCellM = 0;
let gridAps = 0;
/** −2 log of the readings' likelihood with a facing, at the likeliest row bodyMisfits scored (its doc). */
let bodyEvidence = Infinity;
/** The fine pass's plain misfits, kept while bodyMisfits writes over them. */
let plainCost = new Float64Array(1024);
const oneCost = new Float64Array(1);

/**
 * As misfits, with the carrier's body as two more unknowns: at a cell, AP i
 * at bearing θ also reads u·cos θ + v·sin θ ((u, v): depth / 2 along the
 * facing), under the prior N(0, depth²/8) each of a facing uniform on the
 * circle (in the misfit's units: over the readings' noise factor). Each
 * row's misfit is the least over the offset and (u, v) (closed form, a 2×2
 * system once the offset is out). It also keeps, in bodyEvidence, the
 * least of misfit + log(det H / λ²) over the rows (H the (u, v) normal
 * matrix with the prior's λ on its diagonal): −2 log of the readings'
 * likelihood with the facing integrated out, which a facing the readings do
 * not call for makes worse than the plain misfit's.
 * `finiteOnly`: rows whose misfit in out is Infinity stay so (a rescore).
 */
function bodyMisfits(gain: Float32Array, rows: Int32Array, count: number, floor: number, out: Float64Array, finiteOnly: boolean): number {
  const cols = apCol, lv = level, wt = weight, n = apN, w = sumW + offsetW;
  let least = floor;
  for (let k = 0; k < count; k++) {
    if (finiteOnly && out[k] === Infinity) continue;
    const o = rows[k], cell = o / gridAps;
    const x = ((cell % gridNx) + 0.5) * gridCellM, y = (Math.floor(cell / gridNx) + 0.5) * gridCellM;
    let sr = 0, srr = 0, sc = 0, ss = 0, scc = 0, sss = 0, scs = 0, src = 0, srs = 0;
    for (let i = 0; i < n; i++) {
      const wi = wt[i], r = lv[i] - gain[o + cols[i]];
      const dx = apX[i] - x, dy = apY[i] - y, inv = 1 / Math.sqrt(dx * dx + dy * dy + 1e-6), c = dx * inv, si = dy * inv;
      sr += wi * r; srr += wi * r * r; sc += wi * c; ss += wi * si;
      scc += wi * c * c; sss += wi * si * si; scs += wi * c * si; src += wi * r * c; srs += wi * r * si;
    }
    const acc = scc - (sc * sc) / w + bodyW, ass = sss - (ss * ss) / w + bodyW, acs = scs - (sc * ss) / w;
    const bc = src - (sr * sc) / w, bs = srs - (sr * ss) / w;
    const det = acc * ass - acs * acs, m = srr - (sr * sr) / w - (ass * bc * bc - 2 * acs * bc * bs + acc * bs * bs) / det;
    out[k] = m;
    if (m < least) least = m;
    const evidence = m + Math.log(det / (bodyW * bodyW));
    if (evidence < bodyEvidence) bodyEvidence = evidence;
  }
  return least;
}

/**
 * Scores again the cells of fineCost within `cutoff` (the others add nothing
 * to the fix) with the map's own variance there (cellVarDb2, its APs' mean
 * kriging variance) added to every AP's σ²: one factor g = 1 + v·w̄ on the
 * weights (w̄ their mean), so the misfit is (Σ w·r² − (Σ w·r)² / (Σ w + g·w₀)) / g
 * from the plain misfit's sums, plus the log of what it adds to the
 * determinant (g per AP; Σ w/g + w₀, the offset's, once it is integrated
 * out). `facing`: fineCost holds the misfits with the body's pattern
 * (bodyMisfits; plainCost the plain ones), which keep what it took off.
 * The cells scored are moved to the front of fineRow and fineCost (without a
 * variance, localize.map.mapVariance off, only moved); returns how many.
 */
function withMapVariance(gain: Float32Array, cellVarDb2: Float32Array | undefined, aps: number, kept: number, cutoff: number, facing: boolean): number {
  const w = sumW, w0 = offsetW, meanW = sumW / apN, n = apN;
  let count = 0;
  for (let k = 0; k < kept; k++) {
    if (fineCost[k] > cutoff) continue;
    const row = fineRow[k];
    if (cellVarDb2 === undefined) {
      fineCost[count] = fineCost[k];
      fineRow[count++] = row;
      continue;
    }
    let plain = facing ? plainCost[k] : fineCost[k], s = fineSum[k];
    // A stay's cells are all scored with the body's pattern, also those the plain pass left unfinished: their sums now.
    if (plain === Infinity) [plain, s] = plainSums(gain, row, w + w0);
    const g = 1 + meanW * cellVarDb2[row / aps], sq = plain + (s * s) / (w + w0);
    const cost = (sq - (s * s) / (w + g * w0)) / g + (n - 1) * Math.log(g) + Math.log((w + g * w0) / (w + w0));
    fineCost[count] = cost + fineCost[k] - plain;
    fineRow[count++] = row;
  }
  return count;
}

/** The plain misfit at map row `row` and its Σ w·r, as misfits sums them (w: the weights' sum with the offset prior's). */
function plainSums(gain: Float32Array, row: number, w: number): [number, number] {
  let sum = 0, sumSq = 0;
  for (let i = 0; i < apN; i++) {
    const r = level[i] - gain[row + apCol[i]], wr = weight[i] * r;
    sum += wr;
    sumSq += wr * r;
  }
  return [sumSq - (sum * sum) / w, sum];
}

/** Appends block b's cells' map rows to fineRow[kept, ...) unless it was taken this fix; the new count. */
function takeBlock(blocks: WalkableBlocks, b: number, aps: number, kept: number): number {
  if (taken[b] === fixNo) return kept;
  taken[b] = fixNo;
  const end = blocks.start[b + 1];
  if (kept + end - blocks.start[b] > fineRow.length) fineRow = resized(fineRow, 2 * (kept + end - blocks.start[b]));
  for (let k = blocks.start[b]; k < end; k++) fineRow[kept++] = blocks.cells[k] * aps;
  return kept;
}

export const map: Localizer<WlsTuning & { map: MapSettings }> = {
  ownRadius: 'posterior',
  locate(model, readings) {
    if (!model.map) return wls.locate(model, readings);
    const sel = selectStrongest(model, readings, model.localize.map.maxAps);
    if (sel === null) return null;
    const { grid } = model.map;
    const f = sel.floorIdx, aps = model.layout.apX.length;
    const gain = grid.gainDb[f], blocks = grid.walkable[f], nx = grid.nx[f];
    const censored = loadSelection(model, model.map, sel);
    const s = model.localize.map;
    checkN = Math.min(CHECK_APS, apN);
    checkW = 0;
    for (let i = 0; i < checkN; i++) checkW += weight[i];
    // Coarse pass: every block's representative; a block beyond the margin of the best so far is neither searched nor
    // the best, so its misfit may be left unfinished (misfits). The block under the strongest AP is scored first (and
    // again in turn, to the same misfit): a near best from the start leaves most of the others unfinished.
    const nBlocks = blocks.rep.length, nby = nBlocks / blocks.nbx;
    const reps = repsFor(blocks, aps), nReps = reps.block.length;
    if (repCost.length < nReps) {
      repCost = new Float64Array(nReps);
      repSum = new Float64Array(nReps);
    }
    const marginChi2 = censored ? s.pooledMarginChi2 : s.coarseMarginChi2;
    const first = blockAt(blocks, nx, grid.cellM, model.layout.apX[apCol[0]], model.layout.apY[apCol[0]]);
    let bestBlock = Infinity;
    if (first >= 0) {
      firstRow[0] = blocks.rep[first] * aps;
      bestBlock = misfits(gain, firstRow, 1, Infinity, marginChi2, repCost, repSum);
    }
    bestBlock = misfits(gain, reps.row, nReps, bestBlock, marginChi2, repCost, repSum);
    if (taken.length < nBlocks) taken = new Uint32Array(nBlocks);
    fixNo = (fixNo + 1) >>> 0 || 1;
    // Fine pass: every cell of the blocks within the margin, and of the best block's neighbours (the optimum may sit across a block edge).
    // A stay's pooled means give a likelihood sharp enough that a block's representative can sit far above its best cell.
    const margin = bestBlock + marginChi2;
    let kept = 0;
    for (let v = 0; v < nReps; v++) {
      const b = reps.block[v];
      if (repCost[v] !== bestBlock) {
        if (repCost[v] <= margin) kept = takeBlock(blocks, b, aps, kept);
        continue;
      }
      const bi = b % blocks.nbx, bj = (b - bi) / blocks.nbx;
      for (let j = Math.max(bj - 1, 0); j <= Math.min(bj + 1, nby - 1); j++) {
        for (let i = Math.max(bi - 1, 0); i <= Math.min(bi + 1, blocks.nbx - 1); i++) kept = takeBlock(blocks, j * blocks.nbx + i, aps, kept);
      }
    }
    // A cell past the posterior's cutoff from the best so far adds nothing to the fix: its misfit may be left unfinished.
    // The best block's representative is among the cells, so the best is at most bestBlock from the start.
    if (fineCost.length < kept) {
      fineCost = new Float64Array(fineRow.length);
      fineSum = new Float64Array(fineRow.length);
    }
    let best = misfits(gain, fineRow, kept, bestBlock, cutoffChi2(s.sharpen), fineCost, fineSum), chi2 = best, facing = false;
    // A map that is not finite somewhere (a survey it could not be built from) places nothing.
    if (Number.isNaN(best)) return null;
    // The fix holds one facing of its carrier: the fine pass fits the body's pattern with the position (bodyMisfits),
    // its prior weighed against the readings' own noise as their misfit shows it (χ²/dof over 1: noisier than the
    // weights say, so a pattern in them is less surely the body's), and keeps it only when the readings are likelier
    // with a facing than without (per fix: a per-cell Occam term would pull fixes to where the APs' bearings vary
    // least, and without one a few APs fit a facing that is not there). A stay's pooled means carry the pattern
    // whole: every cell is scored with it. An epoch's readings, noisier than the pattern, ask first at the plain
    // fix's best cell alone, and only if a facing is likelier there have the cells within the posterior's cutoff
    // rescored (as fixes from scoring every cell with it; asked so, a stay's pattern, which moves its plain fix off
    // the seat, is missed: body-orientation office badge 0.49 -> 0.56 m).
    if (s.bodyDepthDb > 0) {
      loadBody(model.layout.apX, model.layout.apY, s.bodyDepthDb, apN > 3 ? Math.max(best / (apN - 3), 1) : 1, nx, grid.cellM, aps);
      bodyEvidence = Infinity;
      if (!censored) {
        let at = 0;
        while (fineCost[at] !== best) at++;
        firstRow[0] = fineRow[at];
        bodyMisfits(gain, firstRow, 1, Infinity, oneCost, false);
      }
      if (censored || bodyEvidence < best) {
        if (!censored) {
          const cutoff = best + cutoffChi2(s.sharpen);
          for (let k = 0; k < kept; k++) if (fineCost[k] > cutoff) fineCost[k] = Infinity;
        }
        if (plainCost.length < kept) plainCost = new Float64Array(fineCost.length);
        plainCost.set(fineCost.subarray(0, kept));
        const bodyBest = bodyMisfits(gain, fineRow, kept, Infinity, fineCost, !censored);
        if (bodyEvidence >= best) fineCost.set(plainCost.subarray(0, kept));
        else {
          best = chi2 = bodyBest;
          facing = true;
        }
      }
    }
    const scored = withMapVariance(gain, grid.cellVarDb2?.[f], aps, kept, best + cutoffChi2(s.sharpen), facing);
    const fix = posterior(grid, nx, aps, scored, s.sharpen, s.radiusScale, model.layout.floorId[f], sel.count);
    // The best cell's misfit over its dof (APs less the offset and two coordinates) scales the radius where the readings
    // disagree with the map beyond its noise (an old survey, bodies); the survey's own calibration adds what the
    // posterior misses where the map itself is off (engine/localize/error-model.ts, engine/calibrate/map-radius.ts).
    const honest = honestRadius(model.map.radiusFloor, fix.errorRadiusM, chi2, apN - 3, reportsPerAp(sel.reports, apN), floorDiagonalM(model.layout, f));
    fix.errorRadiusM = honest.radiusM;
    fix.misfitScale = honest.misfitScale;
    if (honest.misfitRatio !== undefined) fix.misfitRatio = honest.misfitRatio;
    return fix;
  },
};

/**
 * How far an AP's mean of `reports` reports spreads around the map, dB²: the
 * fading left after averaging them, the slow part averaged over the epochs
 * they span (calibrate/reading-spread.ts slowSpreads), plus the map's own error.
 */
export function meanVarDb2(tm: Pick<TechRadioMap, 'readingSigmaDb' | 'slow'>, errorSigmaDb: number, reports: number): number {
  const perEpoch = tm.slow?.reportsPerEpoch ?? 1;
  return tm.readingSigmaDb ** 2 / reports + (tm.slow ? tm.slow.sigmaDb ** 2 : 0) / Math.max(1, reports / perEpoch) + errorSigmaDb ** 2;
}

/**
 * The selection as the misfit reads it (apCol, level, weight, apN, sumW,
 * offsetW): each AP's mean less its offset (the map's per-AP offset, the
 * log's device offset) and what censoring adds; its weight from the fading
 * its mean still carries and the map's own error. True when the means are
 * censor-corrected (a stay).
 */
function loadSelection(model: LocalizeModel<WlsTuning & { map: MapSettings }>, tm: TechRadioMap, sel: Selection): boolean {
  if (apCol.length < sel.count) {
    apCol = new Int32Array(sel.count);
    level = new Float64Array(sel.count);
    weight = new Float64Array(sel.count);
  }
  apN = sel.count;
  // Hearing shares against the best-heard AP, once it holds enough reports to tell (censoring.ts).
  let mostReports = 0;
  for (let i = 0; i < apN; i++) mostReports = Math.max(mostReports, sel.reports[i]);
  const censored = mostReports >= model.localize.map.censorMinReports;
  const deviceDb = tm.deviceOffset?.meanDb ?? 0;
  sumW = 0;
  for (let i = 0; i < apN; i++) {
    apCol[i] = sel.apIdx[i];
    const censorDb = censored ? censoredMeanBiasDb(sel.reports[i] / mostReports) : 0;
    level[i] = sel.rssiDbm[i] - tm.apOffsetDb[sel.apIdx[i]] - deviceDb - censorDb;
    weight[i] = 1 / meanVarDb2(tm, model.localize.map.errorSigmaDb, sel.reports[i]);
    sumW += weight[i];
  }
  offsetW = tm.deviceOffset ? 1 / tm.deviceOffset.sdDb ** 2 : 0;
  return censored;
}

/** The selection's AP positions and the grid's shape for bodyMisfits; the prior's weight from the body's depth and the readings' noise factor. */
function loadBody(x: Float64Array, y: Float64Array, depthDb: number, noise: number, nx: number, cellM: number, aps: number): void {
  if (apX.length < apN) {
    apX = new Float64Array(apCol.length);
    apY = new Float64Array(apCol.length);
  }
  for (let i = 0; i < apN; i++) {
    apX[i] = x[apCol[i]];
    apY[i] = y[apCol[i]];
  }
  bodyW = (8 / (depthDb * depthDb)) * noise;
  gridNx = nx;
  gridCellM = cellM;
  gridAps = aps;
}

/**
 * The device's offset from the map (beyond the log's, tm.deviceOffset) that
 * best fits the readings at (x, y) on their selection's floor, dB, as the
 * misfit takes it: the weighted mean of level − gain, drawn to 0 by the
 * log's offset prior when the map has one (none: any offset alike, as
 * engine/calibrate/map-drift.ts reads it); null without a selection. For
 * map-drift.ts and the fused localizer's WKNN (fused.ts).
 */
export function mapOffsetAt(model: LocalizeModel<WlsTuning & { map: MapSettings }>, readings: Readings, x: number, y: number): number | null {
  const tm = model.map;
  const sel = tm ? selectStrongest(model, readings, model.localize.map.maxAps) : null;
  if (!tm || sel === null) return null;
  loadSelection(model, tm, sel);
  const f = sel.floorIdx, aps = model.layout.apX.length, nx = tm.grid.nx[f];
  const i = Math.min(Math.max(Math.floor(x / tm.grid.cellM), 0), nx - 1), j = Math.min(Math.max(Math.floor(y / tm.grid.cellM), 0), tm.grid.ny[f] - 1);
  const row = (j * nx + i) * aps, gain = tm.grid.gainDb[f];
  let s = 0;
  for (let k = 0; k < apN; k++) s += weight[k] * (level[k] - gain[row + apCol[k]]);
  return s / (sumW + offsetW);
}

/** The block holding the cell under (x, y), −1 when it has no walkable cell. */
function blockAt(blocks: WalkableBlocks, nx: number, cellM: number, x: number, y: number): number {
  const i = Math.min(Math.max(Math.floor(x / cellM), 0), nx - 1), j = Math.max(Math.floor(y / cellM), 0);
  const b = Math.floor(j / blocks.step) * blocks.nbx + Math.floor(i / blocks.step);
  return b < blocks.rep.length && blocks.rep[b] >= 0 ? b : -1;
}

/** Misfit above the best cell's past which a cell's sharpened likelihood is negligible. */
const cutoffChi2 = (sharpen: number): number => (2 * NEGLIGIBLE_LOG_LIKELIHOOD) / sharpen;

/** Mean and spread of the sharpened likelihood over the scored cells. */
function posterior(grid: RadioMap, nx: number, aps: number, kept: number, sharpen: number, radiusScale: number, floor: number, apsUsed: number): Fix {
  let best = Infinity;
  for (let k = 0; k < kept; k++) best = Math.min(best, fineCost[k]);
  const cutoff = best + cutoffChi2(sharpen);
  const cellM = grid.cellM;
  let sw = 0, sx = 0, sy = 0, sxx = 0;
  for (let k = 0; k < kept; k++) {
    if (fineCost[k] > cutoff) continue;
    const w = Math.exp((-sharpen * (fineCost[k] - best)) / 2);
    const c = fineRow[k] / aps;
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
