// Small helpers over apache-arrow for the columnar tables at the boundaries.
import {
  DataType, Dictionary, Table, Uint16, Uint32, Uint8, Utf8, makeData, makeVector, tableToIPC, vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { writeFileAtomic } from './atomic-write.ts';

type IndexArray = Uint8Array | Uint16Array | Uint32Array;

/** A dictionary-encoded string column from per-row indices into `values` (ids repeat a lot). */
export function dictionaryColumn(indices: IndexArray, values: readonly string[]): Vector {
  const indexType = indices instanceof Uint8Array ? new Uint8() : indices instanceof Uint16Array ? new Uint16() : new Uint32();
  const type = new Dictionary(new Utf8(), indexType);
  const data = makeData({
    type,
    length: indices.length,
    nullCount: 0,
    data: indices,
    dictionary: vectorFromArray(values as string[], new Utf8()),
  });
  return makeVector(data);
}

/** Writes columns as an Arrow IPC file (the format DuckDB, pandas and polars open). */
export function writeArrowFile(path: string, columns: Record<string, Vector>): void {
  let nextId = 0;
  const numbered = Object.fromEntries(Object.entries(columns).map(([name, v]) => [name, DataType.isDictionary(v.type) ? withDictionaryId(v, nextId++) : v]));
  writeFileAtomic(path, tableToIPC(new Table(numbered), 'file'));
}

/**
 * apache-arrow numbers dictionaries from a process-wide counter, so the
 * second file written by one process would differ from the same file written
 * by a fresh one; ids by column position keep the bytes a function of the data.
 */
export function withDictionaryId(v: Vector, id: number): Vector {
  return makeVector(v.data.map((d) => makeData({
    type: new Dictionary(d.type.dictionary, d.type.indices, id), length: d.length, nullCount: d.nullCount, data: d.values, dictionary: d.dictionary,
  })));
}
