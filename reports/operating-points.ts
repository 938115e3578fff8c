// A sweep's recommended operating point per technology as table rows:
// technology, the parameter values, precision, recall, F1 (the `ctsim sweep`
// summary and the Markdown report show the same table).
import type { SweepSummary } from './schemas/sweep-summary.ts';
import { fixedOr } from './table.ts';

export function operatingPointRows(summary: SweepSummary, missing: string): string[][] {
  return Object.entries(summary.recommended).map(([tech, p]) =>
    p ? [tech, ...summary.params.map((k) => String(p.values[k])), ...[p.precision, p.recall, p.f1].map((x) => fixedOr(x, 3, missing))]
      : [tech, ...summary.params.map(() => missing), missing, missing, missing]);
}
