import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Dictionary, Int32, Table, tableFromArrays, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../bench/harness/experiment.ts';
import type { MacroRow, ScalePoint } from '../reports/schemas/perf-result.ts';
import { runSweep } from '../bench/harness/sweep.ts';
import { runLabel, type RunData } from '../reports/run-data.ts';
import { summarizeSweep, writeSweep } from '../bench/harness/sweep-output.ts';
import { parseParam } from '../bench/harness/sweep-params.ts';
import { writeRun } from '../bench/harness/write-run.ts';
import { readThroughput } from '../reports/bench-results.ts';
import { buildReport, type ReportFiles } from '../reports/report.ts';
import { ctsim } from './helpers/cli.ts';
import { shortOffice } from './helpers/short-office.ts';

const PNG_MAGIC = '89504e470d0a1a0a';
const EXPECTED_CHARTS = ['error-cdf', 'pr-curve', 'floor-plan-0', 'hot-zones', 'device-track', 'device-journey', 'throughput-vs-workers', 'throughput-vs-occupants'];

describe('ctsim report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-report-'));
  const run = join(dir, 'run');
  const out = join(dir, 'report');
  let files: ReportFiles;
  let metrics: { perTech: Record<string, { localization: { medianErrorM: number; p90ErrorM: number }; contacts: { f1: number } }> };

  beforeAll(async () => {
    const office = { ...shortOffice(), durationS: 3600 };
    writeRun(run, await runExperiment(office, { config: { run: { workers: 0 } } }));
    metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
    // The tables the hot-zone and journey stages add to a run folder (engine/io/hotzones-table.ts, journeys-table.ts).
    const devices = [...new Set(tableFromIPC(readFileSync(join(run, 'estimates.arrow'))).getChild('deviceId')!.toArray() as string[])];
    writeFileSync(join(run, 'hotzones.arrow'), tableToIPC(tableFromArrays({
      zone: ['kitchen', 'meeting-large'], raisedTMs: Float64Array.of(600_000, 1_200_000), clearedTMs: Float64Array.of(900_000, 3_000_000),
    }), 'file'));
    writeFileSync(join(run, 'journeys.arrow'), tableToIPC(tableFromArrays({
      deviceId: devices.flatMap((d) => [d, d]), zone: devices.flatMap(() => ['reception', 'desks-north']),
      enterTMs: Float64Array.from(devices.flatMap(() => [0, 300_000])), exitTMs: Float64Array.from(devices.flatMap(() => [200_000, 3_600_000])),
    }), 'file'));
    const params = [parseParam('contacts.distanceM=1.5,2.5'), parseParam('contacts.minExposureS=300,600')];
    const rows = await runSweep({ scenarios: [office], seeds: [1], params, base: { 'run.workers': 0 } });
    writeSweep(join(dir, 'sweep'), rows, summarizeSweep(rows, params.map((p) => p.path), null));
    mkdirSync(join(dir, 'results'));
    writeFileSync(join(dir, 'results', 'scaling.json'), JSON.stringify([
      { workers: 1, occupants: 60, obsPerSec: 900_000 }, { workers: 2, occupants: 60, obsPerSec: 1_600_000 },
      { workers: 2, occupants: 600, obsPerSec: 1_500_000 },
    ]));
    files = await buildReport({ runs: [run], sweep: join(dir, 'sweep'), benchResults: join(dir, 'results'), out });
  });

  it('writes every figure as SVG and PNG', () => {
    expect(files.figures).toEqual(EXPECTED_CHARTS.flatMap((c) => [`figures/${c}.svg`, `figures/${c}.png`]));
    for (const c of EXPECTED_CHARTS) {
      expect(readFileSync(join(out, 'figures', `${c}.svg`), 'utf8'), c).toMatch(/^<svg[^>]*width="\d+"/);
      expect(readFileSync(join(out, 'figures', `${c}.png`)).subarray(0, 8).toString('hex'), c).toBe(PNG_MAGIC);
    }
  });

  it('the Markdown headline table carries each technology\'s numbers from metrics.json', () => {
    const md = readFileSync(files.markdown, 'utf8');
    for (const [tech, s] of Object.entries(metrics.perTech)) {
      const line = md.split('\n').find((l) => l.startsWith(`| ${tech} |`))!;
      expect(line, tech).toContain(`| ${s.localization.medianErrorM.toFixed(2)} | ${s.localization.p90ErrorM.toFixed(2)} |`);
      expect(line, tech).toContain(`| ${s.contacts.f1.toFixed(3)} |`);
    }
    expect(md).toMatch(/### Recommended operating point \(best F1\)/);
  });

  it('draws the engine journey next to the true one, and one bar per hot-zone alert', () => {
    const journey = readFileSync(join(out, 'figures', 'device-journey.svg'), 'utf8');
    expect(journey).toMatch(/source: engine/);
    expect(journey).toMatch(/source: true/);
    const hot = readFileSync(join(out, 'figures', 'hot-zones.svg'), 'utf8');
    expect(hot.match(/aria-label="hours since start: [\d.]+; zone: (kitchen|meeting-large); cleared/g)).toHaveLength(2);
  });

  it('the HTML is self-contained: no scripts, stylesheets or images fetched from anywhere', () => {
    const html = readFileSync(files.html, 'utf8');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import/i);
    // Namespace declarations are identifiers, not fetches; nothing else may point off the page.
    expect(html.replace(/xmlns(:\w+)?="[^"]*"/g, '')).not.toMatch(/(https?|file):\/\/|url\((?!#)/);
    expect(html.match(/<figure class="chart"/g)).toHaveLength(EXPECTED_CHARTS.length);
  });

  it('opens offline in headless Chromium with every chart drawn and no console errors', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'ctsim-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-sync', '--disable-component-update'],
      offline: true,
      viewport: { width: 1200, height: 900 },
    });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      await page.goto(pathToFileURL(files.html).href, { waitUntil: 'load' });
      const charts = await page.$$eval('figure.chart', (figs) => figs.map((f) => {
        const svg = f.querySelector('svg, canvas');
        const box = svg?.getBoundingClientRect();
        return { name: f.getAttribute('data-chart'), width: box?.width ?? 0, height: box?.height ?? 0, marks: f.querySelectorAll('svg path, svg line, svg rect, svg text').length };
      }));
      expect(charts.map((c) => c.name)).toEqual(EXPECTED_CHARTS);
      for (const c of charts) {
        expect(c.width, c.name!).toBeGreaterThan(100);
        expect(c.height, c.name!).toBeGreaterThan(50);
        expect(c.marks, c.name!).toBeGreaterThan(10);
      }
      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a folder that is not a run: one line naming the missing file, non-zero exit', async () => {
    const r = await ctsim('report', '--run', dir, '--out', join(dir, 'never'));
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/metrics\.json: missing/);
  });

  it('a run whose estimates.arrow was edited (a technology no engine writes): named as trace names it, exit 2', async () => {
    const edited = join(dir, 'edited');
    cpSync(run, edited, { recursive: true });
    const t = tableFromIPC(readFileSync(join(run, 'estimates.arrow')));
    const tech = t.getChild('tech')!.toArray() as string[];
    const cols = Object.fromEntries(t.schema.fields.map((f) => [f.name, f.name === 'tech' ? vectorFromArray(tech.map((x, i) => (i === 3 ? 'zigbee' : x)), new Dictionary(new Utf8(), new Int32())) : t.getChild(f.name)!]));
    writeFileSync(join(edited, 'estimates.arrow'), tableToIPC(new Table(cols), 'file'));
    const r = await ctsim('report', '--run', edited, '--out', join(dir, 'never'));
    expect([r.status, r.stderr.trim()]).toEqual([2, `ctsim: ${join(edited, 'estimates.arrow')}: row 3: unknown tech 'zigbee'`]);
  });
});

