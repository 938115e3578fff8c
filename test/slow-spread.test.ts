// What of a link's readings an epoch's mean does not average away, from the
// log itself (engine/calibrate/reading-spread.ts slowSpreads), and what
// weighing the map's readings with it does on a real walk: the robot-borne
// tag of ble-anchors-calib2021 (5 reports an anchor a second, so an epoch's
// mean of 25 was taken as nearly exact), located on its calibration walk
// through the twin's real side.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { slowSpreads } from '../engine/calibrate/reading-spread.ts';
import type { ObservationBatch } from '../engine/contract/observations.ts';
import { resolveConfig } from '../engine/config.ts';
import { runEngine } from '../engine/run.ts';
import { anchorsCase } from '../bench/studies/fidelity/anchors.ts';
import { dataDir } from '../bench/studies/real-data/data-dir.ts';
import { readTwinInput } from '../bench/twin/input.ts';
import { subsetObservations } from '../engine/contract/observations.ts';
import { parseSplit, splitRule } from '../bench/twin/split.ts';
import { partRule } from '../bench/twin/twin.ts';
import { truthLookup } from '../bench/twin/samples.ts';
import { DEFAULT_MAX_GAP_MS } from '../bench/twin/positions.ts';
import { Rng } from '../sim/rng.ts';

/** `devices` still devices hearing 5 APs once a second for `seconds`: fading N(0, 4²) per reading plus N(0, slowDb²) per link and 5 s epoch. */
function log(slowDb: number, devices = 20, seconds = 1200): ObservationBatch {
  const rng = new Rng(7, 'slow');
  const tMs: number[] = [], deviceIdx: number[] = [], apIdx: number[] = [], rssiDbm: number[] = [];
  const offset = new Float64Array(devices * 5);
  for (let t = 0; t < seconds * 1000; t += 1000) {
    if (t % 5000 === 0) for (let k = 0; k < offset.length; k++) offset[k] = rng.normal(0, slowDb);
    for (let d = 0; d < devices; d++) {
      for (let a = 0; a < 5; a++) {
        tMs.push(t); deviceIdx.push(d); apIdx.push(a);
        rssiDbm.push(-60 - 4 * a + offset[d * 5 + a] + rng.normal(0, 4));
      }
    }
  }
  return {
    length: tMs.length, devices: Array.from({ length: devices }, (_, d) => ({ id: `d${d}`, tech: 'ble-badge' as const })),
    tMs: Float64Array.from(tMs), deviceIdx: Uint32Array.from(deviceIdx), apIdx: Uint16Array.from(apIdx), rssiDbm: Float32Array.from(rssiDbm),
  };
}

describe('slowSpreads', () => {
  it('reads an epoch-to-epoch 3 dB within 10 %, 0.6 dB at most where readings are independent, and 5 reports a link an epoch', () => {
    const slow = slowSpreads(log(3), () => 0, 1, 5000)[0]!;
    expect(slow.sigmaDb).toBeGreaterThan(2.7);
    expect(slow.sigmaDb).toBeLessThan(3.3);
    expect(slow.reportsPerEpoch).toBeCloseTo(5, 1);
    expect(slowSpreads(log(0), () => 0, 1, 5000)[0]!.sigmaDb).toBeLessThan(0.6);
  });

  it('reads the same within 10 % from a sample of pairs of epochs on a long log of few devices (four badges, 21 h: seven times the rows it reads; a sample of whole devices kept none)', () => {
    const slow = slowSpreads(log(3, 4, 75_000), () => 0, 1, 5000)[0]!;
    expect(slow.sigmaDb).toBeGreaterThan(2.7);
    expect(slow.sigmaDb).toBeLessThan(3.3);
  });

  it('says nothing (null) for devices the band does not hold', () => {
    expect(slowSpreads(log(3), () => -1, 1, 5000)[0]).toBeNull();
  });
});

describe('the robot-borne tag of ble-anchors-calib2021, test walk located on the calibration walk (map localizer)', () => {
  it('reads 2-3.5 dB the epochs do not average, and weighing readings with it takes the median from 0.94 m to 0.85 m or less', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctsim-slow-spread-'));
    try {
      const c = anchorsCase(dataDir(), dir);
      const input = readTwinInput({ ...c.paths, maxGapS: c.maxGapS ?? DEFAULT_MAX_GAP_MS / 1000 });
      const rule = splitRule(parseSplit(c.split), input.tracks, input.firstMs, input.lastMs);
      const part = partRule(input.observations, input.tracks, rule);
      const test = subsetObservations(input.observations, (i) => part(i) === 'test');
      const at = truthLookup(test, input.tracks);
      const median = async (slowFromLog: boolean): Promise<{ m: number; slow?: number }> => {
        const cfg = resolveConfig({ run: { workers: 0 }, localize: { map: { slowFromLog } } });
        const { estimates: est, calibrationSources } = await runEngine(input.site, test, cfg, { survey: input.survey });
        const errors: number[] = [];
        for (let i = 0; i < est.length; i++) {
          const p = at(est.deviceIdx[i], est.tMs[i]);
          if (p) errors.push(Math.hypot(est.x[i] - p.x, est.y[i] - p.y));
        }
        errors.sort((a, b) => a - b);
        expect(errors.length).toBeGreaterThan(60);
        return { m: errors[errors.length >> 1], slow: calibrationSources['ble-badge']?.slowSigmaDb };
      };
      const on = await median(true), off = await median(false);
      expect(on.slow).toBeGreaterThan(2);
      expect(on.slow).toBeLessThan(3.5);
      expect(off.slow).toBeUndefined();
      expect(off.m).toBeGreaterThan(0.9);
      expect(on.m).toBeLessThanOrEqual(0.85);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
