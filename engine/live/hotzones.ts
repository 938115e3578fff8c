// Hot zones, causally: each counted holder votes with its fixes for a zone per
// interval (votedZone, as the batch occupancy counts), and once stream time
// passes an interval's end its counts step each zone's ZoneAlertRule (the
// batch rule). Only the capacity baseline is causal (the learned one is a
// median over every day of the data); counts only, never ids.
import type { HotZoneSettings } from '../hotzones/settings.ts';
import { ZoneAlertRule } from '../hotzones/alerts.ts';
import { votedZone } from '../hotzones/occupancy.ts';
import type { HotZoneAlert } from '../outputs.ts';
import { InputError } from '../contract/input-error.ts';

/** One closed interval: each zone's count (holders voting for it), baseline and whether an alert is open at its end. */
export interface IntervalCounts {
  startTMs: number;
  endTMs: number;
  counts: readonly number[];
  baselines: readonly number[];
  hot: readonly boolean[];
}

export interface AlertSink {
  raised(alert: HotZoneAlert, occupancy: number): void;
  cleared(alert: HotZoneAlert): void;
  /** Every closed interval's counts (for the store: counts only, never ids). */
  counted?(c: IntervalCounts): void;
}

export class LiveHotZones {
  private readonly rules: ZoneAlertRule[];
  private readonly baseline: number[];
  private readonly intervalMs: number;
  /** The interval being counted; −1 before the first fix. */
  private interval = -1;
  /** Votes per holder this interval: slot 0 no zone, slot z + 1 zone z. */
  private readonly votes = new Map<string, Uint16Array>();
  private readonly spare: Uint16Array[] = [];
  private readonly counts: Uint16Array;

  constructor(zoneIds: readonly string[], capacities: readonly number[], cfg: HotZoneSettings, private readonly sink: AlertSink) {
    if (cfg.baseline !== 'capacity') throw new InputError(`the live engine needs hotZones.baseline 'capacity' (a learned baseline uses every day of the data), got '${cfg.baseline}'`);
    this.intervalMs = cfg.intervalS * 1000;
    this.rules = zoneIds.map((z) => new ZoneAlertRule(z, this.intervalMs, cfg));
    this.baseline = capacities.map((c) => c * cfg.countedShare);
    this.counts = new Uint16Array(zoneIds.length);
  }

  /** Open alerts now. */
  get open(): number {
    return this.rules.reduce((n, r) => n + (r.open ? 1 : 0), 0);
  }

  /** One fix of a counted holder (zone: index, −1 for none), in time order. */
  vote(tMs: number, holder: string, zone: number): void {
    this.advanceTo(tMs);
    let v = this.votes.get(holder);
    if (v === undefined) {
      v = this.spare.pop() ?? new Uint16Array(this.rules.length + 1);
      v.fill(0);
      this.votes.set(holder, v);
    }
    v[zone + 1]++;
  }

  /** Closes every interval that ends at or before tMs. */
  advanceTo(tMs: number): void {
    const k = Math.floor(tMs / this.intervalMs);
    if (this.interval < 0) this.interval = k;
    while (this.interval < k) this.close();
  }

  private close(): void {
    this.counts.fill(0);
    for (const v of this.votes.values()) {
      const z = votedZone(v);
      if (z >= 0) this.counts[z]++;
      this.spare.push(v);
    }
    this.votes.clear();
    for (let z = 0; z < this.rules.length; z++) {
      const rule = this.rules[z];
      const what = rule.step(this.interval, this.counts[z], this.baseline[z]);
      if (what === 'raised') this.sink.raised(rule.open!, this.counts[z]);
      else if (what === 'cleared') this.sink.cleared(rule.cleared!);
    }
    if (this.sink.counted) {
      const startTMs = this.interval * this.intervalMs;
      this.sink.counted({ startTMs, endTMs: startTMs + this.intervalMs, counts: Array.from(this.counts), baselines: this.baseline, hot: this.rules.map((r) => r.open !== null) });
    }
    this.interval++;
  }
}
