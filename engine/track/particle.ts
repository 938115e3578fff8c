// Tracking with walls: a particle filter over each device's fixes. Between
// fixes every particle takes a random step (sd track.particle.walkSdMps·dt, capped at
// maxSpeedMps·dt); a step through a wall of the site map is refused (the
// particle stays), so a track only changes room through a gap, as people do;
// a share of particles is redrawn around each fix so a cloud shut in the
// wrong room can still leave it.
// Each fix reweights the particles by a Gaussian likelihood of its error
// radius (inflated onto the gate for an outlier, as in the Kalman filter);
// the estimate is the weighted mean, the radius the weighted spread (never
// below minRadiusShare of the fix's; residual-share.ts floors it after
// tracking), then systematic resampling.
// Random numbers come from one seeded stream per device, in (tMs, device)
// order on one thread: same input, same tracks, whatever the worker count.
import { EstimatesBuilder } from '../pipeline/estimates.ts';
import type { SiteLayout } from '../localize/layout.ts';
import type { Estimates } from '../outputs.ts';
import { crossesWall } from '../site-map/wall-loss.ts';
import { between, whole, type Settings } from '../settings/rules.ts';
import type { SharedTrackSettings, Tracker } from './tracker.ts';

export interface ParticleSettings {
  /** Particles per device (memory and time grow with it). */
  count: number;
  /** Sd of a particle's random walk per second of elapsed time, m/s. */
  walkSdMps: number;
  /** Share of particles redrawn around each fix (recovery from a wrong room). */
  redrawShare: number;
}

export const PARTICLE_SETTINGS: Settings<ParticleSettings> = {
  defaults: { count: 100, walkSdMps: 0.3, redrawShare: 0.1 },
  rules: { count: whole(1, 100_000), walkSdMps: between(0, 20), redrawShare: between(0, 1) },
};

/** What the particle filter reads: the shared track settings and track.particle. */
export type ParticleTrackSettings = SharedTrackSettings & { particle: ParticleSettings };

export const particle: Tracker<ParticleTrackSettings> = {
  track: ({ fixes, devices, layout, fixRadiusScale }, cfg) => trackParticles(fixes, devices, layout, cfg, fixRadiusScale),
};

/** xorshift32 state per device, seeded from its index (never 0). */
function seedOf(device: number): number {
  return (Math.imul(device + 1, 0x9e3779b1) ^ 0x5bd1e995) >>> 0 || 1;
}

export function trackParticles(fixes: Estimates, devices: number, layout: SiteLayout, cfg: ParticleTrackSettings, fixRadiusScale: number): Estimates {
  const n = cfg.particle.count;
  const px = new Float64Array(devices * n), py = new Float64Array(devices * n);
  const w = new Float64Array(n);
  const rx = new Float64Array(n), ry = new Float64Array(n);
  const rng = Uint32Array.from({ length: devices }, (_, d) => seedOf(d));
  const lastTMs = new Float64Array(devices).fill(NaN);
  const floorOf = new Int16Array(devices);
  const floorIdx = new Map(Array.from(layout.floorId, (id, i) => [id, i]));
  let d = 0;
  const uniform = (): number => {
    let s = rng[d];
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    rng[d] = s;
    return s / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const out = new EstimatesBuilder(fixes.length);
  const fix = { x: 0, y: 0, floor: 0, errorRadiusM: 0, apsUsed: 0 };
  for (let i = 0; i < fixes.length; i++) {
    d = fixes.deviceIdx[i];
    const o = d * n, t = fixes.tMs[i], zx = fixes.x[i], zy = fixes.y[i];
    const f = floorIdx.get(fixes.floor[i]) ?? 0;
    const walls = layout.floorWalls[f], maxX = layout.floorWidthM[f], maxY = layout.floorHeightM[f];
    const sigma = fixes.errorRadiusM[i] / (fixRadiusScale * Math.SQRT2);
    const dtS = (t - lastTMs[d]) / 1000;
    if (!(dtS <= cfg.resetAfterS) || floorOf[d] !== fixes.floor[i]) {
      for (let k = 0; k < n; k++) {
        px[o + k] = clamp(zx + sigma * normal(), maxX);
        py[o + k] = clamp(zy + sigma * normal(), maxY);
      }
      floorOf[d] = fixes.floor[i];
    } else {
      const sd = cfg.particle.walkSdMps * dtS, maxStep = cfg.maxSpeedMps * dtS;
      for (let k = 0; k < n; k++) {
        let sx = sd * normal(), sy = sd * normal();
        const step = Math.hypot(sx, sy);
        if (step > maxStep) { sx *= maxStep / step; sy *= maxStep / step; }
        const ax = px[o + k], ay = py[o + k], bx = clamp(ax + sx, maxX), by = clamp(ay + sy, maxY);
        if (!crossesWall(walls, ax, ay, bx, by)) { px[o + k] = bx; py[o + k] = by; }
      }
      // Recovery: a few particles redrawn around the fix, so a cloud shut in the wrong room can leave it.
      const redraw = Math.round(cfg.particle.redrawShare * n);
      for (let k = 0; k < redraw; k++) {
        px[o + k] = clamp(zx + sigma * normal(), maxX);
        py[o + k] = clamp(zy + sigma * normal(), maxY);
      }
    }
    lastTMs[d] = t;
    // Gate: if even the closest particle is far beyond the fix's sigma, widen it onto the gate.
    let minD2 = Infinity;
    for (let k = 0; k < n; k++) minD2 = Math.min(minD2, (px[o + k] - zx) ** 2 + (py[o + k] - zy) ** 2);
    const var2 = 2 * sigma * sigma * Math.max(1, minD2 / (sigma * sigma) / cfg.gateChi2);
    let sw = 0, mx = 0, my = 0;
    for (let k = 0; k < n; k++) {
      w[k] = Math.exp(-((px[o + k] - zx) ** 2 + (py[o + k] - zy) ** 2 - minD2) / var2);
      sw += w[k]; mx += w[k] * px[o + k]; my += w[k] * py[o + k];
    }
    mx /= sw; my /= sw;
    let spread = 0;
    for (let k = 0; k < n; k++) spread += w[k] * ((px[o + k] - mx) ** 2 + (py[o + k] - my) ** 2);
    // Systematic resampling.
    const u0 = uniform() / n;
    for (let k = 0, j = 0, c = w[0] / sw; k < n; k++) {
      const u = u0 + k / n;
      while (u > c && j < n - 1) c += w[++j] / sw;
      rx[k] = px[o + j]; ry[k] = py[o + j];
    }
    px.set(rx, o); py.set(ry, o);
    fix.x = mx; fix.y = my; fix.floor = fixes.floor[i]; fix.apsUsed = fixes.apsUsed[i];
    fix.errorRadiusM = Math.max(Math.sqrt(spread / sw) * fixRadiusScale, cfg.minRadiusShare * fixes.errorRadiusM[i]);
    out.push(t, d, fix);
  }
  return out.build();
}

function clamp(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : v;
}
