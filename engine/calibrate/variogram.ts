// The distance over which a site's shadowing stays alike, read off its own
// survey: the empirical semivariogram of the model residuals (half the mean
// squared difference of one AP's residuals at two points, by their distance)
// fitted with the kriging covariance's shape, nugget + sill·(1 − e^(−h²/r²)).
// Bands differ (Wi-Fi's field is smoother than BLE's in the office), and a
// range off by a metre costs the map a tenth of a dB.

export interface ResidualPoint {
  /** Points are paired only within one (floor, AP) group. */
  group: number;
  x: number;
  y: number;
  residualDb: number;
}

/** Lags are binned this wide, metres. */
const LAG_BIN_M = 0.5;
/** Ranges are tried in steps of this, metres. */
const RANGE_STEP_M = 0.25;

/** The fitted semivariogram: its range, and its nugget (the lag-0 intercept: noise and whatever varies below the survey's spacing). */
export interface Variogram {
  rangeM: number;
  /** dB², NaN when the points are too few to tell. */
  nuggetDb2: number;
}

/**
 * The range r (metres, a multiple of RANGE_STEP_M in [minM, maxM]) whose
 * covariance shape best fits the semivariogram up to maxLagM, by least
 * squares over the lag bins weighted by their pairs, and that fit's nugget
 * (at least 0); `fallbackM` when the points are too few to tell or no shape
 * rises with the lag (a flat semivariogram: then the nugget is the shortest
 * lag's semivariance, all of it noise at the survey's spacing).
 */
export function fitVariogram(points: readonly ResidualPoint[], maxLagM: number, minM: number, maxM: number, fallbackM: number): Variogram {
  const bins = Math.ceil(maxLagM / LAG_BIN_M);
  const sumGamma = new Float64Array(bins), sumLag = new Float64Array(bins), pairs = new Float64Array(bins);
  const byGroup = new Map<number, ResidualPoint[]>();
  for (const p of points) {
    const g = byGroup.get(p.group);
    if (g) g.push(p);
    else byGroup.set(p.group, [p]);
  }
  for (const g of byGroup.values()) {
    for (let i = 0; i < g.length; i++) {
      for (let j = i + 1; j < g.length; j++) {
        const h = Math.hypot(g[i].x - g[j].x, g[i].y - g[j].y);
        if (h === 0 || h >= maxLagM) continue;
        const b = Math.floor(h / LAG_BIN_M);
        sumGamma[b] += 0.5 * (g[i].residualDb - g[j].residualDb) ** 2;
        sumLag[b] += h;
        pairs[b]++;
      }
    }
  }
  const used = [...pairs.keys()].filter((b) => pairs[b] > 0);
  if (used.length < 3) return { rangeM: fallbackM, nuggetDb2: NaN };
  let best = fallbackM, bestNugget = sumGamma[used[0]] / pairs[used[0]], bestSse = Infinity;
  for (let r = minM; r <= maxM + 1e-9; r += RANGE_STEP_M) {
    // Weighted least squares of γ = nugget + sill·s(h), s = 1 − e^(−h²/r²): two unknowns, closed form.
    let sw = 0, ss = 0, sg = 0, sss = 0, ssg = 0;
    for (const b of used) {
      const w = pairs[b], h = sumLag[b] / w, g = sumGamma[b] / w, s = 1 - Math.exp(-(h * h) / (r * r));
      sw += w;
      ss += w * s;
      sg += w * g;
      sss += w * s * s;
      ssg += w * s * g;
    }
    const det = sw * sss - ss * ss;
    if (det <= 0) continue;
    const sill = (sw * ssg - ss * sg) / det, nugget = (sg - sill * ss) / sw;
    if (sill <= 0) continue;
    let sse = 0;
    for (const b of used) {
      const h = sumLag[b] / pairs[b], s = 1 - Math.exp(-(h * h) / (r * r));
      sse += pairs[b] * (sumGamma[b] / pairs[b] - nugget - sill * s) ** 2;
    }
    if (sse < bestSse) {
      bestSse = sse;
      best = r;
      bestNugget = Math.max(nugget, 0);
    }
  }
  return { rangeM: best, nuggetDb2: bestNugget };
}
