// Typed arrays in shared memory: posted to a worker they are shared, not
// copied. Inputs already shared (the simulator makes its big tables that
// way) are used in place; others are copied once.
type NumericArray = Float64Array | Float32Array | Uint32Array | Uint16Array | Int16Array | Uint8Array;

export function isShared(a: NumericArray): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

/** `a` itself when shared, else a copy of it in a SharedArrayBuffer. */
export function toShared<T extends NumericArray>(a: T): T {
  if (isShared(a)) return a;
  const copy = sharedArray(a.constructor as { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, a.length);
  copy.set(a as never);
  return copy;
}

/** A zeroed typed array of `length` elements in a SharedArrayBuffer. */
export function sharedArray<T extends NumericArray>(Type: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T {
  return new Type(new SharedArrayBuffer(length * Type.BYTES_PER_ELEMENT));
}
