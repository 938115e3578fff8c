// Fast fading as a gain in dB on the mean received power (mean linear gain 1):
// Rician with factor K in line of sight, Rayleigh (K = 0) behind walls.
import type { Rng } from '../rng.ts';

export function ricianFadingDb(kLinear: number, rng: Rng): number {
  // Box-Muller pair: both quadratures of the scattered component from one draw.
  const r = Math.sqrt(-2 * Math.log(rng.positive()));
  const phase = 2 * Math.PI * rng.random();
  const scatter = Math.sqrt(1 / (2 * (kLinear + 1)));
  const inPhase = Math.sqrt(kLinear / (kLinear + 1)) + scatter * r * Math.cos(phase);
  const quadrature = scatter * r * Math.sin(phase);
  return 10 * Math.log10(inPhase * inPhase + quadrature * quadrature);
}

export function rayleighFadingDb(rng: Rng): number {
  // Rayleigh envelope power is exponential with mean 1.
  return 10 * Math.log10(-Math.log(rng.positive()));
}
