// A sweep's output folder:
//   sweep.arrow / sweep.csv  the tidy table, one row per (unit, tech):
//       unit Int32 (run order; see below), scenario Utf8, seed Int32,
//       point Int32 (index into the parameter grid), one column per --param
//       (named by its path: Float64, or Utf8 for names), tech Utf8, then
//       one Float64 column per metric under perTech.<tech> (e.g.
//       contacts.f1, localization.medianErrorM; null when missing).
//   sweep.json  (reports/schemas/sweep-summary.ts) the grid, the precision/recall curve per technology
//       (mean over scenarios and seeds) and the recommended operating point.
// Shards: `--shard i/n` runs every n-th unit; concatenating the shards'
// tables and sorting by (unit, tech) gives exactly the single-run table, and
// summarizeSweep() on those rows gives the single-run sweep.json.
import { Float64, Int32, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { writeArrowFile } from '../../engine/io/arrow.ts';
import { writeFileAtomic } from '../../engine/io/atomic-write.ts';
import type { PrPoint, SweepSummary } from '../../reports/schemas/sweep-summary.ts';
import type { SweepRow } from './sweep.ts';

const FIXED = ['unit', 'scenario', 'seed', 'point'] as const;

export function summarizeSweep(rows: readonly SweepRow[], params: readonly string[], minRecall: number | null, shard?: string): SweepSummary {
  const prCurves: Record<string, PrPoint[]> = {};
  const recommended: Record<string, PrPoint | null> = {};
  for (const tech of unique(rows.map((r) => r.tech))) {
    const byPoint = new Map<number, SweepRow[]>();
    for (const r of rows) if (r.tech === tech) byPoint.set(r.point, [...(byPoint.get(r.point) ?? []), r]);
    const curve = [...byPoint.entries()].sort((a, b) => a[0] - b[0]).map(([point, rs]): PrPoint => ({
      point,
      values: rs[0].values,
      precision: mean(rs, 'contacts.precision'),
      recall: mean(rs, 'contacts.recall'),
      f1: mean(rs, 'contacts.f1'),
    }));
    prCurves[tech] = curve;
    recommended[tech] = operatingPoint(curve, minRecall);
  }
  return {
    params: [...params],
    scenarios: unique(rows.map((r) => r.scenario)),
    seeds: unique(rows.map((r) => r.seed)).sort((a, b) => a - b),
    ...(shard ? { shard } : {}),
    minRecall,
    prCurves,
    recommended,
  };
}

/** Ties go to the earlier point, so the choice is stable. */
export function operatingPoint(curve: readonly PrPoint[], minRecall: number | null): PrPoint | null {
  let best: PrPoint | null = null;
  for (const p of curve) {
    if (minRecall === null) {
      if (best === null || p.f1 > best.f1) best = p;
    } else if (p.recall >= minRecall && (best === null || p.precision > best.precision || (p.precision === best.precision && p.f1 > best.f1))) {
      best = p;
    }
  }
  return best;
}

export function writeSweep(dir: string, rows: readonly SweepRow[], summary: SweepSummary): void {
  const metricNames = unique(rows.flatMap((r) => Object.keys(r.metrics)));
  const columns: Record<string, Vector> = {
    unit: vectorFromArray(rows.map((r) => r.unit), new Int32()),
    scenario: vectorFromArray(rows.map((r) => r.scenario), new Utf8()),
    seed: vectorFromArray(rows.map((r) => r.seed), new Int32()),
    point: vectorFromArray(rows.map((r) => r.point), new Int32()),
  };
  for (const p of summary.params) {
    const vals = rows.map((r) => r.values[p]);
    columns[p] = vals.every((v) => typeof v === 'number') ? vectorFromArray(vals as number[], new Float64()) : vectorFromArray(vals.map(String), new Utf8());
  }
  columns.tech = vectorFromArray(rows.map((r) => r.tech), new Utf8());
  for (const m of metricNames) columns[m] = vectorFromArray(rows.map((r) => r.metrics[m] ?? null), new Float64());
  writeArrowFile(`${dir}/sweep.arrow`, columns);

  const header = [...FIXED, ...summary.params, 'tech', ...metricNames];
  const lines = rows.map((r) =>
    [r.unit, r.scenario, r.seed, r.point, ...summary.params.map((p) => r.values[p]), r.tech, ...metricNames.map((m) => r.metrics[m] ?? '')].map(csvCell).join(','),
  );
  writeFileAtomic(`${dir}/sweep.csv`, [header.map(csvCell).join(','), ...lines].join('\n') + '\n');
  writeFileAtomic(`${dir}/sweep.json`, JSON.stringify(summary, null, 2) + '\n');
}

function csvCell(v: unknown): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function mean(rows: readonly SweepRow[], metric: string): number {
  const xs = rows.map((r) => r.metrics[metric]).filter((x): x is number => typeof x === 'number');
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
