// Engine skeleton on hand-made data (no simulator): RSSI from a known
// log-distance model plus seeded noise, tracks placed by hand.
import { localizeModel } from '../engine/localize/model.ts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../engine/config.ts';
import { allPairs } from '../engine/contacts/all-pairs.ts';
import { contactsFromTracks } from '../engine/contacts/track-contacts.ts';
import type { ContactDetector } from '../engine/contacts/detector.ts';
import { findContacts } from '../engine/contacts/exposure.ts';
import { grid } from '../engine/contacts/grid-detector.ts';
import { addColumns, EpochAggregator } from '../engine/ingest/epochs.ts';
import { EstimatesBuilder } from '../engine/pipeline/estimates.ts';
import { centroid } from '../engine/localize/centroid.ts';
import { siteLayout } from '../engine/localize/layout.ts';
import type { LocalizeTuning } from '../engine/localize/index.ts';
import type { LocalizeModel } from '../engine/localize/types.ts';
import { wls } from '../engine/localize/wls.ts';
import type { DeviceInfo, ObservationBatch } from '../engine/contract/observations.ts';
import type { Estimates } from '../engine/outputs.ts';
import { runEngine } from '../engine/run.ts';
import type { Site, Tech } from '../engine/contract/site.ts';
import { lcg, locateRandomPoints, makeSite, rssiAt, WIFI } from './helpers/synthetic.ts';
import { expectSameData } from './helpers/same-data.ts';

