// Hearing shared within an emission (sim/radio/emission-hearing.ts) and its
// fit from a log (bench/twin/hearing-fit.ts): the Beta draws have the mean and
// intra-emission correlation asked for; the zero-truncated beta-binomial fit
// recovers both where the plain share of heard links is biased by the
// emissions nobody heard (a log never holds them); the detection ramp above
// the receiver's floor is read off the heard readings' shape; each AP's own
// hearing rate comes back where APs are off the air part of the time.
import { describe, expect, it } from 'vitest';
import { emissionHearing } from '../sim/radio/emission-hearing.ts';
import { expectedDetection, fitApHearing, fitHearing, fitRamp, type HearingLinks } from '../bench/twin/hearing-fit.ts';
import { Rng } from '../sim/rng.ts';

/** Emissions of `links` clear links (mean −60 dBm) each, hearing drawn per emission; emissions no link heard are dropped, as in a log. */
function clearLog(emissions: number, links: number, meanHeard: number, correlation: number, seed: number): HearingLinks {
  const rng = new Rng(seed, 'test');
  const heard: number[] = [], emission: number[] = [];
  let kept = 0;
  for (let e = 0; e < emissions; e++) {
    const p = emissionHearing(meanHeard, correlation, rng);
    const h = Array.from({ length: links }, () => (rng.chance(p) ? 1 : 0));
    if (!h.some(Boolean)) continue;
    for (const x of h) { heard.push(x); emission.push(kept); }
    kept++;
  }
  const n = heard.length;
  return { meanDbm: new Float64Array(n).fill(-60), heard: Uint8Array.from(heard), emission: Uint32Array.from(emission), w: new Float64Array(n).fill(1) };
}

describe('emissionHearing', () => {
  it('draws hearing probabilities with mean m and variance ρ m (1 − m): m 0.5, ρ 0.3 over 20,000 emissions', () => {
    const rng = new Rng(1, 'beta');
    const p = Array.from({ length: 20_000 }, () => emissionHearing(0.5, 0.3, rng));
    const mean = p.reduce((a, x) => a + x, 0) / p.length;
    const variance = p.reduce((a, x) => a + (x - mean) ** 2, 0) / p.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    expect(variance).toBeGreaterThan(0.3 * 0.25 * 0.95);
    expect(variance).toBeLessThan(0.3 * 0.25 * 1.05);
  });

  it('is the mean itself with ρ = 0 (independent loss, no draw) and all or none with ρ = 1', () => {
    const rng = new Rng(1, 'beta');
    expect(emissionHearing(0.7, 0, rng)).toBe(0.7);
    const draws = Array.from({ length: 2000 }, () => emissionHearing(0.7, 1, rng));
    expect(draws.every((x) => x === 0 || x === 1)).toBe(true);
    expect(draws.filter((x) => x === 1).length / draws.length).toBeGreaterThan(0.67);
    expect(draws.filter((x) => x === 1).length / draws.length).toBeLessThan(0.73);
  });
});

describe('fitHearing on emissions of 8 clear links, those heard by none dropped', () => {
  it('tells no rate from emissions of one clear link each (one AP on the air: each is in the log because it heard it), and one from three', () => {
    expect(fitHearing(clearLog(2000, 1, 0.6, 0, 3), -90)).toBeNull();
    const three = fitHearing(clearLog(4000, 3, 0.6, 0, 3), -90)!;
    expect(Math.abs(three.meanHeard - 0.6)).toBeLessThanOrEqual(0.05);
  });

  it('recovers m 0.45 and ρ 0.3 (4,000 emissions), where the share of heard links among the kept ones reads 0.52', () => {
    const log = clearLog(4000, 8, 0.45, 0.3, 2);
    const share = log.heard.reduce((a, h) => a + h, 0) / log.heard.length;
    expect(share).toBeGreaterThan(0.5);
    const fit = fitHearing(log, -90)!;
    expect(Math.abs(fit.meanHeard - 0.45)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(fit.correlation - 0.3)).toBeLessThanOrEqual(0.06);
  });

  it('finds independent loss independent: m 0.8, ρ 0 gives ρ ≤ 0.01', () => {
    const fit = fitHearing(clearLog(4000, 8, 0.8, 0, 3), -90)!;
    expect(Math.abs(fit.meanHeard - 0.8)).toBeLessThanOrEqual(0.02);
    expect(fit.correlation).toBeLessThanOrEqual(0.01);
  });
});

