// Reading the run folder's Arrow tables back, with one clear error naming the
// file and what is wrong (missing, not Arrow, a column absent or mistyped).
import { existsSync, readFileSync } from 'node:fs';
import { tableFromIPC, type Table, type Vector } from 'apache-arrow';

export function readArrowTable(path: string): Table {
  if (!existsSync(path)) throw new Error(`${path}: no such file`);
  try {
    return tableFromIPC(readFileSync(path));
  } catch (err) {
    throw new Error(`${path}: not a readable Arrow IPC file (${(err as Error).message})`);
  }
}

export function columnOf(table: Table, path: string, name: string, type: string): Vector {
  const col = table.getChild(name);
  if (!col) throw new Error(`${path}: missing column '${name}'`);
  const actual = String(col.type);
  if (!actual.startsWith(type)) throw new Error(`${path}: column '${name}' is ${actual}, expected ${type}`);
  return col;
}

/** A dictionary-encoded string column as per-row indices into its values (one record batch or many). */
export function dictionaryIndices(col: Vector, path: string, name: string): { indices: Uint32Array; values: string[] } {
  const values: string[] = [];
  const valueIdx = new Map<string, number>();
  const indices = new Uint32Array(col.length);
  let row = 0;
  for (const chunk of col.data) {
    const dict = chunk.dictionary;
    if (!dict) throw new Error(`${path}: column '${name}' is not dictionary-encoded`);
    const local = Array.from(dict as Iterable<string>, (v) => {
      let k = valueIdx.get(v);
      if (k === undefined) valueIdx.set(v, (k = values.push(v) - 1));
      return k;
    });
    const raw = chunk.values as ArrayLike<number>;
    for (let i = 0; i < chunk.length; i++) {
      const k = local[raw[i]];
      if (k === undefined) throw new Error(`${path}: column '${name}' row ${row} points outside its dictionary`);
      indices[row++] = k;
    }
  }
  return { indices, values };
}
