// `ctsim merge`: puts the shard folders of one job (see shard-folder.ts)
// back together into the folder a single unsharded run writes. Refuses
// anything that would give a different result: shards of different jobs,
// a missing or repeated shard, a unit run twice, a table only some shards have,
// a symbolic link (its target is no part of the shard) or a temporary file
// an interrupted write left. The merged folder is swapped in as a whole.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Table, tableToIPC, vectorFromArray } from 'apache-arrow';
import { readArrowTable } from '../../engine/io/read-arrow.ts';
import { isTempName, replaceDir, writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { InputError } from '../../engine/contract/input-error.ts';
import { readJsonFile } from '../../engine/io/json-file.ts';
import { MANIFEST, readManifest, writeManifest, writeRows, type ShardManifest, type UnitRow } from './shard-folder.ts';
import { shardItems } from './shard.ts';

export interface MergeSummary {
  shards: number;
  units: number;
  tables: string[];
}

export function mergeShards(dirs: readonly string[], out: string): MergeSummary {
  if (dirs.length === 0) throw new InputError('merge needs at least one shard folder');
  const manifests = dirs.map(readManifest);
  checkShardsComplete(dirs, manifests);
  checkUnitFolders(dirs, manifests);
  const { command, units } = manifests[0];
  const order = new Map(units.map((u, i) => [u, i]));

  const tableNames = rootTables(dirs[0]);
  dirs.forEach((dir) => {
    const names = rootTables(dir);
    const differ = names.join() !== tableNames.join();
    if (differ) throw new InputError(`${dir}: has tables [${names.join(', ')}], but ${dirs[0]} has [${tableNames.join(', ')}]`);
  });

  return replaceDir(out, MANIFEST, (tmp) => {
    dirs.forEach((dir, s) => {
      const ran = new Set(manifests[s].ran);
      for (const entry of entries(dir)) {
        if (!entry.isDir) continue;
        if (!ran.has(entry.name)) throw new InputError(`${join(dir, entry.name)}: folder is not a unit this shard ran`);
        copyTree(join(dir, entry.name), join(tmp, entry.name));
      }
    });
    for (const name of tableNames) {
      if (extname(name) === '.json') writeRows(tmp, name.slice(0, -'.json'.length), mergeJsonRows(dirs.map((d) => join(d, name)), order));
      else writeFileAtomic(join(tmp, name), tableToIPC(mergeArrowRows(dirs.map((d) => join(d, name)), order), 'file'));
    }
    writeManifest(tmp, { command, shard: { index: 1, count: 1 }, units, ran: units });
    return { shards: dirs.length, units: units.length, tables: tableNames };
  });
}

/** A shard folder's files and folders; a symbolic link, a temporary file or anything else is refused. */
function entries(dir: string): { name: string; isDir: boolean }[] {
  return readdirSync(dir).sort().map((name) => {
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isSymbolicLink()) throw new InputError(`${path}: is a symbolic link; a shard folder holds only its own files (copy the target in, or rerun the shard)`);
    if (isTempName(name)) throw new InputError(`${path}: temporary file of an interrupted write; that shard is incomplete (rerun it)`);
    if (!st.isFile() && !st.isDirectory()) throw new InputError(`${path}: neither a file nor a folder`);
    return { name, isDir: st.isDirectory() };
  });
}

function checkShardsComplete(dirs: readonly string[], manifests: ShardManifest[]): void {
  const first = manifests[0];
  const seen = new Map<number, string>();
  manifests.forEach((m, s) => {
    const where = join(dirs[s], MANIFEST);
    if (m.command !== first.command) throw new InputError(`${where}: written by '${m.command}', but ${dirs[0]} by '${first.command}'`);
    if (m.shard.count !== first.shard.count) throw new InputError(`${where}: shard ${m.shard.index}/${m.shard.count}, but ${dirs[0]} is one of ${first.shard.count}`);
    if (JSON.stringify(m.units) !== JSON.stringify(first.units)) throw new InputError(`${where}: lists different units from ${dirs[0]} (shards of another job?)`);
    const twin = seen.get(m.shard.index);
    if (twin !== undefined) throw new InputError(`${where}: shard ${m.shard.index}/${m.shard.count} given twice (also ${twin})`);
    seen.set(m.shard.index, dirs[s]);
    const expected = shardItems(first.units, m.shard);
    if (JSON.stringify(m.ran) !== JSON.stringify(expected)) throw new InputError(`${where}: shard ${m.shard.index}/${m.shard.count} ran [${m.ran.join(', ')}], expected [${expected.join(', ')}] (incomplete shard?)`);
  });
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new InputError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${first.shard.count}`).join(', ')}`);
}

