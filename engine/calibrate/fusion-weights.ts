// The fused localizer's weights (engine/localize/fused.ts), by evidence from
// the survey itself: the points map-radius.ts leaves out of a rebuilt map are
// located by each candidate (the map on the rebuilt map, WKNN on the points
// kept) at each of its evidence levels (1, 4, 16, ... reports averaged per
// AP), and the weights at a level are those of the least-variance unbiased
// mean of the candidates, from the covariance of their errors there
// (inverse-variance weighting that also knows how far their errors go
// together). A candidate that fails on the site's geometry (WKNN between
// sparse points) shows it there and weighs little. It is the survey's own
// mismatch: what ages between the survey and a later day shows in each fix's
// misfit instead (the median misfit kept here is what fused.ts compares it with).
// Two things the left-out points read unlike a fix in use, both set right
// from the radio model rather than taken as measured:
// - the rebuilt map knows a left-out point less well than the full map knows
//   where devices are (its kriging variance there against the full map's
//   over the walkable cells: the ideal retail store's BLE 5.5 against
//   0.95 dB², the UJI library's 1.9 against 2.6 where its survey covers
//   part of the floor), so the map's errors are scaled by how much more an
//   AP's mean spreads around each map (mapInUse);
// - past the survey's readings per point (a stay pools hundreds of reports,
//   a survey point a handful) the map's errors go on shrinking as the
//   spread of the means does, WKNN's stay at the top level's: its fix is a
//   mean of surveyed points, and a left-out point of a regular survey sits
//   centred among its neighbours, so its pull to them, what remains of its
//   error once the fading is averaged away, shows nowhere there (the retail
//   store's Wi-Fi: 79 → 23 m² from 1 to 4 reports, a fall that does not carry on).
import type { SurveyBatch } from '../contract/survey.ts';
import { FUSED_PARTS, wknnOf } from '../localize/fused.ts';
import type { LocalizeTuning } from '../localize/index.ts';
import type { SiteLayout } from '../localize/layout.ts';
import { map, mapOffsetAt } from '../localize/map.ts';
import { localizeModel } from '../localize/model.ts';
import type { SurveyFingerprints } from '../localize/survey-knn.ts';
import type { Fix, Fusion, TechRadioMap } from '../localize/types.ts';
import { errorInUse, EVIDENCE_LEVELS, leftPoints, MIN_FIXES, pointEpochs, type MapHandicap, type ReadingNoise } from './map-radius.ts';
import type { RadioMap } from './radio-map.ts';
import type { RangingModel } from './ranging.ts';

/** A candidate's mean squared error below (0.1 m)² is taken as that: one exact on every left-out point leaves the covariance solvable. */
const MIN_MSE_M2 = 0.01;


/**
 * Per evidence level (reports per AP: EVIDENCE_LEVELS, measured as far as
 * the points have readings, beyond from the top one measured) and per
 * candidate (FUSED_PARTS order), its weight in use (MapHandicap) and median
 * misfit over its fixes of the `left` rows of band `band` (index into
 * SURVEY_BANDS), located with the map `grid` and the point fingerprints
 * `kept` built without them; null when too few single-report fixes are placed
 * on their floor by every candidate.
 */
