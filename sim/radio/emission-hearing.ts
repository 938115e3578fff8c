// Loss shared within an emission. A phone's scan window catches one beacon's
// advert or misses it for every beacon alike, and a tag's advert reaches the
// anchors together or not: how many receivers hear one emission varies far
// more than independent losses give (UJI BLE office area: 0 to 22 of 22
// beacons per scan, where independent losses at its 46 % hearing rate would
// give 6-14). Each emission draws its own hearing probability from a Beta
// distribution with mean 1 − packetLoss and intra-emission correlation
// ρ = 1 / (a + b + 1) (BandRadio.packetLossCorrelation); every receiver then
// hears it with that probability. ρ = 0 is independent loss (the draw is
// skipped); ρ → 1 is all or none. `ctsim calibrate` fits ρ per log as a
// zero-truncated beta-binomial (bench/twin/calibrate.ts).
import type { Rng } from '../rng.ts';

/** This emission's hearing probability: Beta with mean `meanHeard` and intra-emission correlation `correlation` (0 ≤ ρ < 1). */
export function emissionHearing(meanHeard: number, correlation: number, rng: Rng): number {
  if (correlation <= 0 || meanHeard <= 0 || meanHeard >= 1) return meanHeard;
  if (correlation >= 1) return rng.chance(meanHeard) ? 1 : 0;
  const scale = 1 / correlation - 1;
  const a = gamma(meanHeard * scale, rng), b = gamma((1 - meanHeard) * scale, rng);
  return a + b > 0 ? a / (a + b) : meanHeard;
}

/** A Gamma(shape, 1) draw (Marsaglia and Tsang 2000; shape < 1 by the u^(1/shape) boost). */
function gamma(shape: number, rng: Rng): number {
  if (shape < 1) return gamma(shape + 1, rng) * rng.positive() ** (1 / shape);
  const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = rng.positive();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
