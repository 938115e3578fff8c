// Holding each AP's latest report of a device for a while, as AP location
// engines do: a feed that summarizes per reporting interval (one RSSI per
// client per AP every few seconds, each AP on its own timer) hands a short
// epoch only the APs whose timer fired in it, so an epoch alone rarely has
// the three APs a fix needs. A fix instead takes the newest report of each AP
// that heard the device within `holdS`: the epoch's own means, plus the
// newest earlier mean of every other AP still that fresh. Held entries are
// flagged, so stays pool each report once (engine/localize/stays.ts).
//
// State is per device, so results do not depend on how devices are sharded
// over workers; it starts empty in each localization chunk (the batch's hour
// chunks), so a chunk's first epoch uses its own reports only.
import { TECHS, type Tech } from '../contract/site.ts';
import { between, type RulesOf } from '../settings/rules.ts';
import type { Readings } from '../localize/types.ts';

/** Seconds a technology's reports are held, per technology. */
export type HoldSettings = Record<Tech, number>;

/**
 * Sources. Location engines keep each AP's latest RSSI of a client and
 * locate from the set: Cisco's location appliance discards a report only
 * after a relative discard time (Cisco, Wi-Fi Location-Based Services Design
 * Guide OL-11612-01, "RSSI Discard Times"); Extreme's location server has each
 * AP send its most recent RSSI of a client, valid for an "RSSI Valid Period"
 * (ExtremeCloud IQ user guide, "Extreme Networks Location Server"). Holding a
 * report one reporting interval is what takes the newest report of every AP:
 * Wi-Fi feeds report per client every 5-30 s as deployed (Aruba RTLS station
 * reports, 1-3600 s; sim/radio/wifi-reports.ts), so 10 s, inside that range;
 * set it to your feed's interval. BLE: 0, the APs here report each advert they
 * hear (an epoch holds every AP in range), so nothing stale is mixed in; set
 * it for a BLE feed that summarizes per interval. Up to 600 s (10 minutes:
 * longer, a walker's held APs describe another room).
 */
export const HOLD_SETTINGS: { defaults: HoldSettings; rules: RulesOf<HoldSettings> } = {
  defaults: { wifi: 10, 'wifi-probe': 10, 'ble-badge': 0, 'ble-app': 0 },
  rules: { wifi: between(0, 600), 'wifi-probe': between(0, 600), 'ble-badge': between(0, 600), 'ble-app': between(0, 600) },
};

/** One device's newest mean per AP, APs ascending. */
interface Latest {
  ap: Uint16Array;
  rssiDbm: Float32Array;
  count: Uint32Array;
  epoch: Float64Array;
  n: number;
}

const newLatest = (size: number): Latest => ({ ap: new Uint16Array(size), rssiDbm: new Float32Array(size), count: new Uint32Array(size), epoch: new Float64Array(size), n: 0 });

/** What the hold reads of a closed epoch (epochs.ts's EpochView). */
interface EpochGroups {
  epoch: number;
  deviceIdx: Uint32Array;
  groupStart: Uint32Array;
  apIdx: Uint16Array;
  rssiDbm: Float32Array;
  count: Uint32Array;
}

export class ReportHold {
  private readonly latest = new Map<number, Latest>();
  private spare = newLatest(16);
  /** Epochs each technology's reports stay fresh for (TECHS order). */
  private readonly holdEpochs: number[];
  private readonly out: Required<Readings> = { apIdx: new Uint16Array(16), rssiDbm: new Float32Array(16), count: new Uint32Array(16), held: new Uint8Array(16), start: 0, end: 0 };

  constructor(hold: HoldSettings, epochMs: number) {
    this.holdEpochs = TECHS.map((t) => Math.floor((hold[t] * 1000) / epochMs));
  }

  /** Whether technology `tech` (index into TECHS) holds anything. */
  holds(tech: number): boolean {
    return this.holdEpochs[tech] > 0;
  }

  /**
   * Group `g` of `ep` (device `ep.deviceIdx[g]` of technology `tech`) with the
   * device's held reports added, and those remembered for later epochs. The
   * result is valid until the next call. A technology that holds nothing gets
   * the epoch's own readings in `into`.
   */
  readings(ep: EpochGroups, g: number, tech: number, into: Readings): Readings {
    into.apIdx = ep.apIdx;
    into.rssiDbm = ep.rssiDbm;
    into.count = ep.count;
    into.start = ep.groupStart[g];
    into.end = ep.groupStart[g + 1];
    const maxAge = this.holdEpochs[tech];
    if (maxAge <= 0) return into;
    const device = ep.deviceIdx[g];
    const old = this.latest.get(device) ?? newLatest(0);
    const size = old.n + into.end - into.start;
    if (this.out.apIdx.length < size) this.grow(size * 2);
    if (this.spare.ap.length < size) this.spare = newLatest(size * 2);
    const next = this.spare;
    let k = 0, i = into.start, n = 0;
    // Both ascending by AP: the epoch's own mean wins; an older one is used while fresh and kept while it may still be.
    while (k < old.n || i < into.end) {
      if (i < into.end && (k === old.n || ep.apIdx[i] <= old.ap[k])) {
        if (k < old.n && old.ap[k] === ep.apIdx[i]) k++;
        this.put(next, n++, ep.apIdx[i], ep.rssiDbm[i], ep.count[i], ep.epoch, 0);
        i++;
      } else {
        if (ep.epoch - old.epoch[k] <= maxAge) this.put(next, n++, old.ap[k], old.rssiDbm[k], old.count[k], old.epoch[k], 1);
        k++;
      }
    }
    next.n = n;
    // The merge becomes the device's memory; its old buffers take the next merge.
    this.latest.set(device, next);
    this.spare = old.ap.length > 0 ? old : newLatest(16);
    this.out.start = 0;
    this.out.end = n;
    return this.out;
  }

  /** Entry j of both the readings handed out and the device's memory (the same entries: what a fix uses is what stays held). */
  private put(next: Latest, j: number, ap: number, rssiDbm: number, count: number, epoch: number, held: number): void {
    const o = this.out;
    o.apIdx[j] = ap;
    o.rssiDbm[j] = rssiDbm;
    o.count[j] = count;
    o.held[j] = held;
    next.ap[j] = ap;
    next.rssiDbm[j] = rssiDbm;
    next.count[j] = count;
    next.epoch[j] = epoch;
  }

  /** Drops a device's held reports (the live engine evicting an idle device). */
  forget(device: number): void {
    this.latest.delete(device);
  }

  private grow(size: number): void {
    this.out.apIdx = new Uint16Array(size);
    this.out.rssiDbm = new Float32Array(size);
    this.out.count = new Uint32Array(size);
    this.out.held = new Uint8Array(size);
  }
}
