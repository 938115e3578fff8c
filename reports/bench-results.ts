// Throughput figures from bench results, when a benchmark has written some:
// every *.json under the folder holding an array (or { rows: [...] }) of
// records with `obsPerSec` and `workers` and/or `occupants` (other fields
// ignored; `name`, when present, labels the series).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ThroughputRow {
  obsPerSec: number;
  workers?: number;
  occupants?: number;
  series: string;
}

export function readThroughput(dir: string): ThroughputRow[] {
  if (!existsSync(dir)) return [];
  const rows: ThroughputRow[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const path = join(dir, file);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
    }
    const list = Array.isArray(raw) ? raw : (raw as { rows?: unknown })?.rows;
    if (!Array.isArray(list)) continue; // some other result: not a throughput table
    for (const r of list as Record<string, unknown>[]) {
      if (typeof r?.obsPerSec !== 'number') continue;
      rows.push({
        obsPerSec: r.obsPerSec,
        ...(typeof r.workers === 'number' ? { workers: r.workers } : {}),
        ...(typeof r.occupants === 'number' ? { occupants: r.occupants } : {}),
        series: typeof r.name === 'string' ? r.name : file.replace(/\.json$/, ''),
      });
    }
  }
  return rows;
}