/** 40,000 readings of links with means −105 to −70 dBm (spread 5 dB) that `detected` keeps: each kept reading with its link's mean. */
function heardReadings(detected: (rssiDbm: number, rng: Rng) => boolean): { rssiDbm: Float64Array; meanDbm: Float64Array; w: Float64Array } {
  const rng = new Rng(4, 'weak');
  const rssi: number[] = [], means: number[] = [];
  for (let i = 0; i < 40_000; i++) {
    const mean = rng.uniform(-105, -70);
    const v = Math.round(mean + rng.normal(0, 5));
    if (!detected(v, rng)) continue;
    rssi.push(v);
    means.push(mean);
  }
  return { rssiDbm: Float64Array.from(rssi), meanDbm: Float64Array.from(means), w: new Float64Array(rssi.length).fill(1) };
}

describe('fitRamp on the heard readings above a −95 dBm floor', () => {
  it('finds an 8 dB ramp within 1 dB (a reading x heard with chance (x + 95) / 8 up to −87)', () => {
    const ramp = fitRamp(heardReadings((x, rng) => x > -95 && rng.chance(Math.min(1, (x + 95) / 8))), -95, 5);
    expect(Math.abs(ramp! - 8)).toBeLessThanOrEqual(1);
  });

  it('finds a hard floor hard: ramp ≤ 1 dB when every reading above −95 dBm is heard', () => {
    expect(fitRamp(heardReadings((x) => x > -95), -95, 5)).toBeLessThanOrEqual(1);
  });

  it('is not moved by losses that do not depend on the reading: 40 % of links lost at random still gives 8 ± 1 dB', () => {
    const ramp = fitRamp(heardReadings((x, rng) => x > -95 && rng.chance(0.6) && rng.chance(Math.min(1, (x + 95) / 8))), -95, 5);
    expect(Math.abs(ramp! - 8)).toBeLessThanOrEqual(1);
  });
});

