// npm run fidelity --check: what counts as a regression against the committed
// baseline, and that rows the baseline lacks (new twins) are listed, not failed.
import { describe, expect, it } from 'vitest';
import { compareWithBaseline } from '../bench/studies/fidelity/baseline-check.ts';
import type { Row } from '../bench/twin/fidelity.ts';

const row = (metric: string, of: string, pass: boolean): Row => ({ metric, of, real: 1, sim: 1, tolerance: '±20%', pass, n: 10 });

describe('fidelity baseline check', () => {
  const baseline = [
    { name: 'uji-lib', rows: [row('median error m', 'wls, survey', true), row('p90 error m', 'wls, survey', false), row('68% coverage', 'wls, survey', true)] },
    { name: 'anchors', rows: [row('median error m', 'map, survey', true)] },
  ];

  it('a row that passed and fails now, or is gone while its twin ran, regresses; one that failed before does not', () => {
    const now = [{ name: 'uji-lib', rows: [row('median error m', 'wls, survey', false), row('p90 error m', 'wls, survey', false)] }];
    const c = compareWithBaseline(baseline, now);
    expect(c.regressed).toEqual(['uji-lib | median error m | wls, survey', 'uji-lib | 68% coverage | wls, survey']);
    expect(c.added).toEqual([]);
    expect(c.passedBefore).toBe(3);
  });

  it('rows of a new twin, and new rows of an old one, are listed as new with their verdict, never as a regression', () => {
    const now = [
      { name: 'uji-lib', rows: [...baseline[0].rows, row('median error m', 'knn, survey', false)] },
      { name: 'anchors', rows: baseline[1].rows },
      { name: 'ble-proximity-pcng', rows: [row('balanced accuracy', 'HH, 2 m', true), row('autocorrelation', 'HH, 1 s', false)] },
    ];
    const c = compareWithBaseline(baseline, now);
    expect(c.regressed).toEqual([]);
    expect(c.added).toEqual([
      { key: 'uji-lib | median error m | knn, survey', pass: false },
      { key: 'ble-proximity-pcng | balanced accuracy | HH, 2 m', pass: true },
      { key: 'ble-proximity-pcng | autocorrelation | HH, 1 s', pass: false },
    ]);
  });

  it('a twin that did not run (--only) regresses nothing', () => {
    expect(compareWithBaseline(baseline, [{ name: 'anchors', rows: baseline[1].rows }]).regressed).toEqual([]);
  });
});
