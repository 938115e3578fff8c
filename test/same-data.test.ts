// The byte-comparing deep equality the suite uses for big results must fail
// wherever toEqual would, and on a changed byte toEqual might not see.
import { describe, expect, it } from 'vitest';
import { expectSameData } from './helpers/same-data.ts';

const batch = () => ({ length: 3, tMs: Float64Array.of(0, 10, 20), rssiDbm: Float32Array.of(-50, NaN, -70), devices: [{ id: 'd0', tech: 'wifi' }], note: undefined });

describe('expectSameData', () => {
  it('passes on equal data, a key holding undefined counting as absent (as in toEqual)', () => {
    const { note: _, ...noNote } = batch();
    expect(() => expectSameData(batch(), batch())).not.toThrow();
    expect(() => expectSameData(noNote, batch())).not.toThrow();
    expect(() => expectSameData(new Map([['a', 1]]), new Map([['a', 1]]))).not.toThrow();
  });

  it('fails on one changed value, naming where', () => {
    const b = batch();
    b.rssiDbm[2] = -71;
    expect(() => expectSameData(b, batch())).toThrow(/differs at \["rssiDbm"\]/);
    const d = batch();
    d.devices[0].tech = 'ble-app';
    expect(() => expectSameData(d, batch())).toThrow(/differs at \["devices"\]\[0\]\["tech"\]/);
    expect(() => expectSameData(new Map([['a', 1]]), new Map([['a', 2]]))).toThrow();
  });

  it('fails on another length, another typed-array type with the same bytes, -0 for 0, and an extra or missing key', () => {
    expect(() => expectSameData({ ...batch(), tMs: Float64Array.of(0, 10) }, batch())).toThrow();
    expect(() => expectSameData({ ...batch(), tMs: new BigInt64Array(batch().tMs.buffer) }, batch())).toThrow(/BigInt64Array/);
    expect(() => expectSameData({ ...batch(), tMs: Float64Array.of(-0, 10, 20) }, batch())).toThrow();
    expect(() => expectSameData({ ...batch(), extra: 1 }, batch())).toThrow();
    expect(() => expectSameData([1, 2], [1, 2, 3])).toThrow();
  });
});
