// Growing typed-array columns: a copy with more room, same type.
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
