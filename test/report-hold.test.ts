// Holding each AP's newest report for ingest.holdS (engine/ingest/hold.ts):
// an AP feed that reports per interval, each AP on its own timer, gives a
// 5 s epoch one AP at a time; a fix must see every AP that reported within
// the hold, and stays must pool each report once.
import { describe, expect, it } from 'vitest';
import { TECHS } from '../engine/contract/site.ts';
import { ReportHold, HOLD_SETTINGS } from '../engine/ingest/hold.ts';
import { EpochAggregator, type EpochView } from '../engine/ingest/epochs.ts';
import type { Readings } from '../engine/localize/types.ts';

const WIFI = TECHS.indexOf('wifi');
const BADGE = TECHS.indexOf('ble-badge');
const EPOCH_MS = 5000;

/** Feeds (tMs, ap, rssi) reports of device 0 of technology `tech` through an aggregator and the hold; the readings of each epoch, copied. */
function heldReadings(reports: [number, number, number][], holdS: number, tech = WIFI): { epoch: number; ap: number[]; rssi: number[]; held: number[] }[] {
  const hold = new ReportHold({ ...HOLD_SETTINGS.defaults, wifi: holdS, 'ble-badge': holdS }, EPOCH_MS);
  const out: { epoch: number; ap: number[]; rssi: number[]; held: number[] }[] = [];
  const into: Readings = { apIdx: new Uint16Array(0), rssiDbm: new Float32Array(0), start: 0, end: 0 };
  const agg = new EpochAggregator(EPOCH_MS, (ep: EpochView) => {
    const r = hold.readings(ep, 0, tech, into);
    const idx = Array.from({ length: r.end - r.start }, (_, k) => r.start + k);
    out.push({ epoch: ep.epoch, ap: idx.map((i) => r.apIdx[i]), rssi: idx.map((i) => r.rssiDbm[i]), held: idx.map((i) => r.held?.[i] ?? 0) });
  }, 8);
  for (const [tMs, ap, rssi] of reports) agg.add(tMs, 0, ap, rssi);
  agg.flush();
  return out;
}

describe('report hold', () => {
  // APs 3, 1 and 5 report one after another, each in its own epoch, as staggered 10 s report timers do.
  const staggered: [number, number, number][] = [[1000, 3, -60], [6000, 1, -70], [11000, 5, -65], [21000, 1, -72]];

  it('gives a fix the newest report of every AP within the hold, flagged as held', () => {
    const epochs = heldReadings(staggered, 10);
    expect(epochs.map((e) => e.ap)).toEqual([[3], [1, 3], [1, 3, 5], [1, 5]]);
    expect(epochs[2].held).toEqual([1, 1, 0]);
    // Epoch 4 (20-25 s): AP 1 reports anew (−72 replaces −70), AP 5 from epoch 2 is 2 epochs old (kept), AP 3 from epoch 0 is 4 (dropped).
    expect(epochs[3]).toEqual({ epoch: 4, ap: [1, 5], rssi: [-72, -65], held: [0, 1] });
  });

  it('holds nothing at 0 s, nor for a technology whose hold is 0', () => {
    expect(heldReadings(staggered, 0).map((e) => e.ap)).toEqual([[3], [1], [5], [1]]);
    expect(new ReportHold(HOLD_SETTINGS.defaults, EPOCH_MS).holds(BADGE)).toBe(false);
    expect(new ReportHold(HOLD_SETTINGS.defaults, EPOCH_MS).holds(WIFI)).toBe(true);
  });

  it('keeps each device apart', () => {
    const hold = new ReportHold({ ...HOLD_SETTINGS.defaults, wifi: 10 }, EPOCH_MS);
    const aps: number[][] = [];
    const into: Readings = { apIdx: new Uint16Array(0), rssiDbm: new Float32Array(0), start: 0, end: 0 };
    const agg = new EpochAggregator(EPOCH_MS, (ep) => {
      for (let g = 0; g < ep.groups; g++) {
        const r = hold.readings(ep, g, WIFI, into);
        aps.push([ep.deviceIdx[g], ...Array.from(r.apIdx.subarray(r.start, r.end))]);
      }
    }, 8);
    agg.add(1000, 0, 2, -60);
    agg.add(1000, 1, 4, -60);
    agg.add(6000, 1, 6, -60);
    agg.flush();
    expect(aps).toEqual([[0, 2], [1, 4], [1, 4, 6]]);
  });
});
