// A standing carrier's facing read off its scans (bench/studies/radio-fit/standing-facing-fit.ts):
// exact on a known pattern, and on the UJI BLE library, where the collectors turned at every point.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_SCAN_APS, scanFacing, standingFacings } from '../bench/studies/radio-fit/standing-facing-fit.ts';
import { dataDir } from '../bench/studies/real-data/data-dir.ts';
import { loadZone } from '../bench/studies/real-data/uji.ts';
import { orientationGainDb } from '../sim/radio/body-orientation.ts';

describe('standing facing', () => {
  it('recovers a body facing from APs at uneven bearings, and needs enough APs', () => {
    const bearings = [0.1, 0.5, 1.3, 1.9, 2.2, 3.0, 3.9, 4.4, 5.1, 5.9];
    const fit = scanFacing(bearings.map((b) => 2 + orientationGainDb(8, b, 2.5)), bearings)!;
    expect(fit.facingRad).toBeCloseTo(2.5, 9);
    expect(fit.amplitudeDb).toBeCloseTo(4, 9);
    expect(fit.r2).toBeCloseTo(1, 9);
    expect(scanFacing([1, 2, 3], [0, 1, 2])).toBeNull();
    expect(MIN_SCAN_APS).toBeGreaterThan(3);
  });

  it('the UJI library collectors turned: bearing explains 0.37 of a scan against 0.15 shuffled, and the facing flips within a visit', () => {
    const { site, rows } = loadZone(join(dataDir(), 'ble-localization-uji/data/'), 'lib');
    const f = standingFacings(site, rows, (r) => `${r.phone}|${r.campaign}|${r.x}|${r.y}`);
    expect(f.scans).toBeGreaterThan(1400);
    expect(f.r2).toBeGreaterThan(0.33);
    expect(f.r2Shuffled).toBeLessThan(0.18);
    expect(f.amplitudeDb - f.amplitudeShuffledDb).toBeGreaterThan(1.2);
    // Each example visit starts facing one way and ends facing about the other.
    for (const v of f.examples) {
      const turn = Math.abs(((v[v.length - 1] - v[0] + 540) % 360) - 180);
      expect(turn, v.join(' ')).toBeGreaterThan(120);
    }
  });
});
