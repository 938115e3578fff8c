// The CI baseline file (bench/gate/ci-baseline.json): which runs to make, which
// metrics to gate and how, and the values they had. Metrics are dotted paths
// into metrics.json with `*` for one segment, so metrics added later are
// gated by adding a rule, not code.
//
// {
//   "runs":    [{ "scenario": "office", "seed": 1, "durationS": 14400 }],   // durationS: optional cap
//                                          // config: optional, a run folder's config.json to run with
//   "metrics": [{ "path": "perTech.*.localization.medianErrorM", "better": "lower", "rel": 0.05, "abs": 0.05 }],
//   "values":  { "office/seed1": { "perTech.wifi.localization.medianErrorM": 2.84 } }
// }
// A metric may move by max(abs, rel × |baseline|) in the worse direction before it counts as a regression.
import { readJsonFile } from '../../engine/io/json-file.ts';
import { InputError } from '../../engine/contract/input-error.ts';

export interface BaselineRun {
  /** Built-in scenario name, or a path relative to the baseline file. */
  scenario: string;
  seed: number;
  /** Cut the scenario to at most this long, so CI stays quick. */
  durationS?: number;
  /** A recorded engine config (a run folder's config.json, relative to the baseline file) to run with instead of the default. */
  config?: string;
}

export interface MetricRule {
  path: string;
  better: 'higher' | 'lower';
  abs?: number;
  rel?: number;
}

export type MetricValues = Record<string, number | null>;

export interface Baseline {
  description?: string;
  runs: BaselineRun[];
  metrics: MetricRule[];
  /** By runKey, then by metric path. */
  values: Record<string, MetricValues>;
}

export const runKey = (r: BaselineRun): string => `${r.scenario}/seed${r.seed}${r.config === undefined ? '' : `@${r.config}`}`;

/** Reads and validates a baseline; every problem is one line naming the file and field. */
export function readBaseline(path: string): Baseline {
  const raw = readJsonFile(path);
  const bad = (field: string, why: string): never => {
    throw new InputError(`${path}: ${field}: ${why}`);
  };
  // A mistyped key (durationSec) would be dropped and its run made at full length: named instead.
  const only = (o: Record<string, unknown>, at: string, keys: readonly string[]): void => {
    const extra = Object.keys(o).find((k) => !keys.includes(k));
    if (extra !== undefined) bad(at === '' ? extra : `${at}.${extra}`, `unknown field (expected one of ${keys.join(', ')})`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('(top level)', 'must be an object');
  const b = raw as Record<string, unknown>;
  only(b, '', ['description', 'runs', 'metrics', 'values']);
  if (!Array.isArray(b.runs) || b.runs.length === 0) bad('runs', 'must be a non-empty array');
  (b.runs as unknown[]).forEach((r, i) => {
    const run = r as Record<string, unknown>;
    if (typeof run !== 'object' || run === null) bad(`runs[${i}]`, 'must be an object');
    only(run, `runs[${i}]`, ['scenario', 'seed', 'durationS', 'config']);
    if (typeof run?.scenario !== 'string' || run.scenario === '') bad(`runs[${i}].scenario`, 'must be a scenario name or path');
    if (!Number.isInteger(run.seed)) bad(`runs[${i}].seed`, `must be an integer, got ${JSON.stringify(run.seed)}`);
    if (run.durationS !== undefined && !((run.durationS as number) > 0)) bad(`runs[${i}].durationS`, `must be > 0, got ${JSON.stringify(run.durationS)}`);
    if (run.config !== undefined && (typeof run.config !== 'string' || run.config === '')) bad(`runs[${i}].config`, 'must be the path of a config.json');
  });
  if (!Array.isArray(b.metrics) || b.metrics.length === 0) bad('metrics', 'must be a non-empty array');
  (b.metrics as unknown[]).forEach((m, i) => {
    const rule = m as Record<string, unknown>;
    if (typeof rule !== 'object' || rule === null) bad(`metrics[${i}]`, 'must be an object');
    only(rule, `metrics[${i}]`, ['path', 'better', 'abs', 'rel']);
    if (typeof rule?.path !== 'string' || rule.path === '') bad(`metrics[${i}].path`, 'must be a dotted metrics.json path');
    if (rule.better !== 'higher' && rule.better !== 'lower') bad(`metrics[${i}].better`, `must be "higher" or "lower", got ${JSON.stringify(rule.better)}`);
    for (const k of ['abs', 'rel']) {
      if (rule[k] !== undefined && !((rule[k] as number) >= 0)) bad(`metrics[${i}].${k}`, `must be a number ≥ 0, got ${JSON.stringify(rule[k])}`);
    }
  });
  if (b.values !== undefined && (typeof b.values !== 'object' || b.values === null || Array.isArray(b.values))) bad('values', 'must be an object');
  return { ...(b as unknown as Baseline), values: (b.values ?? {}) as Baseline['values'] };
}
