// The carrier's body by orientation (sim/radio/body-orientation.ts) against
// its source, ble-6ft-mitll's rotations, and switched on in a simulated office.
import { describe, expect, it } from 'vitest';
import { fitCosine, INDOOR, indoorDepthByCarry, MITLL_PHONES, orientationFits } from '../bench/studies/radio-fit/body-orientation-fit.ts';
import { scenarioToJson } from '../scenarios/serialize.ts';
import { validateScenario } from '../scenarios/validate.ts';
import { orientationGainDb } from '../sim/radio/body-orientation.ts';
import { badgeLinkMeans } from './helpers/badge-link-means.ts';
import { shortOffice } from './helpers/short-office.ts';

describe('fitted on ble-6ft-mitll rotations', () => {
  const fits = orientationFits();

  it('the cosine fit recovers a known depth and facing exactly', () => {
    const degs = [0, 45, 90, 135, 180, 225, 270, 315];
    const fit = fitCosine(degs, degs.map((d) => -60 + orientationGainDb(9, (d * Math.PI) / 180, (200 * Math.PI) / 180)));
    expect(fit.depthDb).toBeCloseTo(9, 9);
    expect(fit.facingDeg).toBeCloseTo(200, 9);
    expect(fit.residualDb).toBeLessThan(1e-9);
  });

  it('the body is the cause: front pocket faces the receiver at 0°, back pocket at 180°', () => {
    const facing = (phone: string) => fits.filter((f) => f.phone === phone).map((f) => f.facingDeg);
    for (const deg of facing('TestPhone1')) expect(Math.abs(deg - 20)).toBeLessThan(30);
    for (const deg of facing('TestPhone3')) expect(Math.abs(deg - 190)).toBeLessThan(30);
  });

  it('a cosine holds each indoor rotation curve to within 4 dB RMS (largest 3.5: conference room, back pocket), and gives the scenario defaults', () => {
    for (const f of fits.filter((x) => INDOOR.includes(x.environment))) expect(f.residualDb, `${f.environment} ${f.phone}`).toBeLessThan(4);
    const byCarry = indoorDepthByCarry(fits);
    const file = JSON.parse(JSON.stringify(scenarioToJson(shortOffice())));
    delete file.radio.ble.bodyOrientationDepthDb;
    const defaults = validateScenario(file, 'office').radio.ble.bodyOrientationDepthDb;
    expect(Math.abs(byCarry.pocket! - defaults.pocket)).toBeLessThan(0.5);
    expect(Math.abs(byCarry.hand! - defaults.hand)).toBeLessThan(0.5);
    // A chest badge is not in the data: the pocket's depth.
    expect(defaults.lanyard).toBe(defaults.pocket);
    expect(Object.values(MITLL_PHONES).filter((p) => p.carry === 'pocket')).toHaveLength(2);
  });
});

describe('in the simulated office', () => {
  /** Mean RSSI per (badge, AP) link over 20-30 min, when most people sit still. */
  function seatedLinkMeans(bodyOrientation: boolean): Map<number, number> {
    const s = shortOffice();
    s.radio.effects.bodyOrientation = bodyOrientation;
    return badgeLinkMeans(s).means;
  }

  it('moves each link by up to half the depth, as a cosine of a random facing spreads it (sd ≈ depth / 2√2)', () => {
    const off = seatedLinkMeans(false);
    const on = seatedLinkMeans(true);
    const diffs = [...on].filter(([k]) => off.has(k)).map(([k, v]) => v - off.get(k)!);
    expect(diffs.length).toBeGreaterThan(100);
    const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    const sd = Math.sqrt(diffs.reduce((a, b) => a + (b - mean) ** 2, 0) / diffs.length);
    // Badges on lanyards: depth 8 dB, so sd 2.83 dB plus the fading left in two 10-minute means.
    expect(sd).toBeGreaterThan(2.3);
    expect(sd).toBeLessThan(3.5);
    expect(Math.max(...diffs.map(Math.abs))).toBeLessThan(4 + 2.5);
  });
});
