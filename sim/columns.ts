// A growable numeric column: push numbers without one object per row.
// Values are buffered as float64 (one monomorphic class keeps pushes fast)
// and converted to the target typed array once, at the end.

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