/**
 * Unit folders are all or none (a run's shards have one per seed, a sweep's
 * none): with them, every unit a shard ran has its folder, and every folder
 * holds the same files (a run folder's metrics.json comes last: one without
 * it is a unit cut short).
 */
function checkUnitFolders(dirs: readonly string[], manifests: ShardManifest[]): void {
  const folders = dirs.map((d) => new Set(entries(d).filter((e) => e.isDir).map((e) => e.name)));
  if (folders.every((f) => f.size === 0)) return;
  let first: { path: string; files: string } | undefined;
  dirs.forEach((dir, s) => {
    for (const unit of manifests[s].ran) {
      const path = join(dir, unit);
      if (!folders[s].has(unit)) throw new InputError(`${path}: missing, though ${join(dir, MANIFEST)} says the shard ran it (rerun that shard)`);
      const files = entries(path).map((e) => e.name).join(', ');
      first ??= { path, files };
      if (files !== first.files) throw new InputError(`${path}: holds [${files}], but ${first.path} holds [${first.files}] (a unit cut short? rerun its shard)`);
    }
  });
}

/** Root-level .json (other than the manifest) and .arrow files, sorted; anything else cannot be merged. */
function rootTables(dir: string): string[] {
  return entries(dir)
    .filter((e) => e.name !== MANIFEST && !e.isDir)
    .map(({ name }) => {
      if (extname(name) !== '.json' && extname(name) !== '.arrow') throw new InputError(`${join(dir, name)}: cannot merge (root files must be .json or .arrow tables of unit rows)`);
      return name;
    });
}

function unitIndex(order: Map<string, number>, unit: unknown, where: string): number {
  const i = typeof unit === 'string' ? order.get(unit) : undefined;
  if (i === undefined) throw new InputError(`${where}: unit '${String(unit)}' is not one of the job's units`);
  return i;
}

function mergeJsonRows(paths: string[], order: Map<string, number>): UnitRow[] {
  const keyed: [number, UnitRow][] = [];
  for (const path of paths) {
    const rows = readJsonFile(path);
    if (!Array.isArray(rows)) throw new InputError(`${path}: expected a JSON array of rows with a "unit" key`);
    rows.forEach((row: UnitRow, r) => keyed.push([unitIndex(order, row?.unit, `${path} row ${r}`), row]));
  }
  return stableByUnit(keyed);
}

/** Rows of every shard's table, reordered by unit, as one record batch (as a single run writes it). */
function mergeArrowRows(paths: string[], order: Map<string, number>): Table {
  const tables = paths.map(readArrowTable);
  const schema = tables[0].schema;
  const keyed: [number, Record<string, unknown>][] = [];
  tables.forEach((t, s) => {
    const names = t.schema.fields.map((f) => `${f.name}:${f.type}`).join();
    if (names !== schema.fields.map((f) => `${f.name}:${f.type}`).join()) throw new InputError(`${paths[s]}: columns differ from ${paths[0]}`);
    const unit = t.getChild('unit');
    if (unit === null) throw new InputError(`${paths[s]}: no "unit" column`);
    const cols = schema.fields.map((f) => t.getChild(f.name)!);
    for (let r = 0; r < t.numRows; r++) {
      keyed.push([unitIndex(order, unit.get(r), `${paths[s]} row ${r}`), Object.fromEntries(cols.map((c, k) => [schema.fields[k].name, c.get(r)]))]);
    }
  });
  const rows = stableByUnit(keyed);
  return new Table(Object.fromEntries(schema.fields.map((f) => [f.name, vectorFromArray(rows.map((r) => r[f.name]), f.type)])));
}

function stableByUnit<T>(keyed: [number, T][]): T[] {
  return keyed.map((k, i) => [k[0], i, k[1]] as const).sort((p, q) => p[0] - q[0] || p[1] - q[1]).map((k) => k[2]);
}

function copyTree(from: string, to: string): void {
  for (const { name, isDir } of entries(from)) {
    if (isDir) copyTree(join(from, name), join(to, name));
    else writeFileAtomic(join(to, name), readFileSync(join(from, name)));
  }
}
