// A standing carrier's facing read off its scans (bench/studies/radio-fit/standing-facing-fit.ts):
// exact on a known pattern, and on the UJI BLE library, whose collectors faced the way they walked.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_SCAN_APS, revisitFacings, revisitPairs, scanFacing, standingFacings } from '../bench/studies/radio-fit/standing-facing-fit.ts';
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

  it('the UJI collectors faced the way they walked: steady within a visit, reversed on the walk back', () => {
    const dir = join(dataDir(), 'ble-localization-uji/data/');
    const { site, rows } = loadZone(dir, 'lib');
    const within = standingFacings(site, rows, (r) => `${r.phone}|${r.campaign}|${r.point}|${r.x}|${r.y}`);
    expect(within.scans).toBeGreaterThan(500);
    // Within one visit the bearing explains little more than shuffled bearings do.
    expect(within.r2 - within.r2Shuffled).toBeLessThan(0.05);
    // A position's two visits (out and back along the same line) differ by a cosine peaking the way the first walked in.
    const back = revisitFacings(site, revisitPairs(rows, (r) => `${r.phone}|${r.campaign}|${r.point}`));
    expect(back.positions).toBeGreaterThan(100);
    expect(back.r2).toBeGreaterThan(0.4);
    expect(back.r2Shuffled).toBeLessThan(0.2);
    expect(back.amplitudeDb - back.amplitudeShuffledDb).toBeGreaterThan(3);
    expect(back.alongWalk).toBeGreaterThan(0.75);
  });
});
