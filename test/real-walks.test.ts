// The shared real logs as recorded (bench/studies/real-data/walks.ts), each
// device's reports at their own times through the default engine: what the
// tracker defaults were chosen on (bench/results/track-settings.md). Skips
// when the real datasets are absent.
import { beforeAll, describe, expect, it } from 'vitest';
import { haveRealData } from './real-data-present.ts';
import { locateWalk, realWalks, type RealWalk } from '../bench/studies/real-data/walks.ts';
import { resolveConfig } from '../engine/config.ts';
import { runEngine } from '../engine/run.ts';

describe.skipIf(!haveRealData)('the real logs as recorded', () => {
  let walks: RealWalk[] = [];
  const walk = (name: string): RealWalk => walks.find((w) => w.name === name)!;
  beforeAll(() => {
    walks = realWalks();
  }, 60_000);

  it('are the UJI library and office area (odd points, and its way back), the calib2021 robot and the wifi-longterm phone of month 1 and 13', () => {
    expect(walks.map((w) => w.name)).toEqual(['UJI lib campaign 3', 'UJI geo odd points', 'UJI geo way back', 'calib2021 robot', 'Wi-Fi month 1', 'Wi-Fi month 13']);
    for (const w of walks) {
      expect(w.survey?.length).toBeGreaterThan(0);
      expect(w.test.length).toBeGreaterThan(0);
    }
    // The office area's way back stands on the way out's survey: the same 34 positions, each surveyed once.
    const back = walk('UJI geo way back'), place = (x: number, y: number): string => `${x.toFixed(2)},${y.toFixed(2)}`;
    const surveyed = new Set(Array.from(back.survey!.x, (x, i) => place(x, back.survey!.y[i])));
    expect(surveyed.size).toBe(34);
  });

  it('tracking lowers the robot\'s median error (measured: 0.82 m tracked, 0.88 m per-epoch fixes; with the map localizer 0.78 and 1.02 m)', async () => {
    const tracked = await locateWalk(walk('calib2021 robot'), {});
    const own = await locateWalk(walk('calib2021 robot'), { track: { filter: 'none', walkFilter: 'none' } });
    expect(tracked.fixes).toBe(67);
    expect(Math.abs(tracked.medianM - 0.82)).toBeLessThan(0.1);
    expect(own.medianM - tracked.medianM).toBeGreaterThan(0.05);
  }, 60_000);

  it('the Kalman walk filter locates the real Wi-Fi phone better than the grid HMM (measured month 1: 1.67 against 1.92 m)', async () => {
    const kalman = await locateWalk(walk('Wi-Fi month 1'), {});
    const grid = await locateWalk(walk('Wi-Fi month 1'), { track: { walkFilter: 'grid' } });
    expect(Math.abs(kalman.medianM - 1.67)).toBeLessThan(0.15);
    expect(grid.medianM - kalman.medianM).toBeGreaterThan(0.2);
  }, 120_000);

  it("reads the library collectors' bodies off its tracks (measured 3 dB, z 6.8) and locates campaign 3 in 0.97 m against 1.20 without; the robot and the Wi-Fi phone read none that stands out", async () => {
    const lib = walk('UJI lib campaign 3');
    const [inline, pooled] = [await runEngine(lib.input.site, lib.test, resolveConfig({ run: { workers: 0 } }), { survey: lib.survey }), await runEngine(lib.input.site, lib.test, resolveConfig({ run: { workers: 2 } }), { survey: lib.survey })];
    const body = Object.values(inline.calibrationSources).find((c) => c?.walkingBody)?.walkingBody;
    expect(body?.used).toBe(true);
    // Read and taken out alike on any worker count.
    expect(Object.values(pooled.calibrationSources).find((c) => c?.walkingBody)?.walkingBody).toEqual(body);
    expect(pooled.estimates.x).toEqual(inline.estimates.x);
    expect(body!.depthDb).toBeGreaterThanOrEqual(2);
    expect(body!.depthDb).toBeLessThanOrEqual(5);
    const [on, off] = [await locateWalk(lib, {}), await locateWalk(lib, { walkingBody: { fromLog: false } })];
    expect(on.medianM).toBeLessThan(1.05);
    expect(off.medianM - on.medianM).toBeGreaterThan(0.15);
    for (const name of ['calib2021 robot', 'Wi-Fi month 1']) {
      const w = walk(name);
      const read = Object.values((await runEngine(w.input.site, w.test, resolveConfig({ run: { workers: 0 } }), { survey: w.survey })).calibrationSources).find((c) => c?.walkingBody)?.walkingBody;
      expect(read?.used, name).toBe(false);
    }
  }, 180_000);

  it("the office area's radii, calibrated on every one of its survey's 34 points in turn, hold 0.60-0.76 of its truths as recorded (measured 0.70; 0.89 on a quarter of them)", async () => {
    const office = await locateWalk(walk('UJI geo odd points'), {});
    expect(office.fixes).toBe(92);
    expect(office.coverage).toBeGreaterThanOrEqual(0.6);
    expect(office.coverage).toBeLessThanOrEqual(0.76);
  }, 60_000);
});
