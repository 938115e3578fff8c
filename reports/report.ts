// A report from run folders (and optionally a sweep and bench results):
// figures as SVG and PNG, one self-contained HTML file, a Markdown summary,
// written into a staged folder that replaces the output folder as a whole.
import { join } from 'node:path';
import { checkReplaceable, replaceDir, writeFileAtomic } from '../engine/io/atomic-write.ts';
import { missingConfigNote } from '../engine/io/config-file.ts';
import { readJsonFile } from '../engine/io/json-file.ts';
import type { Tech } from '../engine/contract/site.ts';
import type { SweepSummary } from './schemas/sweep-summary.ts';
import { readThroughput } from './bench-results.ts';
import {
  errorCdfChart, floorPlanChart, hotZoneChart, journeyChart, prCurveChart, throughputChart, trackChart, type Chart,
} from './charts.ts';
import { htmlReport } from './html.ts';
import { markdownSummary } from './markdown.ts';
import { renderSvg, svgToPng } from './render.ts';
import { readRun, runLabel, type RunData } from './run-data.ts';
import { InputError } from '../engine/contract/input-error.ts';

export interface ReportOptions {
  runs: readonly string[];
  /** A `ctsim sweep` output folder, for the PR curves. */
  sweep?: string;
  /** Folder of bench result JSON files, for the throughput curves. */
  benchResults?: string;
  out: string;
  /** Told one line per run folder without config.json. */
  onNote?: (line: string) => void;
}

export interface ReportFiles {
  html: string;
  markdown: string;
  /** Figure files, relative to the output folder. */
  figures: string[];
}

export async function buildReport(opts: ReportOptions): Promise<ReportFiles> {
  const runs = opts.runs.map(readRun);
  for (const r of runs) if (r.config === null) opts.onNote?.(missingConfigNote(r.dir));
  const sweep = opts.sweep ? readSweepSummary(opts.sweep) : null;
  const charts = chartsFor(runs, sweep, opts.benchResults ? readThroughput(opts.benchResults) : []);
  checkReplaceable(opts.out, 'report.html'); // before the rendering
  const rendered: { chart: Chart; svg: string }[] = [];
  for (const chart of charts) rendered.push({ chart, svg: await renderSvg(chart.spec) });
  const note = `Runs: ${runs.map((r) => r.dir).join(', ')}${opts.sweep ? `; sweep: ${opts.sweep}` : ''}.`;
  const figures = replaceDir(opts.out, 'report.html', (dir) => writeReport(dir, runs, sweep, rendered, note));
  return { html: join(opts.out, 'report.html'), markdown: join(opts.out, 'summary.md'), figures };
}

/** The report's files, written into `dir`; returns the figure files, relative to it. */
function writeReport(dir: string, runs: readonly RunData[], sweep: SweepSummary | null, rendered: readonly { chart: Chart; svg: string }[], note: string): string[] {
  const figures: string[] = [];
  for (const { chart, svg } of rendered) {
    writeFileAtomic(join(dir, 'figures', `${chart.name}.svg`), svg);
    writeFileAtomic(join(dir, 'figures', `${chart.name}.png`), svgToPng(svg));
    figures.push(`figures/${chart.name}.svg`, `figures/${chart.name}.png`);
  }
  writeFileAtomic(join(dir, 'summary.md'), markdownSummary(runs, sweep, figures));
  writeFileAtomic(join(dir, 'report.html'), htmlReport(runs, rendered, note));
  return figures;
}

function chartsFor(runs: readonly RunData[], sweep: SweepSummary | null, throughput: ReturnType<typeof readThroughput>): Chart[] {
  const series = runs.flatMap((r) => Object.entries(r.errorsByTech).map(([tech, errors]) => ({
    run: runLabel(r, runs), tech, errors, crlbRmseM: r.metrics.perTech[tech as Tech]?.localization?.crlbRmseM,
  })));
  // Runs without a fix have no error to plot (an empty CDF's axis read 0 to NaN): the table's fixes column says so.
  const charts = series.some((s) => s.errors.length > 0) ? [errorCdfChart(series)] : [];
  if (sweep) charts.push(prCurveChart(sweep.prCurves, sweep.recommended, sweep.params));
  const first = runs[0];
  for (const floor of first.site.floors) charts.push(floorPlanChart(first.site, floor.id, first.truthSamples, first.sampleIntervalS));
  if (first.hotZones) charts.push(hotZoneChart(first.hotZones, first.durationS));
  if (first.track) charts.push(trackChart(first.site, first.track), journeyChart(first.track, first.durationS));
  for (const [factor, other] of [['workers', 'occupants'], ['occupants', 'workers']] as const) {
    // One line per value of the other factor, so a curve varies one thing only.
    const rows = throughput.flatMap((r) => (r[factor] === undefined ? [] : [{
      obsPerSec: r.obsPerSec, factor: r[factor]!, series: r[other] === undefined ? r.series : `${r.series}, ${other} ${r[other]}`,
    }]));
    if (rows.length) charts.push(throughputChart(rows, factor));
  }
  return charts;
}

function readSweepSummary(dir: string): SweepSummary {
  const path = join(dir, 'sweep.json');
  const raw = readJsonFile(path, 'missing (is this a ctsim sweep folder?)') as SweepSummary;
  if (typeof raw?.prCurves !== 'object' || !Array.isArray(raw.params)) throw new InputError(`${path}: no prCurves/params (not a ctsim sweep summary)`);
  return raw;
}
