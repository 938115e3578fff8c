// Ingest: groups a time-ordered stream of RSSI reports into per-device epochs
// and aggregates each (device, epoch, AP) to the mean RSSI in dBm and a count.
//
// Mean of dBm (not of milliwatts): shadowing and fading are roughly Gaussian
// in dB, so the dB mean is the maximum-likelihood level and is what the
// log-distance ranging model expects; it also streams as a sum and a count,
// where a median would have to keep every value.
//
// Memory is bounded by one epoch: an epoch is emitted as soon as a report
// from a later epoch arrives (input must be non-decreasing in time).

import { doubled, resized } from '../contract/typed-arrays.ts';
import { whole, type Settings } from '../settings/rules.ts';
import { HOLD_SETTINGS, type HoldSettings } from './hold.ts';

export interface IngestSettings {
  /** Localization epoch, ms: one fix per device per epoch from the RSSI heard in it (from 0.1 s to an hour). */
  epochMs: number;
  /** Per technology, how long each AP's newest report of a device is held for its fixes, s (0-600; hold.ts). */
  holdS: HoldSettings;
}

export const INGEST_SETTINGS: Settings<IngestSettings> = {
  defaults: { epochMs: 5000, holdS: HOLD_SETTINGS.defaults },
  rules: { epochMs: whole(100, 3_600_000), holdS: HOLD_SETTINGS.rules },
};

/**
 * One closed epoch, as views into the aggregator's buffers (valid only during
 * the callback). Devices ascend by index; device g owns entries
 * [groupStart[g], groupStart[g + 1]), whose APs ascend by index.
 */
export interface EpochView {
  epoch: number;
  /** Epoch midpoint, ms. */
  tMs: number;
  groups: number;
  deviceIdx: Uint32Array;
  groupStart: Uint32Array;
  apIdx: Uint16Array;
  /** Mean RSSI of the reports in this (device, epoch, AP). */
  rssiDbm: Float32Array;
  /** Reports behind each mean. */
  count: Uint32Array;
}

export type EpochHandler = (epoch: EpochView) => void;

const AP_KEYS = 65536; // apIdx is a Uint16

export class EpochAggregator {
  /**
   * Each key's slot + 1 (0: empty), by open addressing on a hash of the key:
   * a lookup per report, cheaper than a Map's; tableAt[slot] is where the
   * slot's key sits, so an epoch's keys are cleared without a scan.
   */
  private table = new Int32Array(512);
  private tableAt = new Int32Array(256);
  private slots = 0;
  private keys = new Float64Array(256);
  private sumDbm = new Float64Array(256);
  private counts = new Uint32Array(256);
  private epoch = -Infinity;
  private readonly view: EpochView = {
    epoch: 0, tMs: 0, groups: 0,
    deviceIdx: new Uint32Array(64), groupStart: new Uint32Array(65),
    apIdx: new Uint16Array(256), rssiDbm: new Float32Array(256), count: new Uint32Array(256),
  };

  /**
   * apCount: every apIdx is below it (the site's AP count). Keys are
   * device·apCount + ap, so with the real AP count they stay small integers
   * (V8 Smis: fast map keys) at hundreds of thousands of devices.
   */
  constructor(
    private readonly epochMs: number,
    private readonly onEpoch: EpochHandler,
    private readonly apCount = AP_KEYS,
  ) {
    if (!(epochMs > 0)) throw new Error(`epochMs must be positive, got ${epochMs}`);
    if (!(Number.isInteger(apCount) && apCount > 0 && apCount <= AP_KEYS)) throw new Error(`apCount must be a whole number in 1..${AP_KEYS}, got ${apCount}`);
  }