describe('bench results for the throughput curves', () => {
  it('reads npm run bench\'s own result file: engine obs/s per worker count (macro) and per occupant count (scaling)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctsim-bench-results-'));
    const macro: Pick<MacroRow, 'workers' | 'engineObsPerSec' | 'engineS'>[] = [{ workers: 1, engineObsPerSec: 976_702, engineS: 13.5 }, { workers: 2, engineObsPerSec: 1_599_771, engineS: 8.2 }];
    const points: Pick<ScalePoint, 'occupants' | 'observations' | 'engineS' | 'simulateS'>[] = [{ occupants: 1000, observations: 5_161_181, engineS: 4.4, simulateS: 4.6 }, { occupants: 2500, observations: 12_860_090, engineS: 11.0, simulateS: 8.0 }];
    writeFileSync(join(dir, 'session9-macro.json'), JSON.stringify({ name: 'session9-macro', machine: { cpus: 2 }, macro: { file: 'office-seed1', rows: macro, twoVsOneWorker: 1.64 } }));
    writeFileSync(join(dir, 'session9-scaling.json'), JSON.stringify({ name: 'session9-scaling', micro: [{ name: 'radio model sample' }], scaling: { scenario: 'campus', points } }));
    writeFileSync(join(dir, 'en-proximity.json'), JSON.stringify({ datasets: { pcng: { f1: 0.8 } } }));
    expect(readThroughput(dir)).toEqual([
      { obsPerSec: 976_702, workers: 1, series: 'session9-macro' },
      { obsPerSec: 1_599_771, workers: 2, series: 'session9-macro' },
      { obsPerSec: 5_161_181 / 4.4, occupants: 1000, series: 'session9-scaling' },
      { obsPerSec: 12_860_090 / 11.0, occupants: 2500, series: 'session9-scaling' },
    ]);
  });
});

describe('runLabel', () => {
  it('names a run by scenario and seed, and by its folder too where another run shares both (two scenarios of one name)', () => {
    const run = (dir: string, scenario: string, seed: number) => ({ dir, metrics: { scenario, seed, perTech: {} } }) as unknown as RunData;
    const a = run('runs/office-a', 'office', 1), b = run('runs/office-b/', 'office', 1), c = run('runs/x', 'office', 2);
    expect([a, b, c].map((r) => runLabel(r, [a, b, c]))).toEqual(['office seed 1 (office-a)', 'office seed 1 (office-b)', 'office seed 2']);
    expect(runLabel(a, [a, c])).toBe('office seed 1');
  });
});
