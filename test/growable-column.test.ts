// GrowableColumn (engine/contract/typed-arrays.ts): values pushed one at a time past its first room.
import { expect, it } from 'vitest';
import { GrowableColumn } from '../engine/contract/typed-arrays.ts';

it('keeps every value in its own type through growth, right-sized, in plain or shared memory', () => {
  const column = new GrowableColumn(Float32Array, 2);
  for (let i = 0; i < 1000; i++) column.push(i + 0.1);
  expect(column.length).toBe(1000);
  expect(column.get(999)).toBe(Math.fround(999.1));
  const plain = column.toArray();
  expect(plain).toBeInstanceOf(Float32Array);
  expect(plain.length).toBe(1000);
  expect(plain[0]).toBe(Math.fround(0.1));
  const shared = column.toShared();
  expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect([...shared]).toEqual([...plain]);
  const small = new GrowableColumn(Int16Array);
  small.push(-3);
  expect([...small.toArray()]).toEqual([-3]);
});