describe('fitApHearing', () => {
  /** 3,000 emissions to 10 clear APs (−60 dBm): APs 0-5 on the air (heard at 0.9), 6-7 at 0.45, 8-9 off (0.02). */
  const apLog = (): { links: HearingLinks; ap: Uint16Array } => {
    const rng = new Rng(5, 'aps');
    const rates = [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.45, 0.45, 0.02, 0.02];
    const heard: number[] = [], emission: number[] = [], ap: number[] = [];
    for (let e = 0; e < 3000; e++) rates.forEach((r, a) => { heard.push(rng.chance(r) ? 1 : 0); emission.push(e); ap.push(a); });
    const n = heard.length;
    return { links: { meanDbm: new Float64Array(n).fill(-60), heard: Uint8Array.from(heard), emission: Uint32Array.from(emission), w: new Float64Array(n).fill(1) }, ap: Uint16Array.from(ap) };
  };

  it('gives each AP its own rate within 0.03 and the on-air APs the band rate 0.9, from the pooled band fit', () => {
    const { links, ap } = apLog();
    const band = fitHearing(links, -90)!;
    expect(band.meanHeard).toBeLessThan(0.7);
    const fit = fitApHearing(links, ap, new Uint8Array(ap.length), 10, band.meanHeard, -100, 0, 5);
    expect(Math.abs(fit.bandRate - 0.9)).toBeLessThanOrEqual(0.03);
    [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.45, 0.45, 0.02, 0.02].forEach((r, a) => expect(Math.abs(fit.rate[a] - r)).toBeLessThanOrEqual(0.03));
  });

  it('leaves an AP whose links say too little (under 20 expected detections) to the band rate: NaN', () => {
    const { links, ap } = apLog();
    const few = { ...links, w: Float64Array.from(links.w, (w, i) => (ap[i] === 3 && links.emission[i] >= 10 ? 0 : w)) };
    expect(fitApHearing(few, ap, new Uint8Array(ap.length), 10, 0.6, -100, 0, 5).rate[3]).toBeNaN();
  });

  /** 3,000 emissions to 6 APs heard at 0.9 and detected above −100 dBm (readings' spread 5 dB): APs 3-5 one floor away, where a slab costs `slabDb` more than the links' means (−60 to −100 dBm) say. */
  const slabLog = (slabDb: number): { links: HearingLinks; ap: Uint16Array; slabs: Uint8Array } => {
    const rng = new Rng(6, 'slabs');
    const heard: number[] = [], emission: number[] = [], ap: number[] = [], slabs: number[] = [], mean: number[] = [];
    for (let e = 0; e < 3000; e++) {
      for (let a = 0; a < 6; a++) {
        const s = a < 3 ? 0 : 1, m = rng.uniform(-100, -60);
        heard.push(rng.chance(0.9 * expectedDetection(m - slabDb * s + 100, 0, 5)) ? 1 : 0); emission.push(e); ap.push(a); slabs.push(s); mean.push(m);
      }
    }
    const n = heard.length;
    return { links: { meanDbm: Float64Array.from(mean), heard: Uint8Array.from(heard), emission: Uint32Array.from(emission), w: new Float64Array(n).fill(1) }, ap: Uint16Array.from(ap), slabs: Uint8Array.from(slabs) };
  };

  it('keeps the APs\' rates from their own floor and finds the loss a slab adds beyond the heard readings\' line: 15 dB within 1.5', () => {
    const { links, ap, slabs } = slabLog(15);
    const fit = fitApHearing(links, ap, slabs, 6, 0.9, -100, 0, 5);
    expect(Math.abs(fit.slabExtraDb - 15)).toBeLessThanOrEqual(1.5);
    [0, 1, 2].forEach((a) => expect(Math.abs(fit.rate[a] - 0.9)).toBeLessThanOrEqual(0.03));
    [3, 4, 5].forEach((a) => expect(fit.rate[a]).toBeNaN());
  });

  it('adds no loss where the links between floors are heard as their means say', () => {
    const { links, ap, slabs } = slabLog(0);
    expect(fitApHearing(links, ap, slabs, 6, 0.9, -100, 0, 5).slabExtraDb).toBeLessThanOrEqual(1);
  });

  /** The same floor's 6 APs, each link through 0-3 walls of material 0 and 0-1 of material 1, where each crossing costs `extraDb[m]` more than the links' means say. */
  const wallLog = (extraDb: [number, number]): { links: HearingLinks; ap: Uint16Array; slabs: Uint8Array; walls: Float64Array[] } => {
    const rng = new Rng(7, 'walls');
    const heard: number[] = [], emission: number[] = [], ap: number[] = [], mean: number[] = [], w0: number[] = [], w1: number[] = [];
    for (let e = 0; e < 3000; e++) {
      for (let a = 0; a < 6; a++) {
        const c0 = rng.int(4), c1 = rng.int(2), m = rng.uniform(-100, -60);
        heard.push(rng.chance(0.9 * expectedDetection(m - extraDb[0] * c0 - extraDb[1] * c1 + 100, 0, 5)) ? 1 : 0);
        emission.push(e); ap.push(a); mean.push(m); w0.push(c0); w1.push(c1);
      }
    }
    const n = heard.length;
    return {
      links: { meanDbm: Float64Array.from(mean), heard: Uint8Array.from(heard), emission: Uint32Array.from(emission), w: new Float64Array(n).fill(1) },
      ap: Uint16Array.from(ap), slabs: new Uint8Array(n), walls: [Float64Array.from(w0), Float64Array.from(w1)],
    };
  };

  it('finds what each wall material\'s crossings cost beyond the heard readings\' line: 3 and 8 dB within 1', () => {
    const { links, ap, slabs, walls } = wallLog([3, 8]);
    const fit = fitApHearing(links, ap, slabs, 6, 0.9, -100, 0, 5, undefined, 0, walls);
    expect(Math.abs(fit.wallExtraDb[0] - 3)).toBeLessThanOrEqual(1);
    expect(Math.abs(fit.wallExtraDb[1] - 8)).toBeLessThanOrEqual(1);
  });

  it('adds no loss where the links through walls are heard as their means say', () => {
    const { links, ap, slabs, walls } = wallLog([0, 0]);
    for (const e of fitApHearing(links, ap, slabs, 6, 0.9, -100, 0, 5, undefined, 0, walls).wallExtraDb) expect(e).toBeLessThanOrEqual(1);
  });
});