  add(tMs: number, deviceIdx: number, apIdx: number, rssiDbm: number): void {
    const epoch = Math.floor(tMs / this.epochMs);
    if (epoch !== this.epoch) {
      if (epoch < this.epoch) throw new Error(`observations must be time-ordered: t=${tMs} ms after epoch ${this.epoch}`);
      this.flush();
      this.epoch = epoch;
    }
    if (apIdx >= this.apCount) throw new Error(`AP ${apIdx} is beyond the ${this.apCount} APs the aggregator was made for`);
    const key = deviceIdx * this.apCount + apIdx;
    const mask = this.table.length - 1;
    let at = hashOf(key) & mask, slot = this.table[at] - 1;
    while (slot >= 0 && this.keys[slot] !== key) {
      at = (at + 1) & mask;
      slot = this.table[at] - 1;
    }
    if (slot < 0) {
      slot = this.slots++;
      if (slot === this.keys.length) this.growSlots();
      this.table[at] = slot + 1;
      this.tableAt[slot] = at;
      this.keys[slot] = key;
      this.sumDbm[slot] = 0;
      this.counts[slot] = 0;
      if (2 * this.slots > this.table.length) this.growTable();
    }
    this.sumDbm[slot] += rssiDbm;
    this.counts[slot]++;
  }

  /** The slot of a key added this epoch. */
  private slotOf(key: number): number {
    const mask = this.table.length - 1;
    let at = hashOf(key) & mask;
    while (this.keys[this.table[at] - 1] !== key) at = (at + 1) & mask;
    return this.table[at] - 1;
  }

  /** Emits the open epoch, if any. Call once after the last report. */
  flush(): void {
    if (this.slots === 0) return;
    const n = this.slots;
    const v = this.view;
    if (v.apIdx.length < n) {
      v.apIdx = new Uint16Array(this.keys.length);
      v.rssiDbm = new Float32Array(this.keys.length);
      v.count = new Uint32Array(this.keys.length);
    }
    // Keys are device·apCount + ap, so sorting them orders by device, then AP.
    const sorted = this.keys.slice(0, n).sort();
    let groups = 0;
    let lastDevice = -1;
    for (let i = 0; i < n; i++) {
      const key = sorted[i];
      const device = Math.floor(key / this.apCount);
      if (device !== lastDevice) {
        if (groups + 1 >= v.groupStart.length) this.growGroups();
        v.deviceIdx[groups] = device;
        v.groupStart[groups++] = i;
        lastDevice = device;
      }
      const slot = this.slotOf(key);
      v.apIdx[i] = key - device * this.apCount;
      v.rssiDbm[i] = this.sumDbm[slot] / this.counts[slot];
      v.count[i] = this.counts[slot];
    }
    v.groupStart[groups] = n;
    v.groups = groups;
    v.epoch = this.epoch;
    v.tMs = (this.epoch + 0.5) * this.epochMs;
    for (let k = 0; k < n; k++) this.table[this.tableAt[k]] = 0;
    this.slots = 0;
    this.onEpoch(v);
  }

  private growSlots(): void {
    this.keys = doubled(this.keys);
    this.sumDbm = doubled(this.sumDbm);
    this.counts = doubled(this.counts);
    this.tableAt = doubled(this.tableAt);
  }

  /** Twice the table, every slot's key placed again. */
  private growTable(): void {
    this.table = new Int32Array(this.table.length * 2);
    const mask = this.table.length - 1;
    for (let slot = 0; slot < this.slots; slot++) {
      let at = hashOf(this.keys[slot]) & mask;
      while (this.table[at] !== 0) at = (at + 1) & mask;
      this.table[at] = slot + 1;
      this.tableAt[slot] = at;
    }
  }

  private growGroups(): void {
    const size = this.view.deviceIdx.length * 2;
    this.view.deviceIdx = resized(this.view.deviceIdx, size);
    this.view.groupStart = resized(this.view.groupStart, size + 1);
  }
}

/** A 32-bit hash of a key (a whole number below 2^53): both halves mixed (murmur3's finalizer). */
function hashOf(key: number): number {
  let h = (key >>> 0) ^ Math.imul((key / 4294967296) >>> 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Feeds columns [start, end) of time-ordered reports to an aggregator: those of devices in shard `shard` of `shards` (deviceIdx mod shards). */
export function addColumns(
  agg: EpochAggregator,
  tMs: Float64Array, deviceIdx: Uint32Array, apIdx: Uint16Array, rssiDbm: Float32Array,
  start = 0, end = tMs.length, shard = 0, shards = 1,
): void {
  if (shards === 1) {
    for (let i = start; i < end; i++) agg.add(tMs[i], deviceIdx[i], apIdx[i], rssiDbm[i]);
    return;
  }
  for (let i = start; i < end; i++) if (deviceIdx[i] % shards === shard) agg.add(tMs[i], deviceIdx[i], apIdx[i], rssiDbm[i]);
}
