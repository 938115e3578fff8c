// A growable numeric column: push numbers without one object per row.
// Values are buffered as float64 (one monomorphic class keeps pushes fast)
// and converted to the target typed array once, at the end. For tens of
// millions of rows, TypedColumn buffers in the target type instead (a
// quarter to a half of the memory).

type NumericArray = Float64Array | Float32Array | Uint32Array | Uint16Array | Int16Array;

export class Column<A extends NumericArray> {
  length = 0;
  private data = new Float64Array(1024);

  constructor(private readonly make: (length: number) => A) {}

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  get(i: number): number {
    return this.data[i];
  }

  /** A right-sized typed array of the values. */
  toArray(): A {
    const out = this.make(this.length);
    out.set(this.data.subarray(0, this.length));
    return out;
  }
}

type TypedArrayOf<A extends NumericArray> = { new (buffer: ArrayBufferLike): A; new (length: number): A; BYTES_PER_ELEMENT: number };

export class TypedColumn<A extends NumericArray> {
  length = 0;
  private data: A;

  constructor(private readonly type: TypedArrayOf<A>) {
    this.data = new type(1024);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new this.type(this.data.length * 2);
      next.set(this.data as never);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  /** A right-sized copy in shared memory (threads read it in place). */
  toShared(): A {
    const out = new this.type(new SharedArrayBuffer(this.length * this.type.BYTES_PER_ELEMENT));
    out.set(this.data.subarray(0, this.length) as never);
    return out;
  }
}
