// Other people's bodies on a link (sim/radio/crowd.ts): the grid query agrees
// with counting everyone by hand, the per-body loss matches its source
// (ble-6ft-mitll's torso depth), and in the simulated office each reception
// loses exactly a whole number of bodies' worth.
import { describe, expect, it } from 'vitest';
import { indoorDepthByCarry, orientationFits } from '../bench/studies/radio-fit/body-orientation-fit.ts';
import { distanceToSegment } from '../engine/contract/geometry.ts';
import { blockedShare, BODY_HEIGHT_M, Crowd, NEAR_M, PER_BODY_LOSS_DB, SNAPSHOT_MS } from '../sim/radio/crowd.ts';
import { AP_HEIGHT_M, DEVICE_HEIGHT_M } from '../sim/radio/heights.ts';
import { Rng } from '../sim/rng.ts';
import { simulate } from '../sim/simulate.ts';
import type { Track } from '../sim/types.ts';
import { ABSENT_FLOOR, positionAt } from '../sim/track.ts';
import { shortOffice } from './helpers/short-office.ts';

const FLOOR = { id: 0, name: 'f', widthM: 30, heightM: 20, elevationM: 0 };
const standing = (x: number, y: number, floor = 0): Track => ({ tMs: Float64Array.of(0), x: Float32Array.of(x), y: Float32Array.of(y), floor: Int16Array.of(floor) });

describe('the crowd grid', () => {
  it('counts a body within 0.3 m of the path, not one at 0.4 m, nor the carrier, nor one past head height', () => {
    // Device at (2, 5) (person 0), AP at (22, 5): the path runs along y = 5.
    const crowd = new Crowd([standing(2, 5), standing(5, 5.25), standing(7, 5.4), standing(9, 4.8), standing(18, 5)], [FLOOR]);
    crowd.prepare(0, 1000);
    // Head height cuts the path at 0.4 of its length (x = 10): the body at x = 18 is under the rising path.
    expect(crowd.bodiesOnPath(0, 0, 0, 2, 5, 22, 5, 0.4)).toBe(2);
    expect(crowd.bodiesOnPath(0, 0, 0, 2, 5, 22, 5, 1)).toBe(3);
    // Seen from person 1's spot instead, person 0 now counts and person 1 does not.
    expect(crowd.bodiesOnPath(0, 1, 0, 2, 5, 22, 5, 0.4)).toBe(2);
  });

  it('agrees with counting every body by hand, on random crowds and paths over two floors and time', () => {
    const rng = new Rng(7, 'crowd-test');
    const floors = [FLOOR, { ...FLOOR, id: 3 }];
    // Walkers, people who stand all the while, and people who arrive or leave within the window (the crowd sorts the
    // ones that stay put once and merges the others in at each snapshot).
    const tracks = Array.from({ length: 300 }, (_, p): Track => {
      const floor = rng.chance(0.5) ? 0 : 3, x0 = rng.uniform(0, 30), y0 = rng.uniform(0, 20);
      if (p % 4 === 1) return standing(x0, y0, floor);
      if (p % 4 === 2) return { tMs: Float64Array.of(2600), x: Float32Array.of(x0), y: Float32Array.of(y0), floor: Int16Array.of(floor) };
      if (p % 4 === 3) return { tMs: Float64Array.of(0, 1700), x: Float32Array.of(x0, 0), y: Float32Array.of(y0, 0), floor: Int16Array.of(floor, ABSENT_FLOOR) };
      return { tMs: Float64Array.of(0, 5000), x: Float32Array.of(x0, rng.uniform(0, 30)), y: Float32Array.of(y0, rng.uniform(0, 20)), floor: Int16Array.of(floor, floor) };
    });
    const crowd = new Crowd(tracks, floors);
    crowd.prepare(0, 5000);
    let total = 0;
    for (let q = 0; q < 400; q++) {
      const tMs = rng.uniform(0, 5000), floor = rng.chance(0.5) ? 0 : 3, self = rng.int(300);
      const [x, y, ax, ay, share] = [rng.uniform(0, 30), rng.uniform(0, 20), rng.uniform(0, 30), rng.uniform(0, 20), rng.uniform(0, 1)];
      // The snapshot the crowd uses: positions at the start of the 0.5 s step.
      const atMs = Math.floor(tMs / SNAPSHOT_MS) * SNAPSHOT_MS;
      const expected = tracks.filter((t, p) => {
        const at = positionAt(t, atMs);
        if (p === self || at.floor !== floor) return false;
        return distanceToSegment(Math.fround(at.x), Math.fround(at.y), x, y, x + share * (ax - x), y + share * (ay - y)) <= NEAR_M + 1e-9;
      }).length;
      const got = crowd.bodiesOnPath(tMs, self, floor, x, y, ax, ay, share);
      expect(got, `query ${q}`).toBe(expected);
      total += got;
    }
    expect(total).toBeGreaterThan(100);
  });

  it('only the device end of a rising path is below head height', () => {
    expect(blockedShare(DEVICE_HEIGHT_M, AP_HEIGHT_M - DEVICE_HEIGHT_M)).toBeCloseTo((BODY_HEIGHT_M - 1.2) / 1.3, 12);
    expect(blockedShare(2, 0)).toBe(0);
    expect(blockedShare(1, 0)).toBe(1);
  });
});

describe('against its source', () => {
  it('the loss per body is a torso in the path: ble-6ft-mitll pocket depth indoors (8.1 dB), to 0.5 dB', () => {
    expect(Math.abs(indoorDepthByCarry(orientationFits()).pocket! - PER_BODY_LOSS_DB)).toBeLessThan(0.5);
  });
});

describe('in the simulated office', () => {
  /** Badge receptions of the first 20 minutes by (time, device, AP). */
  function badgeRows(otherBodies: boolean): Map<number, number> {
    const s = shortOffice();
    s.durationS = 1200;
    s.radio.effects.otherBodies = otherBodies;
    const o = simulate(s).observations;
    const rows = new Map<number, number>();
    for (let i = 0; i < o.length; i++) if (o.devices[o.deviceIdx[i]].tech === 'ble-badge') rows.set((o.tMs[i] * 1e4 + o.deviceIdx[i]) * 1e3 + o.apIdx[i], o.rssiDbm[i]);
    return rows;
  }

  it('every reception loses a whole number of bodies (8 dB each, never a gain), and some are lost below sensitivity', () => {
    const off = badgeRows(false);
    const on = badgeRows(true);
    let shadowed = 0;
    for (const [key, rssi] of on) {
      const before = off.get(key);
      expect(before, String(key)).toBeDefined();
      const bodies = (before! - rssi) / PER_BODY_LOSS_DB;
      expect(Number.isInteger(bodies) && bodies >= 0, `${key}: ${before} -> ${rssi}`).toBe(true);
      if (bodies > 0) shadowed++;
    }
    // Measured: 10.0 % of badge receptions have someone on the path while people arrive (first 20 minutes).
    expect(shadowed / on.size).toBeGreaterThan(0.05);
    expect(shadowed / on.size).toBeLessThan(0.2);
    expect(on.size).toBeLessThan(off.size);
  });
});
