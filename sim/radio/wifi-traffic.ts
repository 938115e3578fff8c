// When a connected phone transmits. Two states: idle (screen off, in
// 802.11 power save: a few frames a minute, keep-alives and the null frames
// around each wake) and active (someone using it: a burst of traffic). Both
// states last an exponential time; frames within a state come at exponential
// gaps (Poisson), and a phone waking to use sends at once.
import type { Rng } from '../rng.ts';

export interface TrafficParams {
  /** Mean length of a use session, s. */
  activeMeanS: number;
  /** Mean time between sessions, s. */
  idleMeanS: number;
  /** Mean gap between frames while idle, s. */
  idleFrameGapS: number;
  /** Mean gap between frames the simulator draws while active, s. */
  activeFrameGapS: number;
}

/**
 * Sessions: dscout's 2016 study (94 Android users, every touch logged for 5
 * days) counted 76 sessions and 2.42 h of screen time a day, so a session
 * lasts 2.42 · 3600 / 76 ≈ 115 s; Hintze et al. 2017 (ACM TOCHI, 29,279
 * devices) found phones used half as much at the office as at home, so 38
 * sessions over ~16 waking hours: one every ~1500 s, 1400 s of idle between.
 * Idle frames: the "a few frames a minute" (keep-alives and power-save
 * null frames; not measured here: no idle-phone capture in ../shared/data),
 * one every 20 s on average, well inside a controller's 300 s idle timeout.
 * Active frames: a phone in use sends tens to hundreds of frames a second; the
 * simulator draws one a second (an AP's per-interval summary averages the
 * rest away, sim/radio/wifi-reports.ts), which bounds its cost.
 */
export const TRAFFIC_DEFAULTS: TrafficParams = { activeMeanS: 115, idleMeanS: 1400, idleFrameGapS: 20, activeFrameGapS: 1 };

const exponentialMs = (meanS: number, rng: Rng): number => -Math.log(rng.positive()) * meanS * 1000;

/** One phone's traffic state; draws only from its own stream. */
export class PhoneTraffic {
  active: boolean;
  private stateEndMs: number;

  constructor(
    private readonly p: TrafficParams,
    private readonly rng: Rng,
    startMs: number,
  ) {
    // Start in each state as often as the chain is in it.
    this.active = rng.chance(p.activeMeanS / (p.activeMeanS + p.idleMeanS));
    this.stateEndMs = startMs + exponentialMs(this.active ? p.activeMeanS : p.idleMeanS, rng);
  }

  /** Time of the frame after one sent at tMs, ms (whole). */
  nextFrameMs(tMs: number): number {
    let t = tMs;
    for (;;) {
      const next = t + exponentialMs(this.active ? this.p.activeFrameGapS : this.p.idleFrameGapS, this.rng);
      if (next < this.stateEndMs) return Math.max(tMs + 1, Math.round(next));
      t = this.stateEndMs;
      this.active = !this.active;
      this.stateEndMs = t + exponentialMs(this.active ? this.p.activeMeanS : this.p.idleMeanS, this.rng);
      if (this.active) return Math.max(tMs + 1, Math.round(t));
    }
  }
}