describe('epochs', () => {
  it('aggregates mean RSSI and counts per (device, epoch, AP), emitting each epoch when it closes', () => {
    const emitted: { epoch: number; tMs: number; device: number; ap: number; rssi: number; count: number }[] = [];
    const agg = new EpochAggregator(5000, (ep) => {
      for (let g = 0; g < ep.groups; g++) {
        for (let i = ep.groupStart[g]; i < ep.groupStart[g + 1]; i++) {
          emitted.push({ epoch: ep.epoch, tMs: ep.tMs, device: ep.deviceIdx[g], ap: ep.apIdx[i], rssi: ep.rssiDbm[i], count: ep.count[i] });
        }
      }
    });
    const tMs = Float64Array.of(0, 100, 1000, 2000, 4999, 5000, 9000, 12000);
    const deviceIdx = Uint32Array.of(1, 0, 1, 1, 0, 0, 0, 2);
    const apIdx = Uint16Array.of(3, 2, 3, 0, 2, 2, 5, 1);
    const rssiDbm = Float32Array.of(-50, -70, -60, -80, -74, -40, -41, -90);
    addColumns(agg, tMs, deviceIdx, apIdx, rssiDbm, 0, 5);
    expect(emitted).toEqual([]); // epoch 0 still open
    addColumns(agg, tMs, deviceIdx, apIdx, rssiDbm, 5, 6);
    expect(emitted).toEqual([
      { epoch: 0, tMs: 2500, device: 0, ap: 2, rssi: -72, count: 2 },
      { epoch: 0, tMs: 2500, device: 1, ap: 0, rssi: -80, count: 1 },
      { epoch: 0, tMs: 2500, device: 1, ap: 3, rssi: -55, count: 2 },
    ]);
    addColumns(agg, tMs, deviceIdx, apIdx, rssiDbm, 6, 8);
    agg.flush();
    expect(emitted.slice(3)).toEqual([
      { epoch: 1, tMs: 7500, device: 0, ap: 2, rssi: -40, count: 1 },
      { epoch: 1, tMs: 7500, device: 0, ap: 5, rssi: -41, count: 1 },
      { epoch: 2, tMs: 12500, device: 2, ap: 1, rssi: -90, count: 1 },
    ]);
  });

  it('groups the same with keys strided by the site\'s AP count at campus-size device indices, and only one shard when asked', () => {
    const run = (apCount: number | undefined, shard = 0, shards = 1): number[][] => {
      const out: number[][] = [];
      const agg = new EpochAggregator(5000, (ep) => {
        for (let g = 0; g < ep.groups; g++) {
          for (let i = ep.groupStart[g]; i < ep.groupStart[g + 1]; i++) out.push([ep.epoch, ep.deviceIdx[g], ep.apIdx[i], ep.rssiDbm[i], ep.count[i]]);
        }
      }, apCount);
      const tMs = Float64Array.of(0, 10, 20, 30, 40, 6000);
      const deviceIdx = Uint32Array.of(300_001, 5, 300_000, 300_001, 5, 300_000);
      const apIdx = Uint16Array.of(59, 0, 1, 59, 2, 1);
      const rssiDbm = Float32Array.of(-50, -60, -70, -52, -61, -71);
      addColumns(agg, tMs, deviceIdx, apIdx, rssiDbm, 0, 6, shard, shards);
      agg.flush();
      return out;
    };
    const expected = [[0, 5, 0, -60, 1], [0, 5, 2, -61, 1], [0, 300_000, 1, -70, 1], [0, 300_001, 59, -51, 2], [1, 300_000, 1, -71, 1]];
    expect(run(undefined)).toEqual(expected);
    expect(run(60)).toEqual(expected);
    expect(run(60, 0, 2)).toEqual(expected.filter((r) => r[1] % 2 === 0));
    expect(run(60, 1, 2)).toEqual(expected.filter((r) => r[1] % 2 === 1));
    expect(() => run(59)).toThrow(/AP 59 is beyond the 59 APs/);
  });

  it('keeps each key apart in a crowded epoch (3000 devices × 7 APs, each key reported twice) and starts the next epoch empty', () => {
    const sums = new Map<number, { rssi: number; count: number }>();
    const agg = new EpochAggregator(5000, (ep) => {
      for (let g = 0; g < ep.groups; g++) {
        for (let i = ep.groupStart[g]; i < ep.groupStart[g + 1]; i++) sums.set(ep.epoch * 1e6 + ep.deviceIdx[g] * 10 + ep.apIdx[i], { rssi: ep.rssiDbm[i], count: ep.count[i] });
      }
    }, 7);
    for (const epoch of [0, 1]) {
      for (let rep = 0; rep < 2; rep++) {
        for (let d = 0; d < 3000; d++) for (let ap = 0; ap < 7; ap++) agg.add(epoch * 5000 + rep, d, ap, -40 - ((d + ap) % 50) - rep - epoch);
      }
    }
    agg.flush();
    expect(sums.size).toBe(2 * 3000 * 7);
    expect(sums.get(1234 * 10 + 5)).toEqual({ rssi: -40 - 39 - 0.5, count: 2 });
    expect(sums.get(1e6 + 2999 * 10 + 6)).toEqual({ rssi: -40 - 5 - 0.5 - 1, count: 2 });
  });

  it('rejects reports that go back in time', () => {
    const agg = new EpochAggregator(5000, () => {});
    agg.add(6000, 0, 0, -50);
    expect(() => agg.add(4000, 0, 0, -50)).toThrow(/time-ordered/);
  });
});

describe('localizers', () => {
  it('WLS on ranges alone (no centroid prior) recovers the position from noiseless RSSI within 0.1 m', () => {
    const rangesAlone = { ...DEFAULT_CONFIG.localize, wls: { ...DEFAULT_CONFIG.localize.wls, centroidPrior: false } };
    const { errorsM } = locateRandomPoints(wls, 100, 0, 1, WIFI, rangesAlone);
    expect(errorsM[errorsM.length - 1]).toBeLessThan(0.1);
  });

  it('WLS with 4 dB noise: median error < 3 m, 68% radius holds the truth 50-85% of the time', () => {
    const { medianM, coverage } = locateRandomPoints(wls, 200, 4, 2);
    expect(medianM).toBeLessThan(3);
    expect(coverage).toBeGreaterThanOrEqual(0.5);
    expect(coverage).toBeLessThanOrEqual(0.85);
  });

  it('the weighted centroid is worse than WLS on the same data', () => {
    const w = locateRandomPoints(wls, 200, 4, 3);
    const c = locateRandomPoints(centroid, 200, 4, 3);
    expect(c.medianM).toBeGreaterThan(w.medianM);
  });

  it('uses the strongest AP floor only and needs minAps APs there', () => {
    const site = makeSite(2);
    const model: LocalizeModel<LocalizeTuning> = localizeModel(siteLayout(site), WIFI, DEFAULT_CONFIG.localize);
    // Floor 1's APs (6..11) heard strongly, floor 0's weakly: the fix is on floor 1.
    const apIdx = Uint16Array.of(0, 1, 6, 7, 8, 9);
    const rssiDbm = Float32Array.of(-75, -76, -50, -60, -62, -65);
    const fix = wls.locate(model, { apIdx, rssiDbm, start: 0, end: 6 });
    expect(fix?.floor).toBe(1);
    expect(fix?.apsUsed).toBe(4);
    expect(wls.locate(model, { apIdx, rssiDbm, start: 2, end: 4 })).toBeNull();
  });
});

