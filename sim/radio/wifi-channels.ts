// Which channel each AP's Wi-Fi radio listens on, and when. Each AP serves
// on one channel per band, picked so that neighbours differ (as a
// controller's dynamic channel assignment does); it hears another BSS's frames
// only on that channel, except while it dwells off-channel scanning: every
// few seconds it leaves for one other channel of the band, in turn, for 50 ms
// (radio.effects.wifiChannels; sim/radio/wifi-client.ts).
import type { AccessPoint } from '../../engine/contract/site.ts';
import { Rng } from '../rng.ts';

export type WifiBand = '2.4' | '5';

export interface BandPlanParams {
  /** Channels the plan assigns (non-overlapping, 20 MHz). */
  serving: readonly number[];
  /** Channels an AP's off-channel scan visits in turn. */
  scanned: readonly number[];
  /** Channels a phone's probe burst sweeps, in order (no probes on DFS channels). */
  probed: readonly number[];
  /** Time a probing phone spends on each channel, ms. */
  probeDwellMs: number;
  /** Time an AP dwells on each off-channel, ms. */
  dwellMs: number;
  /** Time to visit every scanned channel once, ms: one dwell every cycleMs / scanned.length. */
  cycleMs: number;
}

const range = (from: number, to: number, step: number): number[] => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

/**
 * Sources: 2.4 GHz, 1/6/11 are the only non-overlapping 20 MHz channels in
 * the US domain, the DCA set of Cisco's RRM (Cisco RRM White Paper, WLC 8.3,
 * "RRM Data Collection Activities"); 5 GHz, the 9 channels outside DFS
 * (UNII-1 36-48, UNII-3 149-165, FCC 47 CFR 15.407) that enterprise plans use
 * first. Off-channel scanning, Cisco RRM defaults (Cisco WLC Configuration
 * Guide, "Configuring RRM": 50 ms per channel, every country channel once per
 * 180 s Channel Scan Duration, "so every 16 seconds, 50 ms is spent listening
 * on each scanned channel" for the 11 US 2.4 GHz channels); the same white
 * paper gives 180 s for 5 GHz too, over the 25 US 5 GHz channels. Aruba ARM's
 * default (110 ms every 10 s) and Cisco TAC's "80 ms every 3 to 20 seconds"
 * are of the same order: 0.3-1.5 % of the time off-channel. Probe sweeps:
 * active scans only where transmitting is allowed without first hearing a
 * beacon, so not on DFS channels (HP MSM7xx Configuration Guide v6.4:
 * "Transmission of probes is not allowed on DFS channels"); 30 ms a channel,
 * Linux mac80211's IEEE80211_CHANNEL_TIME (HZ/33), between Qualcomm's Android
 * defaults gActiveMinChannelTime=20 and gActiveMaxChannelTime=40 ms.
 */
export const PLAN_DEFAULTS: Record<WifiBand, BandPlanParams> = {
  '2.4': { serving: [1, 6, 11], scanned: range(1, 11, 1), probed: range(1, 11, 1), probeDwellMs: 30, dwellMs: 50, cycleMs: 180_000 },
  '5': {
    serving: [36, 40, 44, 48, 149, 153, 157, 161, 165],
    scanned: [...range(36, 64, 4), ...range(100, 144, 4), ...range(149, 165, 4)],
    probed: [...range(36, 48, 4), ...range(149, 165, 4)],
    probeDwellMs: 30,
    dwellMs: 50,
    cycleMs: 180_000,
  },
};

/**
 * A channel per AP (−1 for APs without a Wi-Fi radio): APs in site order each
 * take the channel whose earlier holders interfere least (sum of 1/d² over
 * them, d the 3-D distance; the first channel on ties), so neighbours differ
 * and the same channel comes back only far away. Deterministic, no draw.
 */
export function planChannels(aps: readonly AccessPoint[], elevationM: (floor: number) => number, serving: readonly number[]): Int16Array {
  const plan = new Int16Array(aps.length).fill(-1);
  aps.forEach((ap, a) => {
    if (!ap.radios.wifi) return;
    const load = serving.map((ch) => aps.reduce((sum, other, b) => {
      if (b >= a || plan[b] !== ch) return sum;
      const d2 = (ap.x - other.x) ** 2 + (ap.y - other.y) ** 2 + (elevationM(ap.floor) - elevationM(other.floor)) ** 2;
      return sum + 1 / Math.max(d2, 1e-6);
    }, 0));
    plan[a] = serving[load.indexOf(Math.min(...load))];
  });
  return plan;
}

/** One band's APs: their channels and off-channel scan schedules. */
export class BandListening {
  readonly channelOf: Int16Array;
  /** When each AP's scan schedule starts, ms (APs are not synchronized). */
  private readonly phaseMs: Float64Array;
  private readonly slotMs: number;

  constructor(aps: readonly AccessPoint[], elevationM: (floor: number) => number, readonly params: BandPlanParams, seed: number, band: WifiBand) {
    this.channelOf = planChannels(aps, elevationM, params.serving);
    this.slotMs = params.cycleMs / params.scanned.length;
    this.phaseMs = Float64Array.from(aps, (ap) => new Rng(seed, `wifi-scan-phase:${ap.id}:${band}`).uniform(0, params.cycleMs));
  }

  /** The channel AP `ap`'s radio listens on at tMs: its own, or the one it is scanning. */
  listeningAt(ap: number, tMs: number): number {
    const sinceMs = tMs - this.phaseMs[ap];
    const slot = Math.floor(sinceMs / this.slotMs);
    if (sinceMs - slot * this.slotMs >= this.params.dwellMs) return this.channelOf[ap];
    const n = this.params.scanned.length;
    return this.params.scanned[((slot % n) + n) % n];
  }
}
