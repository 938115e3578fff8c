// The grid tracker (engine/track/grid-hmm.ts) and its walking distances on hand-made floors with known answers.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/config.ts';
import { EstimatesBuilder } from '../engine/pipeline/estimates.ts';
import { siteLayout } from '../engine/localize/layout.ts';
import type { Estimates } from '../engine/outputs.ts';
import type { Site } from '../engine/contract/site.ts';
import { floorGeodesics, UNREACHED } from '../engine/track/geodesics.ts';
import { trackGrid } from '../engine/track/grid-hmm.ts';
import { lcg, makeSite } from './helpers/synthetic.ts';

const TRACK = DEFAULT_CONFIG.track;
const SCALE = DEFAULT_CONFIG.localize.map.radiusScale;

/** A 30 × 20 m floor split at y = 10 by a concrete wall with a 2 m door at x 14-16. */
function walledSite(): Site {
  const site = makeSite();
  site.walls = [
    { floor: 0, x1: 0, y1: 10, x2: 14, y2: 10, material: 'concrete', lossDb: 12 },
    { floor: 0, x1: 16, y1: 10, x2: 30, y2: 10, material: 'concrete', lossDb: 12 },
  ];
  return site;
}

/** The true path: seated at (5, 5) for 60 s, a walk at 1.2 m/s through the door to (25, 15), seated there 60 s. */
const WAYPOINTS: [number, number][] = [[5, 5], [15, 8], [15, 12], [25, 15]];
function truthAt(tS: number): { x: number; y: number; moving: boolean } {
  let walkedM = Math.max(0, tS - 60) * 1.2;
  for (let i = 1; i < WAYPOINTS.length; i++) {
    const [ax, ay] = WAYPOINTS[i - 1], [bx, by] = WAYPOINTS[i], legM = Math.hypot(bx - ax, by - ay);
    if (walkedM <= legM) return { x: ax + ((bx - ax) * walkedM) / legM, y: ay + ((by - ay) * walkedM) / legM, moving: tS > 60 };
    walkedM -= legM;
  }
  return { x: 25, y: 15, moving: false };
}

/** Fixes every 5 s along the path, noise sd 1.2 m per axis, radius honest for it. */
function fixesOf(seed: number): Estimates {
  const rng = lcg(seed);
  const b = new EstimatesBuilder();
  for (let tS = 0; tS <= 180; tS += 5) {
    const p = truthAt(tS);
    b.push(tS * 1000, 0, { x: p.x + 1.2 * rng.normal(), y: p.y + 1.2 * rng.normal(), floor: 0, errorRadiusM: 1.2 * Math.SQRT2 * SCALE, apsUsed: 6 });
  }
  return b.build();
}

