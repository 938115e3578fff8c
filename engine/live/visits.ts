// Zone enter/exit events of one device, causally. The device's fixes step the
// batch journeys' ZoneVoter (same margin, snapping and switch rules); the
// minimum dwell (applyMinDwell in batch) becomes a confirmation: a visit is
// announced once it has lasted journeys.minDwellS (backdated to its start),
// and its exit only once another visit is confirmed or maxGapS passes without
// the device coming back, so A-B-A with a short B stays one visit to A, as
// in batch. Enter events lag by up to minDwellS, exits by up to maxGapS.
import type { JourneySettings } from '../journeys/journeys.ts';
import { ZoneVoter } from '../journeys/journeys.ts';
import type { Visit } from '../journeys/visits.ts';
import type { Site } from '../contract/site.ts';

export interface VisitSink {
  enter(zone: number, enterTMs: number): void;
  exit(zone: number, enterTMs: number, exitTMs: number): void;
}

export class LiveVisits {
  private readonly voter: ZoneVoter;
  /** The announced visit (exitTMs NaN while the voter still holds it). */
  private shown: Visit | null = null;

  constructor(site: Site, zoneAt: (floor: number, x: number, y: number) => number, epochMs: number, private readonly cfg: JourneySettings, private readonly sink: VisitSink) {
    this.voter = new ZoneVoter(site, zoneAt, epochMs, cfg, (v) => this.closed(v));
  }

  step(tMs: number, floor: number, x: number, y: number): void {
    this.voter.step(tMs, floor, x, y);
    const shown = this.shown;
    if (shown && !Number.isNaN(shown.exitTMs) && tMs - shown.exitTMs >= this.cfg.maxGapS * 1000) this.exitShown();
    const zone = this.voter.zone;
    if (zone < 0 || (this.shown && Number.isNaN(this.shown.exitTMs))) return;
    const since = this.voter.since;
    if (tMs - since < this.cfg.minDwellS * 1000) return; // not confirmed yet (the batch would drop it if it ended now)
    const last = this.shown;
    if (last && last.zone === zone && since - last.exitTMs < this.cfg.maxGapS * 1000) {
      last.exitTMs = NaN; // back in the announced zone after a dropped blip: one visit
      return;
    }
    if (last) this.exitShown();
    this.shown = { zone, enterTMs: since, exitTMs: NaN };
    this.sink.enter(zone, since);
  }

  /** The device is gone (idle or the stream ended): its open visit ends at its last fix. */
  end(): void {
    this.voter.end();
    if (this.shown) this.exitShown();
  }

  private closed(v: Visit): void {
    // Only the announced visit's end matters; a visit that closes unannounced was shorter than minDwellS.
    if (this.shown && Number.isNaN(this.shown.exitTMs) && v.zone === this.shown.zone) this.shown.exitTMs = v.exitTMs;
  }

  private exitShown(): void {
    const s = this.shown!;
    this.sink.exit(s.zone, s.enterTMs, s.exitTMs);
    this.shown = null;
  }
}
