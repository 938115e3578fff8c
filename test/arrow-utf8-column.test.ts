// utf8Column builds plain string columns from per-row indices. Through
// apache-arrow's vectorFromArray the truth table's zoneId column of a campus
// day (over 2^24 rows) died with "Map maximum size exceeded" after the whole
// simulation and engine run; the files it writes must stay byte for byte what
// vectorFromArray wrote for the scenarios that fit.
import { Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { utf8Column } from '../engine/io/arrow.ts';

const fileBytes = (v: Vector) => tableToIPC(new Table({ zoneId: v }), 'file');

describe('utf8Column', () => {
  const values = ['lobby', 'café-2', '', 'room-101'];
  const cases: Record<string, number[]> = {
    'with nulls': [0, -1, 1, 2, 3, -1, 0, 0, 1, -1],
    'without nulls': [3, 2, 1, 0, 0, 1],
    'all null': [-1, -1, -1],
    'past one 64-byte validity block': Array.from({ length: 1300 }, (_, i) => (i % 5) - 1),
    'empty': [],
  };
  for (const [name, codes] of Object.entries(cases)) {
    it(`writes the bytes vectorFromArray writes (${name})`, () => {
      const strings = codes.map((k) => (k < 0 ? null : values[k]));
      expect(Buffer.from(fileBytes(utf8Column(Int16Array.from(codes), values)))).toEqual(Buffer.from(fileBytes(vectorFromArray(strings, new Utf8()))));
    });
  }

  it('takes a column past 2^24 rows (where the builder stopped), nulls included', () => {
    const n = 2 ** 24 + 1000;
    const codes = new Int16Array(n);
    for (let i = 0; i < n; i++) codes[i] = (i % 7) - 1; // −1 (null) and 0..5
    const zones = ['z0', 'z1', 'z2', 'z3', 'z4', 'zone-five'];
    const col = utf8Column(codes, zones);
    expect(col.length).toBe(n);
    expect(col.nullCount).toBe(Math.ceil(n / 7));
    const back = tableFromIPC(fileBytes(col)).getChild('zoneId')!;
    expect(back.length).toBe(n);
    for (const i of [0, 1, 6, 2 ** 24 - 1, 2 ** 24, 2 ** 24 + 5, n - 1]) expect(back.get(i)).toBe(codes[i] < 0 ? null : zones[codes[i]]);
  });
});
