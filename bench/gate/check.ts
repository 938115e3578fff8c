// The CI gate: metrics of fresh runs against the baseline's stored values.
import type { Metrics } from '../../reports/schemas/metrics.ts';
import { flattenMetrics, matchesPath } from '../score/metric-paths.ts';
import { runKey, type Baseline, type MetricRule, type MetricValues } from './baseline.ts';

export type Verdict = 'ok' | 'better' | 'WORSE' | 'new' | 'missing';

export interface CheckRow {
  run: string;
  metric: string;
  baseline: number | null;
  now: number | null;
  verdict: Verdict;
}

/** The gated metrics of one run: every path some rule matches (the first matching rule applies). */
export function gatedValues(metrics: Metrics, rules: readonly MetricRule[]): MetricValues {
  const out: MetricValues = {};
  for (const [path, v] of Object.entries(flattenMetrics(metrics))) {
    if (rules.some((r) => matchesPath(r.path, path))) out[path] = v;
  }
  return out;
}

export function compareRuns(baseline: Baseline, now: ReadonlyMap<string, Metrics>): CheckRow[] {
  const rows: CheckRow[] = [];
  for (const run of baseline.runs) {
    const key = runKey(run);
    const was = baseline.values[key] ?? {};
    const is = gatedValues(now.get(key)!, baseline.metrics);
    for (const metric of [...new Set([...Object.keys(was), ...Object.keys(is)])]) {
      const rule = baseline.metrics.find((r) => matchesPath(r.path, metric));
      if (!rule) continue; // a rule was removed: the stale value no longer gates anything
      const b = was[metric] ?? null;
      const n = metric in is ? is[metric] : null;
      rows.push({ run: key, metric, baseline: b, now: n, verdict: verdictOf(rule, metric in was ? b : undefined, metric in is ? n : undefined) });
    }
  }
  return rows;
}

/** undefined: absent from that side; null: present but no data (NaN). */
function verdictOf(rule: MetricRule, b: number | null | undefined, n: number | null | undefined): Verdict {
  if (b === undefined) return 'new';
  if (n === undefined) return 'missing';
  if (b === null) return n === null ? 'ok' : 'new';
  if (n === null) return 'WORSE';
  const tolerance = Math.max(rule.abs ?? 0, (rule.rel ?? 0) * Math.abs(b));
  const gain = rule.better === 'higher' ? n - b : b - n;
  return gain < -tolerance ? 'WORSE' : gain > tolerance ? 'better' : 'ok';
}

export const regressions = (rows: readonly CheckRow[]): CheckRow[] => rows.filter((r) => r.verdict === 'WORSE' || r.verdict === 'missing');

/** The baseline with its values replaced by these runs' gated metrics. */
export function updatedBaseline(baseline: Baseline, now: ReadonlyMap<string, Metrics>): Baseline {
  const values: Baseline['values'] = {};
  for (const run of baseline.runs) values[runKey(run)] = gatedValues(now.get(runKey(run))!, baseline.metrics);
  return { ...baseline, values };
}
