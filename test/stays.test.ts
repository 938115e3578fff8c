// The still pool: RSSI of a device that stays put is averaged over epochs
// (so a fix sees less fading), and a device that moves starts afresh.
import { describe, expect, it } from 'vitest';
import { StillPool } from '../engine/localize/still-pool.ts';
import type { Readings } from '../engine/localize/types.ts';
import { lcg } from './helpers/synthetic.ts';

/** One epoch of `reports` readings per AP around `meanDbm`, fading sd 4.7 dB (the office survey's), as the epoch aggregator would give it. */
function epoch(meanDbm: number[], reports: number, rand: ReturnType<typeof lcg>): Readings {
  const rssiDbm = Float32Array.from(meanDbm, (m) => {
    let sum = 0;
    for (let k = 0; k < reports; k++) sum += m + 4.7 * rand.normal();
    return sum / reports;
  });
  return { apIdx: Uint16Array.from(meanDbm, (_, i) => i), rssiDbm, count: new Uint32Array(meanDbm.length).fill(reports), start: 0, end: meanDbm.length };
}

describe('still pool', () => {
  const seat = [-50, -58, -63, -66, -70, -72];
  const decay = Math.exp(-5 / 300);

  it('pools a still device: after 10 min its means sit far closer to the truth than one epoch does, with the reports counted', () => {
    const rand = lcg(7);
    const pool = new StillPool(decay, 4, 4.7 ** 2);
    let pooledSq = 0, singleSq = 0, n = 0;
    for (let e = 0; e < 120; e++) {
      const r = epoch(seat, 5, rand);
      const single = Array.from(r.rssiDbm);
      const out = pool.add(3, r);
      if (e < 60) continue; // past the pool's warm-up
      for (let i = 0; i < seat.length; i++) {
        pooledSq += (out.rssiDbm[i] - seat[i]) ** 2;
        singleSq += (single[i] - seat[i]) ** 2;
        n++;
      }
      // Weighted reports: 5 per epoch summed over a geometric series, less than 5 / (1 − decay) ≈ 302.
      expect(out.count![0]).toBeGreaterThan(5 * (1 - decay ** 61) / (1 - decay) - 1e-6);
      expect(out.count![0]).toBeLessThan(5 / (1 - decay));
    }
    // One epoch of 5 reports: 4.7/√5 ≈ 2.1 dB; the pool, well below 1 dB.
    expect(Math.sqrt(singleSq / n)).toBeGreaterThan(1.8);
    expect(Math.sqrt(pooledSq / n)).toBeLessThan(0.8);
  });

  it('starts afresh when the device moves (its means change by more than fading), and keeps devices apart', () => {
    const rand = lcg(11);
    const pool = new StillPool(decay, 4, 4.7 ** 2);
    for (let e = 0; e < 60; e++) {
      pool.add(3, epoch(seat, 5, rand));
      pool.add(4, epoch(seat.map((m) => m - 20), 5, rand));
    }
    // Device 3 walks to where the near AP is 12 dB weaker and a far one 10 dB stronger.
    const moved = seat.map((m, i) => (i === 0 ? m - 12 : i === 5 ? m + 10 : m));
    const out = pool.add(3, epoch(moved, 5, rand));
    expect(out.count![0]).toBe(5);
    expect(out.rssiDbm[0]).toBeCloseTo(moved[0], -1);
    // Device 4 never moved: its pool keeps growing.
    expect(pool.add(4, epoch(seat.map((m) => m - 20), 5, rand)).count![0]).toBeGreaterThan(100);
  });

  it('drops an AP not heard for long, keeps one missing a few epochs', () => {
    const rand = lcg(3);
    const pool = new StillPool(decay, 4, 4.7 ** 2);
    for (let e = 0; e < 20; e++) pool.add(1, epoch(seat, 5, rand));
    const withoutLast = (r: Readings): Readings => ({ ...r, end: seat.length - 1 });
    let out = pool.add(1, withoutLast(epoch(seat, 5, rand)));
    expect(out.end).toBe(seat.length);
    // 5·e^(−k/60)·(1 − e^(−20/60))/(1 − e^(−1/60)) falls below 0.2 reports after ~k = 470 epochs.
    for (let e = 0; e < 480; e++) out = pool.add(1, withoutLast(epoch(seat, 5, rand)));
    expect(out.end).toBe(seat.length - 1);
  });
});
