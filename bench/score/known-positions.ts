// Scores a log's fixes against the devices' known positions (a positions
// file, bench/twin/positions.ts): every fix whose device was tracked at the
// fix's time, its horizontal error, whether its 68 % radius held the truth
// and whether it named the right floor. What `ctsim locate --positions`
// prints and the twin's engine rows read. The engine never sees these.
import { quantileSorted } from 'simple-statistics';
import type { ObservationBatch } from '../../engine/contract/observations.ts';
import type { Tech } from '../../engine/contract/site.ts';
import type { Estimates } from '../../engine/outputs.ts';
import type { DeviceTracks } from '../twin/positions.ts';
import { truthLookup } from '../twin/samples.ts';
import type { FixScore } from '../../reports/schemas/metrics.ts';

/** Where a fix truly was, for a filter on which fixes count (a twin's test part). */
export type FixFilter = (deviceId: string, tMs: number, truth: { x: number; y: number; floor: number }) => boolean;

/** Every scored fix's technology, error (m), radius held, floor right. */
export interface ScoredFixes {
  tech: Tech[];
  errorM: number[];
  covered: boolean[];
  floorRight: boolean[];
}

export function scoreFixes(est: Estimates, obs: ObservationBatch, tracks: DeviceTracks, keep: FixFilter = () => true): ScoredFixes {
  const at = truthLookup(obs, tracks);
  const out: ScoredFixes = { tech: [], errorM: [], covered: [], floorRight: [] };
  for (let i = 0; i < est.length; i++) {
    const device = obs.devices[est.deviceIdx[i]];
    const p = at(est.deviceIdx[i], est.tMs[i]);
    if (!p || !keep(device.id, est.tMs[i], p)) continue;
    const e = Math.hypot(est.x[i] - p.x, est.y[i] - p.y);
    out.tech.push(device.tech);
    out.errorM.push(e);
    out.covered.push(e <= est.errorRadiusM[i]);
    out.floorRight.push(est.floor[i] === p.floor);
  }
  return out;
}

/** The summary of the scored fixes that `pick` keeps (all of them by default); NaN figures when none. */
export function summarizeFixes(s: ScoredFixes, pick: (i: number) => boolean = () => true): FixScore {
  const errors: number[] = [];
  let covered = 0, floorRight = 0, sumSq = 0;
  s.errorM.forEach((e, i) => {
    if (!pick(i)) return;
    errors.push(e);
    sumSq += e * e;
    if (s.covered[i]) covered++;
    if (s.floorRight[i]) floorRight++;
  });
  const n = errors.length;
  if (n === 0) return { fixes: 0, medianM: NaN, p90M: NaN, rmseM: NaN, coverage: NaN, floorRight: NaN };
  errors.sort((a, b) => a - b);
  return { fixes: n, medianM: quantileSorted(errors, 0.5), p90M: quantileSorted(errors, 0.9), rmseM: Math.sqrt(sumSq / n), coverage: covered / n, floorRight: floorRight / n };
}

/** Per technology that has scored fixes, and over all of them. */
export function scoreByTech(s: ScoredFixes): { perTech: Partial<Record<Tech, FixScore>>; all: FixScore } {
  const perTech: Partial<Record<Tech, FixScore>> = {};
  for (const tech of [...new Set(s.tech)].sort()) perTech[tech] = summarizeFixes(s, (i) => s.tech[i] === tech);
  return { perTech, all: summarizeFixes(s) };
}
