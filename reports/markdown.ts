// The Markdown summary: a headline table that reads well in a pull-request comment.
import type { SweepSummary } from './schemas/sweep-summary.ts';
import { operatingPointRows } from './operating-points.ts';
import { configChanges } from '../engine/io/config-file.ts';
import { runLabel, type RunData } from './run-data.ts';
import { fixedOr, markdownTable } from './table.ts';

const f = (x: unknown, d: number): string => fixedOr(x, d, '–');

export function headlineRows(runs: readonly RunData[]): { run: string; tech: string; cells: string[] }[] {
  return runs.flatMap((r) =>
    Object.entries(r.metrics.perTech).map(([tech, s]) => ({
      run: runLabel(r, runs),
      tech,
      cells: [
        f(s.localization?.medianErrorM, 2), f(s.localization?.p90ErrorM, 2),
        f(s.contacts?.precision, 3), f(s.contacts?.recall, 3), f(s.contacts?.f1, 3),
      ],
    })),
  );
}

export const HEADLINE_HEADER = ['median error (m)', 'p90 error (m)', 'contact precision', 'contact recall', 'contact F1'];

/** What the run's config.json changed from the defaults. */
function configLine(r: RunData): string {
  if (r.config === null) return 'not recorded (no config.json)';
  const changes = configChanges(r.config);
  return changes.length === 0 ? 'default' : `default except ${changes.map((c) => `\`${c}\``).join(', ')}`;
}

export function markdownSummary(runs: readonly RunData[], sweep: SweepSummary | null, figures: readonly string[]): string {
  const rows = headlineRows(runs);
  const many = runs.length > 1;
  const parts = [
    `## ctsim report: ${[...new Set(runs.map((r) => r.metrics.scenario))].join(', ')}`,
    '',
    markdownTable([...(many ? ['run'] : []), 'technology', ...HEADLINE_HEADER], rows.map((r) => [...(many ? [r.run] : []), r.tech, ...r.cells]), many ? 2 : 1),
  ];
  if (!many) parts.splice(1, 0, '', `Scenario \`${runs[0].metrics.scenario}\`, seed ${runs[0].metrics.seed}: ${runs[0].world}.`);
  else parts.push('', ...runs.map((r) => `${runLabel(r, runs)}: ${r.world}.`));
  parts.push('', ...runs.map((r) => `${many ? `${runLabel(r, runs)}: e` : 'E'}ngine config ${configLine(r)}.`));
  if (sweep) {
    const rule = sweep.minRecall === null ? 'best F1' : `best precision with recall ≥ ${sweep.minRecall}`;
    parts.push('', `### Recommended operating point (${rule})`, '', markdownTable(
      ['technology', ...sweep.params.map((p) => `\`${p}\``), 'precision', 'recall', 'F1'],
      operatingPointRows(sweep, '–'),
      1,
    ));
  }
  parts.push('', `Figures: ${figures.map((n) => `\`${n}\``).join(', ')}`, '');
  return parts.join('\n');
}
