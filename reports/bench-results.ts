// Throughput figures from bench results, when a benchmark has written some:
// every *.json under the folder that is either `npm run bench`'s result
// (bench/perf/main.ts: engine obs/s per worker count from `macro`, per occupant
// count from `scaling`) or an array (or { rows: [...] }) of records with
// `obsPerSec` and `workers` and/or `occupants` (other fields ignored; `name`,
// when present, labels the series).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { InputError } from '../engine/contract/input-error.ts';
import { join } from 'node:path';
import type { MacroRow, ScalePoint } from './schemas/perf-result.ts';
import { readJsonFile } from '../engine/io/json-file.ts';

export interface ThroughputRow {
  obsPerSec: number;
  workers?: number;
  occupants?: number;
  series: string;
}

/** The parts of an `npm run bench` result file (reports/schemas/perf-result.ts PerfResult) read here. */
interface BenchResult {
  name?: string;
  macro?: { rows: Pick<MacroRow, 'workers' | 'engineObsPerSec'>[] };
  scaling?: { points: Pick<ScalePoint, 'occupants' | 'observations' | 'engineS'>[] };
}

export function readThroughput(dir: string): ThroughputRow[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) throw new InputError(`--bench-results ${dir}: not a folder`);
  const rows: ThroughputRow[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const path = join(dir, file);
    const raw = readJsonFile(path);
    const fileLabel = file.replace(/\.json$/, '');
    const list = Array.isArray(raw) ? raw : (raw as { rows?: unknown })?.rows;
    if (Array.isArray(list)) rows.push(...recordRows(list, fileLabel));
    else if (typeof raw === 'object' && raw !== null) rows.push(...benchRows(raw as BenchResult, fileLabel));
  }
  return rows;
}

function recordRows(list: Record<string, unknown>[], file: string): ThroughputRow[] {
  return list.flatMap((r) => (typeof r?.obsPerSec !== 'number' ? [] : [{
    obsPerSec: r.obsPerSec,
    ...(typeof r.workers === 'number' ? { workers: r.workers } : {}),
    ...(typeof r.occupants === 'number' ? { occupants: r.occupants } : {}),
    series: typeof r.name === 'string' ? r.name : file,
  }]));
}

/** Engine throughput (observations over engine seconds, as the macro table reports it) from a bench/perf/main.ts result; nothing from other results. */
function benchRows(r: BenchResult, file: string): ThroughputRow[] {
  const series = typeof r.name === 'string' ? r.name : file;
  const macro = Array.isArray(r.macro?.rows) ? r.macro.rows : [];
  const points = Array.isArray(r.scaling?.points) ? r.scaling.points : [];
  return [
    ...macro.flatMap((m) => (typeof m?.engineObsPerSec === 'number' && typeof m.workers === 'number' ? [{ obsPerSec: m.engineObsPerSec, workers: m.workers, series }] : [])),
    ...points.flatMap((p) => (typeof p?.occupants === 'number' && p.engineS > 0 ? [{ obsPerSec: p.observations / p.engineS, occupants: p.occupants, series }] : [])),
  ];
}
