// APs come and go between the survey and the day the engine runs: a unit is
// replaced (a new radio, a new identity the site map and survey do not know
// yet) or taken down. Each AP's identity lasts an exponential life on the air,
// so at a survey `ageDays` old an AP is gone with probability
// 1 − exp(−ageDays / lifeDays); the survey still heard it, the log never does.
// One draw per AP id (shared by its bands), so an AP gone at one age stays
// gone at every later one. lifeDays per band (radio.<band>.apLifeDays) is
// fitted on wifi-longterm-uji: of the 47 APs month 1 heard in a tenth of its
// scans, all 47 were on the air through month 11 and 25 from month 12
// (a refresh of half the network at once), 24 in month 25: L = 1,100 days
// (bench/studies/radio-fit/drift.ts, bench/results/radio-drift.md).
import { Rng } from '../rng.ts';

/** Indices of the APs (of `apIds`) gone from the air `ageDays` after the survey. */
export function apsGone(apIds: readonly string[], lifeDays: number, ageDays: number, seed: number): Set<number> {
  const gone = new Set<number>();
  if (ageDays <= 0) return gone;
  const p = 1 - Math.exp(-ageDays / lifeDays);
  apIds.forEach((id, i) => {
    if (new Rng(seed, `ap-turnover:${id}`).chance(p)) gone.add(i);
  });
  return gone;
}
