// Reading the run folder's Arrow tables back, and a user's Arrow logs, with
// one clear error naming the file and what is wrong (missing, not Arrow, a
// column absent or mistyped, a dictionary index outside its dictionary).
import { existsSync, readFileSync } from 'node:fs';
import { DataType, tableFromIPC, type Data, type Table, type Vector } from 'apache-arrow';
import { InputError } from '../contract/input-error.ts';

export class ArrowFileError extends InputError {}

export function readArrowTable(path: string): Table {
  if (!existsSync(path)) throw new ArrowFileError(`${path}: no such file`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new ArrowFileError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (bytes.length === 0) throw new ArrowFileError(`${path}: empty file (0 bytes), not an Arrow IPC file`);
  try {
    return tableFromIPC(bytes);
  } catch (err) {
    // The reader's own TypeErrors ("Cannot read properties of null") say only that the bytes end or break off early.
    const why = err instanceof TypeError ? 'truncated or corrupt' : (err as Error).message;
    throw new ArrowFileError(`${path}: not a readable Arrow IPC file (${why})`);
  }
}

export function columnOf(table: Table, path: string, name: string, type: string): Vector {
  const col = table.getChild(name);
  if (!col) throw new ArrowFileError(`${path}: missing column '${name}'`);
  const actual = String(col.type);
  if (!actual.startsWith(type)) throw new ArrowFileError(`${path}: column '${name}' is ${actual}, expected ${type}`);
  return col;
}

/**
 * What a user's column may be, by what it holds: 'number' is an int, float
 * or decimal column, or decimal text; 'string' is text or ints (numeric ids).
 * Either may be dictionary-encoded. Anything else (a boolean tMs, a date, a
 * list) is refused rather than converted.
 */
export type ColumnKind = 'number' | 'string';

function holds(type: DataType, kind: ColumnKind): boolean {
  if (DataType.isDictionary(type)) return holds(type.dictionary, kind);
  const text = DataType.isUtf8(type) || DataType.isLargeUtf8(type);
  return DataType.isInt(type) || text || (kind === 'number' && (DataType.isFloat(type) || DataType.isDecimal(type)));
}

/** The error naming the column whose type cannot hold `kind`, or null. */
export function columnTypeError(path: string, name: string, type: DataType, kind: ColumnKind): string | null {
  if (holds(type, kind)) return null;
  return `${path}: column '${name}' is ${String(type)}, expected ${kind === 'number' ? 'numbers (int, float, decimal or decimal text)' : 'text (or int ids)'}`;
}

/** The first row of a dictionary-encoded chunk whose index points outside its dictionary, or -1 (also for a plain chunk). */
export function outsideDictionary(d: Data): number {
  if (!d.dictionary) return -1;
  const size = d.dictionary.length;
  const indices = d.values as ArrayLike<number | bigint>;
  for (let r = 0; r < d.length; r++) {
    const k = Number(indices[d.offset + r]);
    if (!(k >= 0 && k < size) && d.getValid(r)) return r;
  }
  return -1;
}

/** A dictionary-encoded string column as per-row indices into its values (one record batch or many). */
export function dictionaryIndices(col: Vector, path: string, name: string): { indices: Uint32Array; values: string[] } {
  const values: string[] = [];
  const valueIdx = new Map<string, number>();
  const indices = new Uint32Array(col.length);
  let row = 0;
  for (const chunk of col.data) {
    const dict = chunk.dictionary;
    if (!dict) throw new ArrowFileError(`${path}: column '${name}' is not dictionary-encoded`);
    const local = Array.from(dict as Iterable<string>, (v) => {
      let k = valueIdx.get(v);
      if (k === undefined) valueIdx.set(v, (k = values.push(v) - 1));
      return k;
    });
    const raw = chunk.values as ArrayLike<number>;
    for (let i = 0; i < chunk.length; i++) {
      const k = local[raw[chunk.offset + i]];
      if (k === undefined) throw new ArrowFileError(`${path}: column '${name}' row ${row} points outside its dictionary`);
      indices[row++] = k;
    }
  }
  return { indices, values };
}
