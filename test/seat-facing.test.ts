// A seat's facing (zone.seatFacingDeg) for the carrier's body by
// orientation: validated, listed per seat, and turning seated people.
import { describe, expect, it } from 'vitest';
import { scenarioToJson } from '../scenarios/serialize.ts';
import { seatsOf } from '../scenarios/seats.ts';
import { validateScenario } from '../scenarios/validate.ts';
import { seatFacings, seatKey } from '../sim/radio/body-orientation.ts';
import { positionAt } from '../sim/track.ts';
import { badgeLinkMeans, LINK_AP_BASE } from './helpers/badge-link-means.ts';
import { shortOffice } from './helpers/short-office.ts';

type Json = { site: { zones: Record<string, unknown>[] } };

describe('zone.seatFacingDeg', () => {
  const file = (): Json => JSON.parse(JSON.stringify(scenarioToJson(shortOffice())));

  it('is optional (null: the way people walked in), a direction in 0-360 degrees', () => {
    expect(validateScenario(file(), 'office').site.zones.every((z) => z.seatFacingDeg === null)).toBe(true);
    const f = file();
    f.site.zones[2].seatFacingDeg = 90;
    expect(validateScenario(f, 'office').site.zones[2].seatFacingDeg).toBe(90);
    f.site.zones[2].seatFacingDeg = 400;
    expect(() => validateScenario(f, 'office')).toThrow(/site\.zones\[2\]\.seatFacingDeg.*400/);
  });

  it('gives every seat of its zone that facing, and no other seat any', () => {
    const s = shortOffice();
    s.site.zones[2].seatFacingDeg = 90;
    const facings = seatFacings(s.site);
    const seats = seatsOf(s.site.zones[2]);
    expect(facings.size).toBe(seats.length);
    for (const [x, y] of seats) expect(facings.get(seatKey(s.site.zones[2].floor, x, y))).toBeCloseTo(Math.PI / 2, 12);
  });
});

describe('in the simulated office', () => {
  /** Mean RSSI per (badge, AP) link from 20 to 30 minutes with every desk facing `deg`, and the run. */
  function facing(deg: number): ReturnType<typeof badgeLinkMeans> {
    const s = shortOffice();
    s.radio.effects.bodyOrientation = true;
    for (const z of s.site.zones) if (z.kind === 'desks') z.seatFacingDeg = deg;
    return badgeLinkMeans(s);
  }

  it('people at their desks face the desks\' way: facing +x rather than -x moves each link by depth · cos(bearing to the AP)', () => {
    const s = shortOffice();
    const { means: east, result: { truth } } = facing(0);
    const west = facing(180).means;
    const desks = seatFacings({ ...s.site, zones: s.site.zones.map((z) => ({ ...z, seatFacingDeg: z.kind === 'desks' ? 0 : null })) });
    const depthDb = s.radio.ble.bodyOrientationDepthDb.lanyard;
    const errs: number[] = [];
    for (const [key, v] of east) {
      if (!west.has(key)) continue;
      const person = truth.deviceOwner[Math.floor(key / LINK_AP_BASE)];
      const at = positionAt(truth.tracks[person], 1_200_000), later = positionAt(truth.tracks[person], 1_800_000);
      // Seated at a desk the whole ten minutes.
      if (at.x !== later.x || at.y !== later.y || !desks.has(seatKey(at.floor, at.x, at.y))) continue;
      const ap = s.site.aps[key % LINK_AP_BASE];
      const expected = depthDb * Math.cos(Math.atan2(ap.y - at.y, ap.x - at.x));
      errs.push(v - west.get(key)! - expected);
    }
    expect(errs.length).toBeGreaterThan(30);
    // What is left is the two ten-minute means' own fading noise (fading draws are shared, so it is small). Measured:
    // 40 links, RMS 0.62 dB against a ±8 dB swing.
    const rmsErr = Math.sqrt(errs.reduce((a, e) => a + e * e, 0) / errs.length);
    expect(rmsErr).toBeLessThan(1);
  });
});
