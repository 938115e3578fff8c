// Wi-Fi as APs really hear it: the models of sim/radio/wifi-*.ts chained in
// one place for one phone. Three switches (radio.effects):
//   wifiChannels: each AP serves on a planned channel (wifi-channels.ts); a
//     connected phone associates and roams (wifi-roaming.ts), transmits on its
//     AP's channel at the power its AP allows, and is heard by its AP, by
//     co-channel APs, and by others only while they dwell on that channel
//     scanning; a probing phone sweeps the band's channels one after another;
//   wifiTraffic: a connected phone's frames follow its use (wifi-traffic.ts);
//   wifiReports: APs deliver per-interval summaries, not frames (wifi-reports.ts).
// Receptions pass through the client, which hands them on in time order.
import type { AccessPoint } from '../../engine/contract/site.ts';
import type { ObservationColumns } from '../../engine/contract/observation-columns.ts';
import type { RadioEffects, ScenarioSite } from '../../scenarios/types.ts';
import { Rng } from '../rng.ts';
import { FloorStack } from './floors.ts';
import { BandListening, PLAN_DEFAULTS, type WifiBand } from './wifi-channels.ts';
import { REPORT_DEFAULTS, ReportSummaries, reportPhasesMs, type ReportParams } from './wifi-reports.ts';
import { roam, ROAMING_DEFAULTS, type RoamingParams } from './wifi-roaming.ts';
import { PhoneTraffic, TRAFFIC_DEFAULTS, type TrafficParams } from './wifi-traffic.ts';

/** What every phone of one band shares: the APs' channels and schedules. */
export interface WifiNetwork {
  aps: readonly AccessPoint[];
  listening: BandListening | null;
  reportPhaseMs: Float64Array | null;
  roaming: RoamingParams;
  traffic: TrafficParams | null;
  reports: ReportParams;
}

/** The two bands' networks, or null with every Wi-Fi effect off. */
export function wifiNetworks(site: ScenarioSite, effects: RadioEffects, seed: number): Record<WifiBand, WifiNetwork> | null {
  if (!effects.wifiChannels && !effects.wifiTraffic && !effects.wifiReports) return null;
  const floors = new FloorStack(site.floors);
  const elevation = (floor: number) => floors.elevationOf(floor);
  const network = (band: WifiBand): WifiNetwork => ({
    aps: site.aps,
    listening: effects.wifiChannels ? new BandListening(site.aps, elevation, PLAN_DEFAULTS[band], seed, band) : null,
    reportPhaseMs: effects.wifiReports ? reportPhasesMs(site.aps, REPORT_DEFAULTS, seed) : null,
    roaming: ROAMING_DEFAULTS,
    traffic: effects.wifiTraffic ? TRAFFIC_DEFAULTS : null,
    reports: REPORT_DEFAULTS,
  });
  return { '2.4': network('2.4'), '5': network('5') };
}

type Emit = (tMs: number, deviceIdx: number, ap: number, rssiDbm: number) => void;

/** One Wi-Fi phone (connected or probing) under the Wi-Fi effects. */
export class WifiClient {
  /** The AP it is associated with (−1: none); connected phones with channels only. */
  serving = -1;
  /**
   * Its transmit power below its maximum under power control, dB (≤ 0): an AP
   * limits its clients to its own power (Cisco DTPC: "setting the power level
   * to local sets the client power level to that of the access point", Cisco
   * Aironet IOS Configuration Guide, "Limiting the Power Level for Associated
   * Client Devices"; the 802.11h Power Constraint element does the same, and
   * Linux mac80211 honours both). Its maximum is the device spec's txPowerDbm.
   */
  txOffsetDb = 0;
  private readonly traffic: PhoneTraffic | null;
  private readonly summaries: ReportSummaries | null;
  /** Receptions and summaries not yet handed on: [tMs, deviceIdx, ap, rssiDbm] each. */
  private pending: number[][] = [];
  private readonly collect: Emit = (tMs, deviceIdx, ap, rssiDbm) => {
    this.pending.push([tMs, deviceIdx, ap, rssiDbm]);
  };

  constructor(
    private readonly net: WifiNetwork,
    private readonly probing: boolean,
    private readonly maxTxDbm: number,
    seed: number,
    person: number,
  ) {
    this.traffic = net.traffic && !probing ? new PhoneTraffic(net.traffic, new Rng(seed, `wifi-traffic:${person}`), 0) : null;
    this.summaries = net.reportPhaseMs ? new ReportSummaries(net.reports, net.reportPhaseMs) : null;
  }

  /** The frame after one at tMs under the traffic model, ms; NaN when the phone keeps its spec's cadence. */
  nextFrameMs(tMs: number): number {
    return this.traffic ? this.traffic.nextFrameMs(tMs) : NaN;
  }

  /**
   * Before a connected phone's frame: (re)associates from what it hears of the
   * audible APs' beacons (its uplink means, at maxTxDbm, turned round with each
   * AP's power: links are reciprocal). False when it has no AP to send to.
   */
  associate(audible: Uint16Array, count: number, meanDbm: Float64Array): boolean {
    if (!this.net.listening || this.probing) return true;
    let best = -1, bestDbm = -Infinity, servingDbm = -Infinity;
    for (let k = 0; k < count; k++) {
      const ap = audible[k];
      const beaconDbm = meanDbm[ap] - this.maxTxDbm + this.net.aps[ap].radios.wifi!.txPowerDbm;
      if (beaconDbm > bestDbm) [best, bestDbm] = [ap, beaconDbm];
      if (ap === this.serving) servingDbm = beaconDbm;
    }
    // Out of its AP's range (or never associated): it joins the strongest.
    const current = servingDbm === -Infinity ? -1 : this.serving;
    this.serving = roam(current, servingDbm, best, bestDbm, this.traffic?.active ?? true, this.net.roaming);
    if (this.serving < 0) return false;
    this.txOffsetDb = Math.min(0, this.net.aps[this.serving].radios.wifi!.txPowerDbm - this.maxTxDbm);
    return true;
  }

  /**
   * When AP `ap` hears the frame (or probe burst) sent at tMs, ms; NaN when it
   * is listening elsewhere all along. The serving AP hears every frame: the
   * phone retries an unacknowledged frame until its AP is back on channel.
   */
  heardAtMs(ap: number, tMs: number): number {
    const l = this.net.listening;
    if (!l) return tMs;
    if (!this.probing) return ap === this.serving || l.listeningAt(ap, tMs) === l.channelOf[this.serving] ? tMs : NaN;
    const { probed, probeDwellMs } = l.params;
    for (let k = 0; k < probed.length; k++) {
      const atMs = tMs + k * probeDwellMs;
      if (l.listeningAt(ap, atMs) === probed[k]) return atMs;
    }
    return NaN;
  }

  receive(tMs: number, deviceIdx: number, ap: number, rssiDbm: number): void {
    if (this.summaries) this.summaries.add(tMs, deviceIdx, ap, rssiDbm, this.collect);
    else this.collect(tMs, deviceIdx, ap, rssiDbm);
  }

  /** Appends, ordered by (time, id, AP), every row due before `beforeMs`; later ones wait. */
  drain(beforeMs: number, out: ObservationColumns): void {
    this.summaries?.due(beforeMs, this.collect);
    if (this.pending.length === 0) return;
    const ready = this.pending.filter((r) => r[0] < beforeMs);
    if (ready.length === 0) return;
    this.pending = this.pending.filter((r) => r[0] >= beforeMs);
    ready.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    for (const [tMs, deviceIdx, ap, rssiDbm] of ready) out.push(tMs, deviceIdx, ap, rssiDbm);
  }
}
