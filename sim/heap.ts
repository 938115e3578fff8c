// A binary min-heap of values ordered by two numeric keys (primary, then
// secondary). Keys live in plain arrays so pushing allocates no objects;
// the DES orders by (time, insertion seq), the observation merge by (time, device).

export class KeyedHeap<T> {
  private readonly k1: number[] = [];
  private readonly k2: number[] = [];
  private readonly values: T[] = [];

  get size(): number {
    return this.values.length;
  }

  /** Primary key of the smallest entry (Infinity when empty). */
  peekKey(): number {
    return this.values.length > 0 ? this.k1[0] : Infinity;
  }

  push(key1: number, key2: number, value: T): void {
    let i = this.values.length;
    this.k1.push(key1);
    this.k2.push(key2);
    this.values.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): T | undefined {
    const n = this.values.length;
    if (n === 0) return undefined;
    const top = this.values[0];
    this.swap(0, n - 1);
    this.k1.pop();
    this.k2.pop();
    this.values.pop();
    const size = n - 1;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < size && this.less(left, smallest)) smallest = left;
      if (right < size && this.less(right, smallest)) smallest = right;
      if (smallest === i) break;
      this.swap(i, smallest);
      i = smallest;
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    return this.k1[a] < this.k1[b] || (this.k1[a] === this.k1[b] && this.k2[a] < this.k2[b]);
  }

  private swap(a: number, b: number): void {
    [this.k1[a], this.k1[b]] = [this.k1[b], this.k1[a]];
    [this.k2[a], this.k2[b]] = [this.k2[b], this.k2[a]];
    [this.values[a], this.values[b]] = [this.values[b], this.values[a]];
  }
}
