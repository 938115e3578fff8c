// Benchmark: does a log's time origin cost anything? `locate`'s path (read
// the CSV, run the engine with 2 workers, hot zones included) on the same
// 3,000-row office log starting at 0 and at a Unix-epoch time, each run in a
// process of its own (peak RSS is per process), origins taking turns over
// --reps. Acceptance (issue 19): the Unix-epoch log within 10 % of the
// memory and 20 % of the time of the log from 0.
//   node bin/run-ts.js bench/perf/time-origin.ts [--reps 3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median } from 'simple-statistics';
import { readObservationsFile } from '../../engine/io/observations-reader.ts';
import { runEngine } from '../../engine/run.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { UNIX_ORIGIN_MS, epochLogCsv } from './epoch-log.ts';
import { peakRssMiB } from './peak-rss.ts';
import { markdownTable } from '../../reports/table.ts';
import { numberFlag, strictArgs } from '../entry/args.ts';

const values = strictArgs('bench/perf/time-origin.ts')
  .options({
    reps: { type: 'number', default: 3, coerce: numberFlag('--reps', { min: 1, whole: true }), describe: 'Measurements per origin' },
    child: { type: 'string', describe: 'Internal: measure this one log (the parent runs each in its own process)' },
  })
  .parseSync();

interface Point {
  originMs: number;
  wallS: number;
  peakRssMiB: number;
  estimates: number;
}

if (values.child !== undefined) {
  // One measurement: read and locate the log at this path.
  const start = performance.now();
  const site = loadScenario('office').site;
  const log = readObservationsFile(values.child, site);
  const result = await runEngine(site, log.observations, { run: { workers: 2 } });
  const point: Point = { originMs: log.observations.tMs[0], wallS: (performance.now() - start) / 1000, peakRssMiB: peakRssMiB(), estimates: result.estimates.length };
  process.stdout.write(JSON.stringify(point) + '\n');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-bench-origin-'));
  const origins = [0, UNIX_ORIGIN_MS];
  const logs = origins.map((originMs) => {
    const path = join(dir, `log-${originMs}.csv`);
    writeFileSync(path, epochLogCsv(originMs));
    return path;
  });
  const runner = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
  const points: Point[][] = origins.map(() => []);
  for (let rep = 0; rep < values.reps; rep++) {
    origins.forEach((_, i) => {
      const r = spawnSync(process.execPath, [runner, fileURLToPath(import.meta.url), '--child', logs[i]], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
      points[i].push(JSON.parse(r.stdout) as Point);
    });
  }
  const [zero, unix] = points.map((ps) => ({ wallS: median(ps.map((p) => p.wallS)), peakRssMiB: median(ps.map((p) => p.peakRssMiB)), estimates: ps[0].estimates }));
  const row = (origin: string, p: typeof zero): string[] => [origin, p.wallS.toFixed(2), p.peakRssMiB.toFixed(0), String(p.estimates)];
  process.stdout.write(
    `${markdownTable(['origin', `wall s (median of ${values.reps})`, 'peak RSS MiB', 'estimates'], [row('0', zero), row(`Unix epoch (${UNIX_ORIGIN_MS})`, unix)])}\n` +
      `Unix epoch / 0: time ${(unix.wallS / zero.wallS).toFixed(3)} (≤ 1.2), memory ${(unix.peakRssMiB / zero.peakRssMiB).toFixed(3)} (≤ 1.1)\n`,
  );
}
