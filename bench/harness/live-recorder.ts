// What a live user received, kept as it arrives: every event with the stream
// time it arrived at (the newest report sent by then) and its wall time,
// gathered into the batch engine's output shapes for the scorers. Fixes go
// into columns (a week of fixes as objects would not fit).
import type { DeviceInfo } from '../../engine/contract/observations.ts';
import type { LiveEvent } from '../../engine/live/events.ts';
import type { Contact, Estimates, HotZoneAlert, ZoneVisit } from '../../engine/outputs.ts';
import { EstimatesBuilder } from '../../engine/pipeline/estimates.ts';

export interface LiveOutputs {
  /** Every fix event, sorted by (tMs, device) as the engine emits them. */
  estimates: Estimates;
  /** Closed visits (zone-exit events). */
  journeys: ZoneVisit[];
  /** Alerts with raisedTMs/clearedTMs as the user got them: the stream time the event arrived at. */
  alerts: HotZoneAlert[];
  /** Pairs announced as contacts, with their final exposure (contact-end) or the exposure at announcement. */
  contacts: Contact[];
  /** Stream time from the end of a fix's epoch to its arrival, seconds, per fix. */
  fixLagS: Float64Array;
  counts: Record<string, number>;
}

export class LiveRecorder {
  private readonly indexOf: Map<string, number>;
  private readonly fixes = new EstimatesBuilder(1 << 16);
  private fixLag = new Float64Array(1 << 16);
  private readonly visits: ZoneVisit[] = [];
  private readonly open = new Map<string, HotZoneAlert>();
  private readonly alerts: HotZoneAlert[] = [];
  private readonly pairs = new Map<string, Contact>();
  private readonly counts: Record<string, number> = {};
  private readonly fix = { x: 0, y: 0, floor: 0, errorRadiusM: 0, apsUsed: 0 };

  constructor(devices: readonly DeviceInfo[], private readonly epochMs: number) {
    this.indexOf = new Map(devices.map((d, i) => [d.id, i]));
  }

  /** One event, arrived when the stream had reached streamTMs. */
  add(e: LiveEvent, streamTMs: number): void {
    this.counts[e.type] = (this.counts[e.type] ?? 0) + 1;
    switch (e.type) {
      case 'fix': {
        const d = this.indexOf.get(e.deviceId);
        if (d === undefined) throw new Error(`fix event for unknown device ${e.deviceId}`);
        const i = this.fixes.length;
        if (i === this.fixLag.length) {
          const grown = new Float64Array(i * 2);
          grown.set(this.fixLag);
          this.fixLag = grown;
        }
        this.fixLag[i] = (streamTMs - (e.tMs + this.epochMs / 2)) / 1000;
        Object.assign(this.fix, { x: e.x, y: e.y, floor: e.floor, errorRadiusM: e.errorRadiusM });
        this.fixes.push(e.tMs, d, this.fix);
        return;
      }
      case 'zone-exit':
        this.visits.push({ deviceId: e.deviceId, zone: e.zone, enterTMs: e.enterTMs, exitTMs: e.tMs, dwellS: (e.tMs - e.enterTMs) / 1000 });
        return;
      case 'hotzone-raised': {
        const a: HotZoneAlert = { zone: e.zone, risingTMs: e.risingTMs, raisedTMs: Math.max(e.tMs, streamTMs), clearedTMs: NaN, peakOccupancy: e.occupancy, baseline: NaN, threshold: e.threshold };
        this.open.set(e.zone, a);
        this.alerts.push(a);
        return;
      }
      case 'hotzone-cleared': {
        const a = this.open.get(e.zone);
        if (a) {
          a.clearedTMs = Math.max(e.tMs, streamTMs);
          a.peakOccupancy = e.peakOccupancy;
          this.open.delete(e.zone);
        }
        return;
      }
      case 'contact':
      case 'contact-end': {
        const key = `${e.a}\n${e.b}`;
        this.pairs.set(key, { a: e.a, b: e.b, tech: e.tech, exposureS: e.exposureS, minDistanceM: e.minDistanceM, firstTMs: e.firstTMs, lastTMs: e.tMs, zones: e.zones });
        return;
      }
      default:
    }
  }

  outputs(): LiveOutputs {
    const journeys = [...this.visits].sort((p, q) => (p.deviceId < q.deviceId ? -1 : p.deviceId > q.deviceId ? 1 : p.enterTMs - q.enterTMs));
    return {
      estimates: this.fixes.build(), journeys, alerts: [...this.alerts].sort((p, q) => p.raisedTMs - q.raisedTMs),
      contacts: [...this.pairs.values()], fixLagS: this.fixLag.slice(0, this.fixes.length), counts: { ...this.counts },
    };
  }
}
