// What an AP location feed delivers: not every frame, but per reporting
// interval one summary per client the AP heard in it, stamped at the
// interval's end. Each AP runs its own timer (they boot at different times and
// nothing aligns them), so one phone's reports from different APs come at
// different moments (radio.effects.wifiReports).
import { Rng } from '../rng.ts';
import type { AccessPoint } from '../../engine/contract/site.ts';

export interface ReportParams {
  /** Reporting interval, ms. */
  intervalMs: number;
  /** What one report carries: the mean of the interval's RSSI (whole dBm) or its maximum. */
  statistic: 'mean' | 'max';
}

/**
 * Interval: Aruba's RTLS feed sends a station report every
 * station-message-frequency seconds (AOS-W 6.5.3 User Guide: 1-3600 s; 5 s
 * at the least before 6.4.2); location feeds are run at 5-30 s (Cisco
 * CMX/Aruba RTLS deployments); 10 s is a choice inside that range, not a
 * vendor default. Statistic: the issue names mean or max over the interval;
 * which one a vendor's feed carries is not in the documents read here, so
 * both are modelled and the mean is the default.
 */
export const REPORT_DEFAULTS: ReportParams = { intervalMs: 10_000, statistic: 'mean' };

/** Each AP's report timer offset, ms in [0, intervalMs): shared by every device. */
export function reportPhasesMs(aps: readonly AccessPoint[], p: ReportParams, seed: number): Float64Array {
  return Float64Array.from(aps, (ap) => Math.floor(new Rng(seed, `wifi-report-phase:${ap.id}`).uniform(0, p.intervalMs)));
}

/** When AP-side phase `phaseMs`'s report covering a frame at tMs goes out: the end of the interval holding tMs, ms. */
export function reportTimeMs(tMs: number, phaseMs: number, intervalMs: number): number {
  return phaseMs + (Math.floor((tMs - phaseMs) / intervalMs) + 1) * intervalMs;
}

interface Summary {
  deviceIdx: number;
  ap: number;
  reportMs: number;
  sumDbm: number;
  count: number;
  maxDbm: number;
}

/** One device's open summaries, per (id, AP). */
export class ReportSummaries {
  private readonly open = new Map<number, Summary>();

  constructor(
    private readonly p: ReportParams,
    private readonly phaseMs: Float64Array,
  ) {}

  /** Adds a reception; a summary whose interval is over is handed to `emit` first. */
  add(tMs: number, deviceIdx: number, ap: number, rssiDbm: number, emit: (tMs: number, deviceIdx: number, ap: number, rssiDbm: number) => void): void {
    const key = deviceIdx * 65536 + ap;
    let s = this.open.get(key);
    if (s && s.reportMs <= tMs) {
      emit(s.reportMs, s.deviceIdx, s.ap, this.value(s));
      s = undefined;
    }
    if (!s) {
      this.open.set(key, { deviceIdx, ap, reportMs: reportTimeMs(tMs, this.phaseMs[ap], this.p.intervalMs), sumDbm: rssiDbm, count: 1, maxDbm: rssiDbm });
      return;
    }
    s.sumDbm += rssiDbm;
    s.count++;
    s.maxDbm = Math.max(s.maxDbm, rssiDbm);
  }

  /** Hands every summary due before `beforeMs` to `emit` (in no particular order) and forgets it. */
  due(beforeMs: number, emit: (tMs: number, deviceIdx: number, ap: number, rssiDbm: number) => void): void {
    for (const [key, s] of this.open) {
      if (s.reportMs >= beforeMs) continue;
      emit(s.reportMs, s.deviceIdx, s.ap, this.value(s));
      this.open.delete(key);
    }
  }

  private value(s: Summary): number {
    return this.p.statistic === 'max' ? s.maxDbm : Math.round(s.sumDbm / s.count);
  }
}
