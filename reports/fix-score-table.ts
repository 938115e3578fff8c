// The table `ctsim locate --positions` prints: each technology's fixes
// scored against the known positions (bench/score/known-positions.ts scores them).
import type { FixScore } from './schemas/metrics.ts';
import { formatTable } from './table.ts';

export function fixScoreTable(perTech: Partial<Record<string, FixScore>>, all: FixScore): string {
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '-');
  const row = (name: string, s: FixScore): string[] => [name, s.fixes.toLocaleString('en-US'), f(s.medianM), f(s.p90M), f(s.rmseM), f(s.coverage), f(s.floorRight)];
  const rows = Object.entries(perTech).map(([tech, s]) => row(tech, s!));
  if (rows.length > 1) rows.push(row('all', all));
  return formatTable(['tech', 'fixes', 'median m', 'p90 m', 'rmse m', 'r68 cover', 'floor right'], rows);
}
