// The slow component fitted on short streams as their mean-removed
// autocorrelation reads it (bench/twin/slow-fit.ts): streams made up with a
// known slow component (an exact OU) and independent fast noise.
import { describe, expect, it } from 'vitest';
import { fitSlow } from '../bench/twin/slow-fit.ts';
import { streamAutocorrelation } from '../bench/twin/fidelity.ts';
import { Rng } from '../sim/rng.ts';

const LAGS_S = [1, 3];

/** `count` streams of spanS at 10 readings a second: OU of sd slowDb and correlation time tauS plus fast noise of sd fastDb. */
function streams(count: number, spanS: number, slowDb: number, tauS: number, fastDb: number, seed = 5) {
  const rng = new Rng(seed, 'slow-fit');
  const keep = Math.exp(-0.1 / tauS);
  return Array.from({ length: count }, () => {
    const tMs: number[] = [], rssiDbm: number[] = [];
    let v = rng.normal(0, slowDb);
    for (let t = 0; t <= spanS; t += 0.1) {
      tMs.push(t * 1000);
      rssiDbm.push(-70 + v + rng.normal(0, fastDb));
      v = v * keep + rng.normal(0, slowDb * Math.sqrt(1 - keep * keep));
    }
    return { tMs, rssiDbm };
  });
}

function fitOf(series: ReturnType<typeof streams>) {
  const measured = LAGS_S.map((lag) => streamAutocorrelation(series, lag));
  let within = 0, n = 0;
  for (const s of series) {
    const m = s.rssiDbm.reduce((a, b) => a + b, 0) / s.rssiDbm.length;
    for (const x of s.rssiDbm) within += (x - m) ** 2;
    n += s.rssiDbm.length;
  }
  const spans = series.map((s) => ({ spanS: (s.tMs[s.tMs.length - 1] - s.tMs[0]) / 1000, readings: s.tMs.length }));
  return { measured, within: within / n, fit: fitSlow(spans, measured.map((m) => m.meanLagS), measured.map((m) => m.r), measured.map((m) => m.pairs), within / n) };
}

describe('slow component on short streams', () => {
  it('recovers share, correlation time and the whole variance where the streams\' means hide much of it', () => {
    // Slow sd 4 dB, τ 6 s, fast 3 dB (share 0.64, variance 25 dB²) in 20 s streams: each stream's mean takes a third of the slow part.
    const { measured, within, fit } = fitOf(streams(300, 20, 4, 6, 3));
    expect(fit.share).toBeGreaterThan(0.56);
    expect(fit.share).toBeLessThan(0.72);
    expect(fit.correlationS).toBeGreaterThan(4.5);
    expect(fit.correlationS).toBeLessThan(8);
    expect(fit.varianceDb2).toBeGreaterThan(22);
    expect(fit.varianceDb2).toBeLessThan(28);
    expect(Math.sqrt(fit.share * fit.varianceDb2)).toBeCloseTo(4, 0);
    // Read as if the streams were endless (ρ(L) = share · e^(−L/τ) through the two lags, share of the within-stream variance), the slow sd comes out near 3 dB.
    const tau = (measured[1].meanLagS - measured[0].meanLagS) / Math.log(measured[0].r / measured[1].r);
    expect(Math.sqrt(measured[0].r * Math.exp(measured[0].meanLagS / tau) * within)).toBeLessThan(3.4);
  });

  it('long streams: the same as reading them endless', () => {
    const { fit } = fitOf(streams(20, 600, 3, 2, 4));
    expect(fit.share).toBeGreaterThan(0.3);
    expect(fit.share).toBeLessThan(0.42);
    expect(fit.correlationS).toBeGreaterThan(1.6);
    expect(fit.correlationS).toBeLessThan(2.5);
  });

  it('independent readings: no slow component', () => {
    const { fit } = fitOf(streams(100, 20, 0, 2, 5));
    expect(fit.share).toBeLessThan(0.03);
    expect(Math.sqrt(fit.varianceDb2)).toBeCloseTo(5, 0);
  });
});
