// Hearing shared within an emission (sim/radio/emission-hearing.ts) and its
// fit from a log (bench/twin/hearing-fit.ts): the Beta draws have the mean and
// intra-emission correlation asked for; the zero-truncated beta-binomial fit
// recovers both where the plain share of heard links is biased by the
// emissions nobody heard (a log never holds them); the detection ramp above
// the receiver's floor is as wide as the weak links' hearing says.
import { describe, expect, it } from 'vitest';
import { emissionHearing } from '../sim/radio/emission-hearing.ts';
import { fitHearing, type HearingLinks } from '../bench/twin/hearing-fit.ts';
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
  it('recovers m 0.45 and ρ 0.3 (4,000 emissions), where the share of heard links among the kept ones reads 0.52', () => {
    const log = clearLog(4000, 8, 0.45, 0.3, 2);
    const share = log.heard.reduce((a, h) => a + h, 0) / log.heard.length;
    expect(share).toBeGreaterThan(0.5);
    const fit = fitHearing(log, -110, -90, 5)!;
    expect(Math.abs(fit.meanHeard - 0.45)).toBeLessThanOrEqual(0.03);
    expect(Math.abs(fit.correlation - 0.3)).toBeLessThanOrEqual(0.06);
  });

  it('finds independent loss independent: m 0.8, ρ 0 gives ρ ≤ 0.01', () => {
    const fit = fitHearing(clearLog(4000, 8, 0.8, 0, 3), -110, -90, 5)!;
    expect(Math.abs(fit.meanHeard - 0.8)).toBeLessThanOrEqual(0.02);
    expect(fit.correlation).toBeLessThanOrEqual(0.01);
  });

  /** 3,000 emissions of 6 clear links plus 4 weak ones each (means −100 to −80 dBm, spread 5 dB), a weak one heard when the loss spares it and `detected` takes its reading. */
  const weakLog = (detected: (rssiDbm: number, rng: Rng) => boolean): HearingLinks => {
    const rng = new Rng(4, 'weak');
    const clear = clearLog(3000, 6, 0.8, 0, 5);
    const meanDbm = [...clear.meanDbm], heard = [...clear.heard], emission = [...clear.emission];
    const emissions = clear.emission[clear.emission.length - 1] + 1;
    for (let e = 0; e < emissions; e++) {
      for (let k = 0; k < 4; k++) {
        const mean = rng.uniform(-100, -80);
        meanDbm.push(mean);
        heard.push(rng.chance(0.8) && detected(mean + rng.normal(0, 5), rng) ? 1 : 0);
        emission.push(e);
      }
    }
    const order = emission.map((e, i) => [e, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
    return {
      meanDbm: Float64Array.from(order, (i) => meanDbm[i]), heard: Uint8Array.from(order, (i) => heard[i]),
      emission: Uint32Array.from(order, (i) => emission[i]), w: new Float64Array(order.length).fill(1),
    };
  };

  it('fits the detection ramp above a −95 dBm floor: 8 dB within 1 dB (a reading x heard with chance (x + 95) / 8 up to −87)', () => {
    const fit = fitHearing(weakLog((x, rng) => x >= -95 && rng.chance(Math.min(1, (x + 95) / 8))), -95, -75, 5)!;
    expect(fit.rampDb).not.toBeNull();
    expect(Math.abs(fit.rampDb! - 8)).toBeLessThanOrEqual(1);
  });

  it('finds a hard floor hard: ramp ≤ 0.5 dB when every reading above −95 dBm is heard', () => {
    const fit = fitHearing(weakLog((x) => x >= -95), -95, -75, 5)!;
    expect(fit.rampDb).toBeLessThanOrEqual(0.5);
  });
});
