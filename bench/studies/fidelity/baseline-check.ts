// npm run fidelity --check: this run's verdicts against a committed baseline.
// A row that passed there and fails now (or is gone while its twin ran) is a
// regression; a row the baseline does not have (a new twin, a new row) is
// reported as new, never a failure, until the baseline is re-recorded.
import type { Row } from '../../twin/fidelity.ts';

export interface TwinRows {
  name: string;
  rows: Row[];
}

export const rowKey = (twin: string, r: Pick<Row, 'metric' | 'of'>): string => `${twin} | ${r.metric} | ${r.of}`;

export interface BaselineComparison {
  /** Rows that passed in the baseline and fail (or are missing) now. */
  regressed: string[];
  /** Rows of this run the baseline does not have, with their verdict now. */
  added: { key: string; pass: boolean }[];
  /** Rows that passed in the baseline. */
  passedBefore: number;
}

export function compareWithBaseline(baseline: readonly TwinRows[], now: readonly TwinRows[]): BaselineComparison {
  const ran = new Set(now.map((c) => c.name));
  const before = new Map(baseline.flatMap((c) => c.rows.map((r) => [rowKey(c.name, r), { twin: c.name, pass: r.pass }] as const)));
  const current = new Map(now.flatMap((c) => c.rows.map((r) => [rowKey(c.name, r), r.pass] as const)));
  const regressed = [...before].filter(([key, b]) => b.pass && ran.has(b.twin) && current.get(key) !== true).map(([key]) => key);
  const added = [...current].filter(([key]) => !before.has(key)).map(([key, pass]) => ({ key, pass }));
  return { regressed, added, passedBefore: [...before.values()].filter((b) => b.pass).length };
}
