// The folder a sharded command writes, and `ctsim merge` reads back:
//
//   <out>/shard.json        manifest: { command, shard: {index, count}, units, ran }
//                           units = every unit key of the whole job, in order;
//                           ran = the keys this shard ran (shardItems(units, shard))
//   <out>/<unit>/...        one folder per unit this shard ran (any files)
//   <out>/<table>.json      a JSON array of rows, each with a "unit" key
//   <out>/<table>.arrow     an Arrow table with a Utf8 "unit" column, rows grouped by unit
//
// An unsharded run writes the same layout as shard 1/1, so merging the n
// shards of a job gives exactly the folder one unsharded run would.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { InputError } from '../../engine/contract/input-error.ts';
import { readJsonFile } from '../../engine/io/json-file.ts';
import type { Shard } from './shard.ts';

export const MANIFEST = 'shard.json';

export interface ShardManifest {
  /** The command that wrote the folder (run, sweep): shards of different commands never merge. */
  command: string;
  shard: Shard;
  units: string[];
  ran: string[];
}

/** A row of a root-level table: keyed by its unit. */
export interface UnitRow {
  unit: string;
  [field: string]: unknown;
}

export function writeManifest(dir: string, manifest: ShardManifest): void {
  writeFileAtomic(join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
}

/** Writes a root-level JSON table; JSON last after unit folders, like metrics.json in a run. */
export function writeRows(dir: string, table: string, rows: readonly UnitRow[]): void {
  writeFileAtomic(join(dir, `${table}.json`), JSON.stringify(rows, null, 2) + '\n');
}

export function readManifest(dir: string): ShardManifest {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) throw new InputError(`${dir}: not a shard folder (no ${MANIFEST})`);
  const m = readJsonFile(path) as ShardManifest;
  const ok = typeof m?.command === 'string' && Number.isInteger(m.shard?.index) && Number.isInteger(m.shard?.count)
    && Array.isArray(m.units) && Array.isArray(m.ran) && [...m.units, ...m.ran].every((u) => typeof u === 'string');
  if (!ok) throw new InputError(`${path}: manifest needs command, shard {index, count}, units [] and ran []`);
  return m;
}
