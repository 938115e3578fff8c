// The twin's shadowing conditioned on the calibration part: where the real
// log measured a link, the simulated field is what it measured there, not a
// fresh random field. Each calibration reading's residual from the fitted
// model (line, walls, AP gain, device offset, body by heading) is averaged per
// (AP, floor, 0.5 m cell); a cell mean carries the slow component of its visit
// and the fast fading of its readings as noise. Simple kriging with the fitted
// field's covariance σ² e^(−h²/d²) over the nearest cells gives the field's
// mean m(x) and conditional variance v(x) anywhere; the twin's field is
// m(x) + √(v(x)) / σ · z(x), z the unconditioned field of the link (sd σ):
// the measured field near the calibration walk, the random one far from it.
import type { Site } from '../../engine/contract/site.ts';
import { orientationGainDb } from '../../sim/radio/body-orientation.ts';
import type { FieldConditioning, LinkField } from '../../sim/radio/channel.ts';
import type { ShadowingField } from '../../sim/radio/shadowing.ts';
import type { BandCalibration } from './calibrate.ts';
import type { BandRadio } from '../../scenarios/types.ts';
import { solve } from './robust.ts';
import { BANDS, type JoinedLog } from './samples.ts';

const CELL_M = 0.5;
/** Cells kriged from, the nearest within NEIGHBOUR_RANGE decorrelation distances. */
const NEIGHBOURS = 12;
const NEIGHBOUR_RANGE = 2.5;

interface Cell { x: number; y: number; mean: number; noiseDb2: number }

/** The calibration readings' residuals per (AP, floor) cell; `deviceIds` name the log's devices (for their offsets); `radio` is the band's section the twin runs. */
export function fieldConditioning(site: Site, cal: BandCalibration, log: JoinedLog, deviceIds: readonly string[], radio: BandRadio): FieldConditioning | null {
  // Kriging needs the field's covariance measured: without a fitted decorrelation (too few pairs of cells to see it)
  // a default one would make unmeasured points look predictable from their neighbours.
  const sigma = radio.shadowingSigmaDb, d = radio.shadowingDecorrelationM;
  if (!(sigma > 0) || cal.shadowingDecorrelationM === null) return null;
  const s = log.samples, b = BANDS.indexOf(cal.band);
  const wallLoss = Object.fromEntries(Object.entries(cal.wallLossDb).map(([m, e]) => [m, e.value]));
  const slow2 = (cal.slowSigmaDb?.value ?? 0) ** 2, fast2 = cal.fadingSigmaDb.value ** 2, tau = cal.slowCorrelationS?.value ?? 1;
  const groups = new Map<string, { ap: number; floor: number; cx: number; cy: number; sum: number; n: number; t0: number; t1: number }>();
  // Samples count walls per material in LinkGeometry.materials order: the site's materials, sorted.
  const allMaterials = [...new Set(site.walls.map((w) => w.material))].sort();
  for (let i = 0; i < s.length; i++) {
    if (s.band[i] !== b) continue;
    const ap = site.aps[s.ap[i]];
    let mean = s.txDbm[i] + (cal.apGainDb[ap.id]?.value ?? 0) + (cal.deviceOffsetDb[deviceIds[s.device[i]]]?.value ?? 0)
      + cal.rssiDbAt1m.value - 10 * cal.pathLossExponent.value * Math.log10(Math.max(s.distanceM[i], 0.1))
      - (cal.floorLossDb?.value ?? 0) * s.slabs[i];
    for (let m = 0; m < allMaterials.length; m++) if (s.walls[m][i] > 0) mean -= (wallLoss[allMaterials[m]] ?? 0) * s.walls[m][i];
    if (cal.orientationDepthDb && !Number.isNaN(s.headingRad[i])) mean += orientationGainDb(cal.orientationDepthDb.value, Math.atan2(ap.y - s.y[i], ap.x - s.x[i]), s.headingRad[i]);
    const cx = Math.floor(s.x[i] / CELL_M), cy = Math.floor(s.y[i] / CELL_M);
    const key = `${s.ap[i]}|${s.floor[i]}|${cx}|${cy}`;
    const g = groups.get(key) ?? { ap: s.ap[i], floor: s.floor[i], cx, cy, sum: 0, n: 0, t0: s.tMs[i], t1: s.tMs[i] };
    g.sum += s.rssiDbm[i] - mean; g.n++;
    g.t0 = Math.min(g.t0, s.tMs[i]); g.t1 = Math.max(g.t1, s.tMs[i]);
    groups.set(key, g);
  }
  const cells = new Map<string, Cell[]>();
  for (const g of groups.values()) {
    // The slow component is shared by a visit's readings: about one draw per correlation time.
    const noiseDb2 = slow2 / (1 + (g.t1 - g.t0) / 1000 / tau) + fast2 / g.n;
    const key = `${g.ap}|${g.floor}`;
    const list = cells.get(key) ?? [];
    // The field is a loss: a reading above the model is a negative loss.
    list.push({ x: (g.cx + 0.5) * CELL_M, y: (g.cy + 0.5) * CELL_M, mean: -g.sum / g.n, noiseDb2 });
    cells.set(key, list);
  }
  return (apIdx, floor, field) => {
    const list = cells.get(`${apIdx}|${floor}`);
    return list && list.length > 0 ? new ConditionedField(list, sigma, d, field) : field;
  };
}

class ConditionedField implements LinkField {
  readonly minDb: number;
  private readonly cache = new Map<string, number>();

  constructor(private readonly cells: Cell[], private readonly sigma: number, private readonly d: number, private readonly field: ShadowingField | null) {
    // No kriged mean goes below the lowest cell mean by more than its noise, nor the random part below its own minimum.
    this.minDb = Math.min(...cells.map((c) => c.mean - 3 * Math.sqrt(c.noiseDb2)), 0) + Math.min(field?.minDb ?? 0, 0);
  }

  atDb(x: number, y: number): number {
    const key = `${x}|${y}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const range2 = (NEIGHBOUR_RANGE * this.d) ** 2;
    const near = this.cells.map((c) => ({ c, h2: (c.x - x) ** 2 + (c.y - y) ** 2 })).filter((n) => n.h2 <= range2).sort((a, b) => a.h2 - b.h2).slice(0, NEIGHBOURS);
    const s2 = this.sigma ** 2;
    let mean = 0, variance = s2;
    if (near.length > 0) {
      const k = near.length, cov = (h2: number): number => s2 * Math.exp(-h2 / (this.d * this.d));
      const a = new Float64Array(k * k), rhs = Float64Array.from(near, (n) => cov(n.h2));
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) a[i * k + j] = cov((near[i].c.x - near[j].c.x) ** 2 + (near[i].c.y - near[j].c.y) ** 2) + (i === j ? near[i].c.noiseDb2 : 0);
      const wts = solve(a, rhs, k);
      if (!wts.some(Number.isNaN)) {
        for (let i = 0; i < k; i++) { mean += wts[i] * near[i].c.mean; variance -= wts[i] * rhs[i]; }
      }
    }
    const value = mean + (this.field ? (Math.sqrt(Math.max(variance, 0)) / this.sigma) * this.field.atDb(x, y) : 0);
    this.cache.set(key, value);
    return value;
  }
}