function medianOf(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

describe('walking distances', () => {
  it('go round a wall through its door, and stop at the reach', () => {
    const site = makeSite();
    site.walls = [
      { floor: 0, x1: 0, y1: 10, x2: 8, y2: 10, material: 'concrete', lossDb: 12 },
      { floor: 0, x1: 10, y1: 10, x2: 30, y2: 10, material: 'concrete', lossDb: 12 },
    ];
    const g = floorGeodesics(siteLayout(site), 0, 1, 20);
    const cell = (i: number, j: number): number => j * g.nx + i;
    const from = cell(5, 9), w = g.window(from);
    expect(g.at(w, from, cell(6, 9)) * g.unitM).toBeCloseTo(1, 1);
    // (5, 9) -> (5, 10) is 1 m straight through the wall: 3 m along it to the door and 3 m back.
    expect(g.at(w, from, cell(5, 10)) * g.unitM).toBeCloseTo(2 + Math.SQRT2 + 3, 1);
    // Beyond the 20 m reach, and a cell across the wall whose detour exceeds it.
    expect(g.at(w, from, cell(29, 9))).toBe(UNREACHED);
    const short = floorGeodesics(siteLayout(walledSite()), 0, 1, 8);
    expect(short.at(short.window(cell(3, 9)), cell(3, 9), cell(3, 10))).toBe(UNREACHED);
    expect(short.at(short.window(cell(13, 9)), cell(13, 9), cell(13, 10)) * short.unitM).toBeCloseTo(Math.SQRT2 + 1, 1);
  });
});

describe('grid tracking', () => {
  it('beats the raw fixes by ≥ 25% while walking through a door and ≥ 45% when seated', () => {
    const layout = siteLayout(walledSite());
    const walkErr: number[] = [], rawWalk: number[] = [], stillErr: number[] = [], rawStill: number[] = [];
    for (let seed = 1; seed <= 5; seed++) {
      const fixes = fixesOf(seed);
      const out = trackGrid(fixes, 1, layout, TRACK, SCALE);
      for (let i = 0; i < fixes.length; i++) {
        const p = truthAt(fixes.tMs[i] / 1000);
        (p.moving ? walkErr : stillErr).push(Math.hypot(out.x[i] - p.x, out.y[i] - p.y));
        (p.moving ? rawWalk : rawStill).push(Math.hypot(fixes.x[i] - p.x, fixes.y[i] - p.y));
      }
    }
    expect(medianOf(walkErr)).toBeLessThan(0.75 * medianOf(rawWalk));
    expect(medianOf(stillErr)).toBeLessThan(0.55 * medianOf(rawStill));
  });

  it('tracks as without its beam and support cap: to 10 cm on narrow fixes, within 5% of the error on wide ones', () => {
    const layout = siteLayout(makeSite());
    const unpruned = { ...TRACK, grid: { ...TRACK.grid, supportMaxM: Infinity, beamShare: 0 } };
    for (const [sdM, errRatio] of [[2, 1.001], [6, 1.05]]) {
      const err: number[] = [], errUnpruned: number[] = [], shift: number[] = [];
      for (let seed = 1; seed <= 5; seed++) {
        // A walk east at 1.2 m/s for 120 s, then a minute standing; fixes every 5 s, noise sdM per axis.
        const rng = lcg(seed), b = new EstimatesBuilder(), truth: [number, number][] = [];
        for (let k = 0; k <= 36; k++) {
          const x = 3 + Math.min(6 * k, 24);
          truth.push([x, 10]);
          b.push(k * 5000, 0, { x: x + sdM * rng.normal(), y: 10 + sdM * rng.normal(), floor: 0, errorRadiusM: sdM * Math.SQRT2 * SCALE, apsUsed: 6 });
        }
        const fixes = b.build(), out = trackGrid(fixes, 1, layout, TRACK, SCALE), ref = trackGrid(fixes, 1, layout, unpruned, SCALE);
        truth.forEach(([x, y], k) => {
          err.push(Math.hypot(out.x[k] - x, out.y[k] - y));
          errUnpruned.push(Math.hypot(ref.x[k] - x, ref.y[k] - y));
          shift.push(Math.hypot(out.x[k] - ref.x[k], out.y[k] - ref.y[k]));
        });
      }
      // Narrow fixes (support under the cap): only the beam acts, moving no estimate by 10 cm.
      if (sdM === 2) expect(Math.max(...shift)).toBeLessThan(0.1);
      // Wide ones (support 15 m, capped at 12): 3.15 against 3.08 m, estimates typically 0.36 m apart.
      expect(medianOf(err)).toBeLessThan(errRatio * medianOf(errUnpruned));
      expect(medianOf(shift)).toBeLessThan(sdM / 10);
    }
  });

  it('keeps a seated device on its side of the wall when a third of its fixes land across', () => {
    const layout = siteLayout(walledSite());
    const rng = lcg(9);
    const b = new EstimatesBuilder();
    for (let k = 0; k < 60; k++) b.push(k * 5000, 0, { x: 5 + 2 * rng.normal(), y: 8.5 + 2 * rng.normal(), floor: 0, errorRadiusM: 2 * Math.SQRT2 * SCALE, apsUsed: 6 });
    const fixes = b.build();
    const out = trackGrid(fixes, 1, layout, TRACK, SCALE);
    let fixesAcross = 0, tracksAcross = 0;
    for (let k = 0; k < 60; k++) {
      if (fixes.y[k] > 10) fixesAcross++;
      if (out.y[k] > 10) tracksAcross++;
    }
    expect(fixesAcross).toBeGreaterThan(8);
    expect(tracksAcross).toBe(0);
  });

  it('restarts on a floor change and after a long gap, keeps devices apart, is deterministic, and reports no radius below its floor', () => {
    const layout = siteLayout(makeSite(2));
    // Fixes of σ = 2 m per axis.
    const R = 2 * Math.SQRT2 * SCALE;
    const b = new EstimatesBuilder();
    b.push(0, 0, { x: 5, y: 5, floor: 0, errorRadiusM: R, apsUsed: 4 });
    b.push(0, 1, { x: 25, y: 15, floor: 0, errorRadiusM: R, apsUsed: 4 });
    b.push(5000, 0, { x: 20, y: 5, floor: 1, errorRadiusM: R, apsUsed: 4 });
    b.push(5000, 1, { x: 25, y: 15, floor: 0, errorRadiusM: R, apsUsed: 4 });
    b.push(10000, 0, { x: 20.5, y: 5, floor: 1, errorRadiusM: R, apsUsed: 4 });
    b.push(10000 + (TRACK.resetAfterS + 1) * 1000, 0, { x: 2, y: 2, floor: 1, errorRadiusM: R, apsUsed: 4 });
    const fixes = b.build();
    const out = trackGrid(fixes, 2, layout, TRACK, SCALE);
    // Device 0's first fix and its floor-1 track sit where their own fixes say (a 15 m jump in 5 s is no walk, and floors differ).
    expect(Math.hypot(out.x[0] - 5, out.y[0] - 5)).toBeLessThan(1);
    expect(Math.hypot(out.x[2] - 20.25, out.y[2] - 5)).toBeLessThan(1);
    expect(Math.hypot(out.x[5] - 2, out.y[5] - 2)).toBeLessThan(1);
    // Device 1 never moves from its fixes' cell.
    expect(Math.hypot(out.x[3] - 25, out.y[3] - 15)).toBeLessThan(0.6);
    for (let i = 0; i < out.length; i++) expect(out.errorRadiusM[i]).toBeGreaterThanOrEqual(TRACK.minRadiusShare * fixes.errorRadiusM[i] - 1e-6);
    expect(trackGrid(fixes, 2, layout, TRACK, SCALE)).toEqual(out);
  });
});
