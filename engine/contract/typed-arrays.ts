// Growing typed-array columns, the one helper for it on both sides of the
// contract: resized/doubled copies for the classes that keep concrete typed
// fields on their hot path (ObservationColumns, SurveyColumns, the engine's
// stages), and GrowableColumn, one column filled value by value (the
// simulator's tracks and phone-to-phone readings).
type Column = Float64Array | Float32Array | Int32Array | Int16Array | Uint32Array | Uint16Array | Uint8Array;

/** A copy of `column` in a new array of `size` elements (size ≥ its length). */
export function resized<T extends Column>(column: T, size: number): T {
  const bigger = new (column.constructor as new (size: number) => T)(size);
  bigger.set(column as never);
  return bigger;
}

/** A copy of `column` with twice the room. */
export function doubled<T extends Column>(column: T): T {
  return resized(column, column.length * 2);
}

interface ColumnType<T extends Column> {
  new (length: number): T;
  new (buffer: SharedArrayBuffer): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** A column of numbers pushed one at a time, stored in its own type (so a million Float32 rows take 4 MB, not 8). */
export class GrowableColumn<T extends Column> {
  length = 0;
  private data: T;

  constructor(private readonly type: ColumnType<T>, capacity = 1024) {
    this.data = new type(Math.max(1, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.data = doubled(this.data);
    this.data[this.length++] = value;
  }

  get(i: number): number {
    return this.data[i];
  }

  /** A right-sized copy of the values. */
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }

  /** A right-sized copy in shared memory (threads read it in place). */
  toShared(): T {
    const out = new this.type(new SharedArrayBuffer(this.length * this.type.BYTES_PER_ELEMENT));
    out.set(this.data.subarray(0, this.length) as never);
    return out;
  }
}
