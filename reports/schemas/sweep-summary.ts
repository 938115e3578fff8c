// sweep.json, a sweep's summary (bench/harness/sweep-output.ts writes it,
// reports read it): the grid, the precision/recall curve per technology and
// the recommended operating point.

export interface SweepSummary {
  params: string[];
  scenarios: string[];
  seeds: number[];
  /** Set when only some units ran: the curves cover those units only. */
  shard?: string;
  minRecall: number | null;
  /** Per technology, one point per parameter point, in point order. */
  prCurves: Record<string, PrPoint[]>;
  /** Best F1, or with minRecall the best precision among points reaching it; null when none does. */
  recommended: Record<string, PrPoint | null>;
}

export interface PrPoint {
  point: number;
  /** The point's value of each --param, by config path. */
  values: Record<string, number | string | boolean>;
  precision: number;
  recall: number;
  f1: number;
}
