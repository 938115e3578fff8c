// Scores of a close/not-close detector: balanced accuracy at the contact
// distance, and the NIST TC4TL challenge's cost at its three distances.
// TC4TL ("Too Close For Too Long", NIST 2020; evaluation plan at
// https://www.nist.gov/itl/iad/mig/nist-tc4tl-challenge) scores a decision per
// log segment at 4, 6 and 10 ft (1.2, 1.8, 3.0 m) by its normalized decision
// cost with equal miss and false-alarm costs and a 0.5 target prior:
// nDCF = P_miss + P_fa.

/** The TC4TL distances: 4, 6 and 10 ft, metres. */
export const TC4TL_DISTANCES_M = [4 * 0.3048, 6 * 0.3048, 10 * 0.3048] as const;

export interface Confusion { tp: number; fp: number; tn: number; fn: number }

export function confusion(truth: readonly boolean[], said: readonly boolean[]): Confusion {
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  truth.forEach((t, i) => {
    if (said[i]) t ? c.tp++ : c.fp++;
    else t ? c.fn++ : c.tn++;
  });
  return c;
}

export interface Rates {
  n: number;
  precision: number;
  recall: number;
  /** (TPR + TNR) / 2; TPR alone when there are no negatives (and TNR alone without positives). */
  balancedAccuracy: number;
  /** P_miss + P_fa, each term present only when its class is (NaN parts dropped). */
  tc4tlCost: number;
}

export function rates(c: Confusion): Rates {
  const tpr = c.tp + c.fn ? c.tp / (c.tp + c.fn) : NaN;
  const tnr = c.tn + c.fp ? c.tn / (c.tn + c.fp) : NaN;
  const parts = [tpr, tnr].filter((x) => !Number.isNaN(x));
  return {
    n: c.tp + c.fp + c.tn + c.fn,
    precision: c.tp + c.fp ? c.tp / (c.tp + c.fp) : NaN,
    recall: tpr,
    balancedAccuracy: parts.reduce((s, x) => s + x, 0) / parts.length,
    tc4tlCost: parts.reduce((s, x) => s + (1 - x), 0),
  };
}

/** The single threshold (close when value ≥ it, whole dBm in [-120, 0]) with the best balanced accuracy on these values: a baseline fitted on the data it scores. */
export function bestThreshold(truth: readonly boolean[], value: readonly number[]): { threshold: number; rates: Rates } {
  let best = { threshold: -Infinity, rates: rates(confusion(truth, value.map(() => true))) };
  for (let thr = -120; thr <= 0; thr++) {
    const r = rates(confusion(truth, value.map((v) => v >= thr)));
    if (r.balancedAccuracy > best.rates.balancedAccuracy) best = { threshold: thr, rates: r };
  }
  return best;
}