/** Estimates from per-epoch positions: tracks[d][e] = [x, y, floor]. */
function estimatesOf(tracks: [number, number, number][][], epochMs: number): Estimates {
  const b = new EstimatesBuilder();
  const epochs = tracks[0].length;
  for (let e = 0; e < epochs; e++) {
    tracks.forEach((track, d) => {
      const [x, y, floor] = track[e];
      b.push((e + 0.5) * epochMs, d, { x, y, floor, errorRadiusM: 1, apsUsed: 6 });
    });
  }
  return b.build();
}

function devicesOf(n: number, tech: (i: number) => Tech = () => 'wifi'): DeviceInfo[] {
  return Array.from({ length: n }, (_, i) => ({ id: `dev${String(i).padStart(4, '0')}`, tech: tech(i) }));
}

/** Two devices standing still on floor 0 at (x1, 10) and (x2, 10) for 20 min of 5 s epochs. */
function standingPair(x1: number, x2: number): Estimates {
  const epochs = (20 * 60_000) / 5000;
  return estimatesOf([x1, x2].map((x) => Array.from({ length: epochs }, (): [number, number, number] => [x, 10, 0])), 5000);
}

describe('contacts', () => {
  const params = { epochMs: 5000, distanceM: 2, minExposureS: 900 };

  it('two devices 1 m apart for 20 min are a contact; 20 m apart are not', () => {
    const near = standingPair(10, 11);
    const far = standingPair(5, 25);
    for (const detector of [grid, allPairs]) {
      expect(findContacts(near, devicesOf(2), params, detector)).toEqual([
        { a: 'dev0000', b: 'dev0001', tech: 'wifi', exposureS: 1200, minDistanceM: 1, firstTMs: 2500, lastTMs: 20 * 60_000 - 2500, zones: [] },
      ]);
      expect(findContacts(far, devicesOf(2), params, detector)).toEqual([]);
    }
  });

  it('only pairs devices of the same technology and floor', () => {
    const epochs = 240;
    const here = Array.from({ length: epochs }, (): [number, number, number] => [10, 10, 0]);
    const upstairs = Array.from({ length: epochs }, (): [number, number, number] => [10, 10, 1]);
    const est = estimatesOf([here, here, here, upstairs], 5000);
    const techs: Tech[] = ['wifi', 'ble-badge', 'ble-badge', 'ble-badge'];
    const found = findContacts(est, devicesOf(4, (i) => techs[i]), params, grid);
    expect(found.map((c) => [c.a, c.b, c.tech])).toEqual([['dev0001', 'dev0002', 'ble-badge']]);
  });

  it('the grid finds exactly the all-pairs contacts on 300 random tracks', () => {
    const rng = lcg(7);
    const epochs = 120;
    const tracks = Array.from({ length: 300 }, () => {
      let x = 30 * rng.uniform(), y = 20 * rng.uniform();
      const floor = rng.uniform() < 0.5 ? 0 : 1;
      return Array.from({ length: epochs }, (): [number, number, number] => {
        x = Math.min(Math.max(x + rng.normal() * 0.5, -1), 31);
        y = Math.min(Math.max(y + rng.normal() * 0.5, -1), 21);
        return [x, y, floor];
      });
    });
    // Plus a still lattice exactly distanceM apart, across cell edges and below zero.
    for (const [x, y] of [[0, 0], [2, 0], [2, 2], [4, 2], [-2, 0], [-2, -2]]) {
      tracks.push(Array.from({ length: epochs }, (): [number, number, number] => [x, y, 0]));
    }
    const est = estimatesOf(tracks, 5000);
    const devices = devicesOf(tracks.length, (i) => (i % 3 === 0 && i < 300 ? 'ble-badge' : 'wifi'));
    const run = (d: ContactDetector) => findContacts(est, devices, { ...params, minExposureS: 30 }, d);
    const fromGrid = run(grid);
    expect(fromGrid.length).toBeGreaterThan(50);
    expect(fromGrid).toEqual(run(allPairs));
    const lattice = fromGrid.filter((c) => c.a >= 'dev0300').map((c) => `${c.a}-${c.b}`);
    expect(lattice).toEqual(['dev0300-dev0301', 'dev0300-dev0304', 'dev0301-dev0302', 'dev0302-dev0303', 'dev0304-dev0305']);
  });

  it('the grid visits each close pair exactly once, as all-pairs does, in a dense crowd over three floors and with a stray fix far away', () => {
    const rng = lcg(11);
    // 400 people in a 12 × 8 m room on each of three floors, plus a stray fix 10⁶ km off (the cells widen).
    const people = Array.from({ length: 1200 }, (_, i): [number, number, number] => [12 * rng.uniform(), 8 * rng.uniform(), i % 3]);
    people.push([1e9, 3, 0]);
    const est = estimatesOf(people.map((p) => [p]), 5000);
    const rows = Uint32Array.from({ length: est.length }, (_, i) => i);
    let wrongDistances = 0;
    const visited = (d: ContactDetector): Map<string, number> => {
      const seen = new Map<string, number>();
      d.closePairs(est, rows, rows.length, 2, (i, j, dist) => {
        const key = `${Math.min(i, j)}-${Math.max(i, j)}`;
        if (dist !== Math.sqrt((est.x[i] - est.x[j]) ** 2 + (est.y[i] - est.y[j]) ** 2)) wrongDistances++;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      });
      return seen;
    };
    const fromGrid = visited(grid);
    expect(fromGrid.size).toBeGreaterThan(15_000); // about 400 × 399 / 2 × π 2² / 96 per floor
    expect([...fromGrid.values()].every((n) => n === 1)).toBe(true);
    expect([...fromGrid.keys()].sort()).toEqual([...visited(allPairs).keys()].sort());
    expect(wrongDistances).toBe(0);
  });
});

