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
  const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  copy.set(a as never);
  return copy;
}
