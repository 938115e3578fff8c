// Stays (engine/localize/stays.ts): a still device's epochs are fixed once
// from RSSI pooled over the whole stay; a walker's epochs keep their own fixes.
import { describe, expect, it } from 'vitest';
import { EstimatesBuilder } from '../engine/pipeline/estimates.ts';
import { StayPooler, type StayOptions } from '../engine/localize/stays.ts';
import type { LocalizeTuning } from '../engine/localize/index.ts';
import type { Fix, Localizer, LocalizeModel, Readings } from '../engine/localize/types.ts';
import { lcg } from './helpers/synthetic.ts';

/**
 * A corridor between two APs 20 m apart whose RSSI falls 2 dB per metre: a
 * fix is where the two means' difference puts the device (x = 10 − (a − b) / 4),
 * radius 1.5 m; it records how many reports it was given.
 */
const reportsSeen: number[] = [];
const corridor: Localizer = {
  ownRadius: 'posterior',
  locate(_model: LocalizeModel, r: Readings): Fix | null {
    if (r.end - r.start < 2) return null;
    reportsSeen.push(r.count ? r.count[r.start] : 1);
    return { x: 10 - (r.rssiDbm[r.start] - r.rssiDbm[r.start + 1]) / 4, y: 0, floor: 0, errorRadiusM: 1.5, apsUsed: 2 };
  },
};
const meansAt = (x: number): [number, number] => [-40 - 2 * x, -40 - 2 * (20 - x)];

/** One epoch of 5 reports per AP at x, fading sd 4.7 dB per report. */
function epoch(x: number, rand: ReturnType<typeof lcg>): Readings {
  const rssiDbm = Float32Array.from(meansAt(x), (m) => {
    let sum = 0;
    for (let k = 0; k < 5; k++) sum += m + 4.7 * rand.normal();
    return sum / 5;
  });
  return { apIdx: Uint16Array.from([0, 1]), rssiDbm, count: Uint32Array.from([5, 5]), start: 0, end: 2 };
}

// Two APs only: the mean χ² over them spreads more than over an office's dozen, hence χ² 4.
const OPTIONS: StayOptions = { maxSpanMs: 3_600_000, changeChi2: 4, moveChi2: 9, minEpochs: 5, blipEpochs: 2, readingVarDb2: 4.7 ** 2, radiusScale: 1 };

function run(path: number[], seed: number, opt = OPTIONS): { x: Float32Array; tMs: Float64Array } {
  const out = new EstimatesBuilder();
  const pooler = new StayPooler(corridor, {} as LocalizeModel<LocalizeTuning>, opt, out);
  const rand = lcg(seed);
  path.forEach((x, e) => pooler.add(e * 5000 + 2500, 7, epoch(x, rand)));
  pooler.flush();
  return out.build();
}

describe('stays', () => {
  it('fixes a still device once from all its epochs: one fix far nearer the seat than single epochs', () => {
    reportsSeen.length = 0;
    const est = run(Array(120).fill(6), 3);
    expect(est.x.length).toBe(120);
    const distinct = new Set(est.x);
    // One stay (fading blips are held), not 120 fixes, from all 600 reports per AP.
    expect(distinct.size).toBe(1);
    expect(reportsSeen[reportsSeen.length - 1]).toBe(600);
    // One epoch alone: (4.7/√5)·√2/4 ≈ 0.74 m sd; 120 pooled: ≈ 0.07 m.
    expect(Math.abs(est.x[0] - 6)).toBeLessThan(0.25);
  });

  it("keeps a walker's own fixes between two stays, each stay fixed near its seat", () => {
    // 30 epochs at x = 2, a walk of 1.4 m/s (7 m per epoch) would leave the corridor: 2 m per epoch for 7 epochs, then 30 at x = 16.
    const path = [...Array(30).fill(2), 4, 6, 8, 10, 12, 14, 16, ...Array(30).fill(16)];
    const est = run(path, 5);
    const first = est.x[0], last = est.x[est.x.length - 1];
    expect(Math.abs(first - 2)).toBeLessThan(0.6);
    expect(Math.abs(last - 16)).toBeLessThan(0.6);
    for (let i = 2; i < 28; i++) expect(est.x[i]).toBe(first);
    for (let i = est.x.length - 28; i < est.x.length; i++) expect(est.x[i]).toBe(last);
    // The walk's middle epochs are their own fixes: distinct, and near the walker.
    const walk = Array.from(est.x.subarray(32, 35));
    expect(new Set(walk).size).toBe(3);
    walk.forEach((x, k) => expect(Math.abs(x - path[32 + k])).toBeLessThan(2.5));
  });

  it('survives a blip of up to blipEpochs disagreeing epochs, and without holding splits there', () => {
    const path = [...Array(40).fill(6), 14, ...Array(40).fill(6)];
    const held = run(path, 9);
    expect(new Set(Array.from(held.x).filter((_, i) => i !== 40)).size).toBe(1);
    const split = run(path, 9, { ...OPTIONS, blipEpochs: 0 });
    expect(split.x[0]).not.toBe(split.x[80]);
  });

  it('keeps own fixes for a stay shorter than minEpochs', () => {
    const est = run([6, 6, 6, 6], 2);
    expect(new Set(est.x).size).toBe(4);
  });
});

describe('stays over a localizer that refines a cheaper base (the fused one the map\'s)', () => {
  // The corridor's fix refined by a shift: locate(r) = refine(r, base.locate(r)), as fused.ts has it; calls counted.
  let refined = 0;
  const refine = (_m: LocalizeModel, _r: Readings, fix: Fix): Fix => {
    refined++;
    return { ...fix, x: fix.x + 100 };
  };
  const whole: Localizer = { ownRadius: 'posterior', locate: (m, r) => { const f = corridor.locate(m, r); return f && refine(m, r, f); } };
  const lazy: Localizer = { ...whole, base: corridor, refine };
  const path = [...Array(30).fill(2), 4, 6, 8, 10, 12, 14, 16, ...Array(30).fill(16)];
  const runWith = (localizer: Localizer): Float32Array => {
    const out = new EstimatesBuilder();
    const pooler = new StayPooler(localizer, {} as LocalizeModel<LocalizeTuning>, OPTIONS, out);
    const rand = lcg(5);
    path.forEach((x, e) => pooler.add(e * 5000 + 2500, 7, epoch(x, rand)));
    pooler.flush();
    return out.build().x;
  };

  it('reports the same fixes as refining every epoch, refining only the stays\' pooled fixes and the epochs they do not cover', () => {
    refined = 0;
    const every = runWith(whole);
    expect(refined).toBeGreaterThanOrEqual(path.length);
    refined = 0;
    const onlyReported = runWith(lazy);
    expect(Array.from(onlyReported)).toEqual(Array.from(every));
    // Two stays' pooled fixes and the walk's epochs between them (a stay's first or last epoch may keep its own too).
    const own = Array.from(every).filter((x) => x !== every[0] && x !== every[every.length - 1]).length;
    expect(refined).toBe(2 + own);
    expect(refined).toBeLessThan(12);
  });
});
