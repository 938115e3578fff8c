// Small helpers over apache-arrow for the columnar tables at the boundaries.
import {
  DataType, Dictionary, Table, Uint16, Uint32, Uint8, Utf8, makeData, makeVector, tableToIPC, vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { writeFileAtomic } from './atomic-write.ts';

type IndexArray = Uint8Array | Uint16Array | Uint32Array;
/** Per-row indices into a short list of values; negative for null (signed arrays only). */
type CodeArray = IndexArray | Int8Array | Int16Array | Int32Array;

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

/**
 * A plain (not dictionary-encoded) Utf8 column from per-row indices into
 * `values`, negative indices as nulls: the bytes vectorFromArray(strings, Utf8)
 * gives, built straight into the offset, value and validity buffers.
 * apache-arrow's builder holds every row in a Map until it flushes, and
 * vectorFromArray flushes once at the end, so a column past 2^24 rows (a
 * campus day's truth positions) fails with "Map maximum size exceeded".
 */
export function utf8Column(indices: CodeArray, values: readonly string[]): Vector {
  const encoder = new TextEncoder();
  const encoded = values.map((v) => encoder.encode(v));
  const n = indices.length;
  const valueOffsets = new Int32Array(n + 1);
  let bytes = 0;
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    const k = indices[i];
    if (k < 0) nullCount++;
    else bytes += encoded[k].length;
    valueOffsets[i + 1] = bytes;
  }
  if (bytes > 0x7fffffff) throw new Error(`a Utf8 column of ${n} rows needs ${bytes} bytes of text, past Arrow's 32-bit offsets`);
  const data = new Uint8Array(bytes);
  // Bit i set: row i holds a value (Arrow's validity bitmap, LSB first). As the builder makes it: only
  // when some row is null, zero-padded to a multiple of 64 bytes (the file keeps the padding).
  const nullBitmap = nullCount > 0 ? new Uint8Array(Math.ceil(n / 512) * 64) : undefined;
  for (let i = 0; i < n; i++) {
    const k = indices[i];
    if (k < 0) continue;
    data.set(encoded[k], valueOffsets[i]);
    if (nullBitmap) nullBitmap[i >> 3] |= 1 << (i & 7);
  }
  return makeVector(makeData({ type: new Utf8(), length: n, nullCount, nullBitmap, valueOffsets, data }));
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
