// A weak link is heard only on its fading peaks: packets that fade below the
// receiver's sensitivity are never reported, so the mean of the readings that
// were heard runs above the link's true mean, the more the rarer it is heard
// (a quarter of the packets heard: +6 dB). Its hearing share (reports of
// the AP over reports of the device's best-heard AP in the same time, which
// the packet loss common to all APs cancels out of) tells how deep the cut
// was, and so how far the mean is off.
// Fading is taken as Rayleigh (received power exponential with mean 1), the
// rule for links behind walls, which the weak ones are: heard when the power
// exceeds t = −ln(share), and E[10·log10 P | P > t] − E[10·log10 P]
// = 10/ln 10 · (ln t + e^t·E1(t) + γ), E1 the exponential integral.

const EULER_GAMMA = 0.5772156649015329;
const DB_PER_NEPER = 10 / Math.LN10;

/** e^t·E1(t) for t > 0: power series up to 1, continued fraction beyond (Numerical Recipes' expint), which needs no e^t at large t. */
function scaledExpIntegralE1(t: number): number {
  if (t <= 1) {
    let sum = -EULER_GAMMA - Math.log(t), term = 1;
    for (let k = 1; k < 60; k++) {
      term *= -t / k;
      const add = -term / k;
      sum += add;
      if (Math.abs(add) < 1e-15 * Math.abs(sum)) break;
    }
    return Math.exp(t) * sum;
  }
  // Lentz's method on the continued fraction 1/(t+1−) 1/(t+3−) 4/(t+5−) … = e^t·E1(t).
  let b = t + 1, c = 1e300, d = 1 / b, h = d;
  for (let i = 1; i < 200; i++) {
    const a = -i * i;
    b += 2;
    d = 1 / (a * d + b);
    c = b + a / c;
    const del = c * d;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

function exactBiasDb(heardShare: number): number {
  if (heardShare >= 1) return 0;
  const t = -Math.log(Math.max(heardShare, Number.MIN_VALUE));
  return DB_PER_NEPER * (Math.log(t) + scaledExpIntegralE1(t) + EULER_GAMMA);
}

// The map localizer asks for every AP of every fix: a table over the share
// (linear between entries, within 0.01 dB) instead of a series each time.
const TABLE_STEPS = 1024;
const biasTable = Float64Array.from({ length: TABLE_STEPS + 1 }, (_, k) => exactBiasDb(Math.max(k, 1) / TABLE_STEPS));

/** How far above the link's mean (dB, ≥ 0) the mean of its heard readings runs when a share `heardShare` (0, 1] of its packets is heard. */
export function censoredMeanBiasDb(heardShare: number): number {
  if (heardShare >= 1) return 0;
  if (heardShare < 1 / TABLE_STEPS) return exactBiasDb(heardShare);
  const u = heardShare * TABLE_STEPS, k = Math.floor(u);
  return biasTable[k] + (u - k) * (biasTable[k + 1] - biasTable[k]);
}

/**
 * Share of a Rayleigh-faded link's packets heard at this sensitivity, from the
 * link's mean in dB (which lies 10·γ/ln 10 ≈ 2.5 dB below its mean power).
 */
const heardShareAt = (meanDbm: number, sensitivityDbm: number): number =>
  Math.exp(-(10 ** ((sensitivityDbm - meanDbm - DB_PER_NEPER * EULER_GAMMA) / 10)));

/**
 * The link mean whose heard readings average `heardMeanDbm` at this
 * sensitivity: for a few readings, whose count tells the share too coarsely
 * (10 packets: one lost to packet loss reads as 1.3 dB of censoring). The
 * heard mean saturates near the sensitivity, so the answer is only sought
 * down to a hearing share of `minShare` (bisection: mean + bias(share(mean))
 * rises with the mean).
 */
export function uncensoredMeanDbm(heardMeanDbm: number, sensitivityDbm: number, minShare: number): number {
  const heardAt = (mean: number): number => mean + censoredMeanBiasDb(heardShareAt(mean, sensitivityDbm));
  let lo = heardMeanDbm - censoredMeanBiasDb(minShare), hi = heardMeanDbm;
  if (heardAt(lo) >= heardMeanDbm) return lo;
  for (let k = 0; k < 40 && hi - lo > 1e-3; k++) {
    const mid = (lo + hi) / 2;
    if (heardAt(mid) < heardMeanDbm) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