export function fusionWeights(
  grid: RadioMap, kept: SurveyFingerprints, noise: ReadingNoise, left: SurveyBatch, band: number, layout: SiteLayout, ranging: RangingModel, localize: LocalizeTuning,
  handicap: MapHandicap,
): Omit<Fusion, 'points'> | null {
  const parts = FUSED_PARTS.length;
  const techMap: TechRadioMap = {
    grid, apOffsetDb: new Float32Array(layout.apX.length), ...noise, radiusFloor: { reports: [], floorM: [] },
    fusion: { points: kept, reports: [1], weights: [new Float64Array(parts)], misfit: [new Float64Array(parts)] },
  };
  const model = localizeModel(layout, ranging, localize, { map: techMap });
  const points = leftPoints(left, band);
  const out: Omit<Fusion, 'points'> = { reports: [], weights: [], misfit: [] };
  const inUse = (reports: number, at = reports): number => errorInUse(handicap, noise, localize.map.errorSigmaDb, reports, at);
  let top: Float64Array | undefined;
  for (const level of EVIDENCE_LEVELS) {
    // Error cross products of the candidates over the left-out fixes all of them place on the right floor.
    const cov = new Float64Array(parts * parts), dx = new Float64Array(parts), dy = new Float64Array(parts);
    const misfits: number[][] = FUSED_PARTS.map(() => []);
    let n = 0;
    for (const p of points) {
      for (const readings of pointEpochs(p, level)) {
        const m = map.locate(model, readings), w = m && wknnOf(techMap, readings, localize.fused.wknnK, mapOffsetAt(model, readings, m.x, m.y) ?? 0);
        const fixes: (Pick<Fix, 'x' | 'y' | 'floor'> | null)[] = [m, w];
        if (fixes.some((f) => f === null || f.floor !== p.floor)) continue;
        misfits[0].push((m!.misfitScale ?? 1) ** 2);
        misfits[1].push(w!.nearestDist2);
        fixes.forEach((f, k) => {
          dx[k] = f!.x - p.x;
          dy[k] = f!.y - p.y;
        });
        for (let a = 0; a < parts; a++) for (let b = 0; b < parts; b++) cov[a * parts + b] += dx[a] * dx[b] + dy[a] * dy[b];
        n++;
      }
    }
    if (n < MIN_FIXES) break;
    for (let k = 0; k < parts; k++) cov[k * parts + k] = Math.max(cov[k * parts + k], n * MIN_MSE_M2);
    top = cov.map((v) => v / n);
    out.reports.push(level);
    out.weights.push(blueWeights(mapInUse(top, inUse(level)), parts));
    out.misfit.push(Float64Array.from(misfits, median));
  }
  if (top === undefined) return null;
  const last = out.reports[out.reports.length - 1];
  for (const level of EVIDENCE_LEVELS.filter((l) => l > last)) {
    out.reports.push(level);
    out.weights.push(blueWeights(mapInUse(top, inUse(level, last)), parts));
    out.misfit.push(out.misfit[out.misfit.length - 1]);
  }
  return out;
}

/** The candidates' error cross products (map first) with the map's errors scaled by `factor` in variance, their correlation kept. */
function mapInUse(cov: Float64Array, factor: number): Float64Array {
  const parts = FUSED_PARTS.length, out = Float64Array.from(cov);
  out[0] *= factor;
  for (let k = 1; k < parts; k++) out[k] = out[k * parts] = cov[k] * Math.sqrt(factor);
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/**
 * The weights of the least-variance unbiased mean of estimates whose errors
 * have covariance `cov` (parts × parts): Σ⁻¹1 / 1ᵀΣ⁻¹1, by the candidates
 * kept; a candidate with a negative weight is left out (weight 0) and the
 * rest solved again, so every weight is ≥ 0 and they sum to 1.
 */
export function blueWeights(cov: Float64Array, parts: number): Float64Array {
  const on = new Array<boolean>(parts).fill(true);
  for (;;) {
    const idx = on.flatMap((o, k) => (o ? [k] : []));
    const w = solve(idx.map((a) => idx.map((b) => cov[a * parts + b])), idx.map(() => 1));
    const sum = w.reduce((s, v) => s + v, 0);
    const worst = w.indexOf(Math.min(...w));
    if (w[worst] < 0 && idx.length > 1) {
      on[idx[worst]] = false;
      continue;
    }
    const out = new Float64Array(parts);
    idx.forEach((k, i) => (out[k] = w[i] / sum));
    return out;
  }
}

/** x with A x = b (Gauss-Jordan with partial pivoting; A is small and positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length, m = a.map((row, i) => [...row, b[i]]);
  for (let i = 0; i < n; i++) {
    let p = i;
    for (let k = i + 1; k < n; k++) if (Math.abs(m[k][i]) > Math.abs(m[p][i])) p = k;
    [m[i], m[p]] = [m[p], m[i]];
    for (let k = 0; k < n; k++) {
      if (k === i) continue;
      const f = m[k][i] / m[i][i];
      for (let j = i; j <= n; j++) m[k][j] -= f * m[i][j];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}
