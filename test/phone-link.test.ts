// The simulator's phone-to-phone link (radio.ble.phoneLink) against its
// source, ble-proximity-pcng, and phone pairs 2 m apart in a simulated room.
import { median } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { fitPhoneLink } from '../bench/studies/radio-fit/phone-link-fit.ts';
import { scenarioToJson } from '../scenarios/serialize.ts';
import type { CarryPosition } from '../scenarios/types.ts';
import { BAND_DEFAULTS, PHONE_LINK_DEFAULTS, validateScenario } from '../scenarios/validate.ts';
import type { Carrier } from '../sim/devices.ts';
import { simulatePhoneProximity } from '../sim/phone-proximity.ts';
import { BandChannel } from '../sim/radio/channel.ts';
import { TrackBuilder } from '../sim/track.ts';
import { shortOffice } from './helpers/short-office.ts';

describe('fitted on ble-proximity-pcng', () => {
  const fit = fitPhoneLink(BAND_DEFAULTS.bodyLossDb);

  it('the defaults are the fit: hand-hand −75.3 dBm at 1 m, exponent 2.25, per-phone offset sd 5.4 dB', () => {
    expect(Math.abs(fit.refRssiDbmAt1m - PHONE_LINK_DEFAULTS.refRssiDbmAt1m)).toBeLessThan(0.1);
    expect(Math.abs(fit.pathLossExponent - PHONE_LINK_DEFAULTS.pathLossExponent)).toBeLessThan(0.01);
    expect(Math.abs(fit.offsetSigmaDb - PHONE_LINK_DEFAULTS.offsetSigmaDb)).toBeLessThan(0.1);
    // The hand-hand line holds its 13 distance means to within 3.5 dB RMS.
    expect(fit.pairs.find((p) => p.pair === 'HH')!.residualDb).toBeLessThan(3.5);
    const file = JSON.parse(JSON.stringify(scenarioToJson(shortOffice())));
    delete file.radio.ble.phoneLink;
    expect(validateScenario(file, 'office').radio.ble.phoneLink).toEqual(PHONE_LINK_DEFAULTS);
  });

  it('real pairs read −76 to −97 dBm at 2 m, far below what an AP-side link gives (−48.5)', () => {
    const at2m = Object.values(fit.pcngAt2mDbm);
    expect(Math.max(...at2m)).toBe(-76);
    expect(Math.min(...at2m)).toBe(-97);
  });

  it('an out-of-range phoneLink value is refused, naming the field', () => {
    const file = JSON.parse(JSON.stringify(scenarioToJson(shortOffice())));
    file.radio.ble.phoneLink = { refRssiDbmAt1m: 10 };
    expect(() => validateScenario(file, 'office')).toThrow(/radio\.ble\.phoneLink\.refRssiDbmAt1m/);
  });
});

describe('phone pairs 2 m apart in the simulated office, walls removed', () => {
  /** Median RSSI of each of 20 pairs 2 m apart (both directions), over 10 minutes. */
  function pairMediansDbm(carry: CarryPosition): number[] {
    const s = shortOffice();
    s.durationS = 600;
    s.site.walls = [];
    const pairs = 20;
    const tracks = Array.from({ length: 2 * pairs }, (_, p) => {
      const b = new TrackBuilder();
      b.add(0, 2 * Math.floor(p / 2), 4 + 2 * (p % 2), 0);
      return b.build();
    });
    const carriers: Carrier[] = tracks.map((_, p) => ({ tech: 'ble-app', person: p, carry, deviceIdx: p, fiveGhz: false }));
    const batch = simulatePhoneProximity(s, tracks, carriers, new BandChannel(s.site, 'ble', s.radio.ble, s.radio.effects, s.seed));
    const byPair = new Map<number, number[]>();
    for (let i = 0; i < batch.length; i++) {
      const [a, b] = [batch.scanner[i], batch.advertiser[i]];
      if (Math.floor(a / 2) !== Math.floor(b / 2)) continue;
      const k = Math.floor(a / 2);
      byPair.set(k, [...(byPair.get(k) ?? []), batch.rssiDbm[i]]);
    }
    return [...byPair.values()].map((r) => median(r));
  }

  it('hand to hand they read as pcng hand-hand pairs do (−80 dBm), within 3 dB', () => {
    const medians = pairMediansDbm('hand');
    expect(medians.length).toBe(20);
    expect(Math.abs(median(medians) - -80)).toBeLessThan(3);
    // Every pair within the real range at 2 m widened by two phones' offset sd.
    for (const m of medians) expect(m).toBeGreaterThan(-97 - 2 * 5.4 * Math.SQRT2);
    for (const m of medians) expect(m).toBeLessThan(-76 + 2 * 5.4 * Math.SQRT2);
  });

  it('pocket to pocket they read weaker by the two body losses (real: −97 dBm, at the sensitivity floor)', () => {
    const hand = median(pairMediansDbm('hand'));
    const pocket = pairMediansDbm('pocket');
    // Readings below sensitivity (−95) are lost, so the heard ones' median sits above the mean.
    expect(median(pocket)).toBeLessThan(hand - 6);
    expect(median(pocket)).toBeGreaterThan(-97);
  });
});