/** Devices wandering two floors, reporting every 2 s to the APs of their floor, time-ordered. */
function syntheticBatch(devices: number, durationS: number, seed: number): { site: Site; obs: ObservationBatch } {
  const site = makeSite(2);
  const rng = lcg(seed);
  const pos = Array.from({ length: devices }, (_, d) => ({ x: 30 * rng.uniform(), y: 20 * rng.uniform(), floor: d % 2 }));
  const cols = { tMs: [] as number[], deviceIdx: [] as number[], apIdx: [] as number[], rssiDbm: [] as number[] };
  for (let t = 0; t < durationS; t += 2) {
    for (let d = 0; d < devices; d++) {
      const p = pos[d];
      // Every other device keeps still, so some pairs meet for long.
      if (d % 2 === 1) {
        p.x = Math.min(Math.max(p.x + rng.normal() * 0.3, 0), 30);
        p.y = Math.min(Math.max(p.y + rng.normal() * 0.3, 0), 20);
      }
      site.aps.forEach((ap, i) => {
        if (ap.floor !== p.floor) return;
        cols.tMs.push(t * 1000 + d);
        cols.deviceIdx.push(d);
        cols.apIdx.push(i);
        cols.rssiDbm.push(rssiAt(ap, p.x, p.y, 4 * rng.normal()));
      });
    }
  }
  return {
    site,
    obs: {
      length: cols.tMs.length,
      tMs: Float64Array.from(cols.tMs),
      deviceIdx: Uint32Array.from(cols.deviceIdx),
      apIdx: Uint16Array.from(cols.apIdx),
      rssiDbm: Float32Array.from(cols.rssiDbm),
      devices: devicesOf(devices, (i) => (i % 4 < 2 ? 'wifi' : 'ble-app')),
    },
  };
}

