// One interface, one file per close-pair search (grid.ts, all-pairs.ts); the
// exposure bookkeeping they share lives in exposure.ts.
import type { Estimates } from '../outputs.ts';

export type PairVisitor = (rowA: number, rowB: number, distanceM: number) => void;

export interface ContactDetector {
  /**
   * Calls visit exactly once for every unordered pair of estimate rows among
   * rows[0, n) (all of one epoch) on the same floor and at most distanceM apart.
   */
  closePairs(est: Estimates, rows: Uint32Array, n: number, distanceM: number, visit: PairVisitor): void;
}

/** Horizontal distance between two estimates; Infinity across floors. */
export function pairDistanceM(est: Estimates, i: number, j: number): number {
  if (est.floor[i] !== est.floor[j]) return Infinity;
  const dx = est.x[i] - est.x[j];
  const dy = est.y[i] - est.y[j];
  return Math.sqrt(dx * dx + dy * dy);
}