describe('runEngine', () => {
  it('gives identical results with 0, 1 and 2 workers', async () => {
    const { site, obs } = syntheticBatch(40, 1800, 11);
    const config = { contacts: { minExposureS: 300, distanceM: 4 } };
    const run = (workers: number) => ({ ...config, run: { chunkMs: 600_000, workers } });
    const progress: number[] = [];
    const inline = await runEngine(site, obs, run(0), { onProgress: (f) => progress.push(f) });
    const one = await runEngine(site, obs, run(1));
    const two = await runEngine(site, obs, run(2));

    expect(inline.stats).toEqual({ observations: obs.length, epochs: 40 * (1800 / 5) });
    expect(inline.estimates.length).toBe(40 * (1800 / 5));
    expect(inline.contacts.length).toBeGreaterThan(0);
    expectSameData(one, inline, '1 worker');
    expectSameData(two, inline, '2 workers');
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress[progress.length - 1]).toBe(1);
    const { tMs, deviceIdx } = inline.estimates;
    for (let i = 1; i < tMs.length; i++) {
      expect(tMs[i] > tMs[i - 1] || (tMs[i] === tMs[i - 1] && deviceIdx[i] > deviceIdx[i - 1])).toBe(true);
    }
  });

  it('sums contacts over time slabs to what one whole-day pass finds, a pair close across a slab edge counted once', async () => {
    const { site, obs } = syntheticBatch(40, 1800, 11);
    const config = { run: { chunkMs: 600_000, workers: 0 }, contacts: { minExposureS: 300, distanceM: 4 } };
    const run = await runEngine(site, obs, config);
    const whole = contactsFromTracks(run.estimates, obs.devices, site, DEFAULT_CONFIG.ingest.epochMs, resolveConfig(config).contacts);
    expect(run.contacts.length).toBeGreaterThan(0);
    expect(run.contacts.map((c) => [c.a, c.b, c.tech, c.zones])).toEqual(whole.map((c) => [c.a, c.b, c.tech, c.zones]));
    run.contacts.forEach((c, i) => {
      expect(c.exposureS).toBeCloseTo(whole[i].exposureS, 6);
      expect(c.minDistanceM).toBeCloseTo(whole[i].minDistanceM, 4);
      expect([c.firstTMs, c.lastTMs]).toEqual([whole[i].firstTMs, whole[i].lastTMs]);
    });
    // Slab edges at 600 s and 1200 s: most long contacts run across one.
    expect(run.contacts.filter((c) => c.firstTMs < 600_000 && c.lastTMs > 600_000).length).toBeGreaterThan(0);
  });

  it('rejects observations out of time order with a clear error', async () => {
    const { site, obs } = syntheticBatch(2, 10, 1);
    obs.tMs[3] = 1e9;
    await expect(runEngine(site, obs, { run: { workers: 0 } })).rejects.toThrow(/time-ordered: row 4/);
  });

  it('deep-merges config overrides over the defaults', () => {
    const cfg = resolveConfig({ contacts: { distanceM: 3 }, ranging: { wifi: { sigmaDb: 7 } } });
    expect(cfg.contacts).toEqual({ ...DEFAULT_CONFIG.contacts, distanceM: 3 });
    expect(cfg.ranging.wifi).toEqual({ ...DEFAULT_CONFIG.ranging.wifi, sigmaDb: 7 });
    expect(cfg.ranging['ble-app']).toEqual(DEFAULT_CONFIG.ranging['ble-app']);
  });
});
