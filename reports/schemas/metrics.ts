// metrics.json, the scores of one run (bench/harness writes it, reports and
// the CI gate read it). Later work adds keys; never rename these. As read
// back from the file, a NaN score is null.
import type { Tech } from '../../engine/contract/site.ts';
import type { EngineResult } from '../../engine/run.ts';

/** What a reader of a JSON file gets for T: JSON writes NaN as null. */
export type AsRead<T> = T extends number ? number | null : T extends object ? { [K in keyof T]: AsRead<T[K]> } : T;

export interface Metrics {
  scenario: string;
  seed: number;
  perTech: Partial<Record<Tech, TechScore>>;
  /** What the engine fitted from AP-to-AP beacons per band, and the ranging model it then used per technology. */
  calibration: { summary: string; sources: EngineResult['calibrationSources']; fits: EngineResult['calibration']; ranging: EngineResult['ranging']; survey: EngineResult['survey'] };
  /** Engine hot-zone alerts against the alerts true occupancy raises under the same rule. */
  hotZones: HotZoneScore;
  /** Timing fields: the only part of metrics.json that differs between identical runs. */
  throughput: {
    observations: number;
    /** Engine observations per second, end to end (ingest, localize, contacts). */
    obsPerSec: number;
    /** Engine wall time, seconds. */
    wallS: number;
    simulateWallS: number;
  };
}

export interface TechScore {
  localization: LocalizationDetail;
  contacts: ContactScore;
  journeys: JourneyScore;
  /** ble-app only: contacts from what the phones heard of each other (EN-style), scored like contacts. */
  phoneContacts?: ContactScore;
}

export interface LocalizationScore {
  medianErrorM: number;
  p90ErrorM: number;
  rmseM: number;
  /** Estimates scored. */
  n: number;
}

/** A log's fixes scored against the devices' known positions (`ctsim locate --positions`, bench/score/known-positions.ts). */
export interface FixScore {
  /** Fixes scored: their device had a known position at their time. */
  fixes: number;
  medianM: number;
  p90M: number;
  rmseM: number;
  /** Share of fixes whose errorRadiusM held the true position (68 % is honest). */
  coverage: number;
  /** Share of fixes on the true floor. */
  floorRight: number;
}

export interface LocalizationDetail extends LocalizationScore {
  /** Share of estimates whose errorRadiusM held the true position (68% is honest). */
  coverage: number;
  /** Cramér-Rao bound on RMSE at the same true positions (bench/score/crlb.ts), from the path-loss model alone (shadowing unknown). */
  crlbRmseM: number;
  /** The bound given an exactly known radio map (fading only; bench/score/crlb.ts surveyCrlb): what a perfect survey leaves. */
  crlbSurveyRmseM: number;
  /** Errors while the carrier walked (faster than bench/score/per-tech.ts MOVING_MPS), and while not. */
  movingMedianErrorM: number;
  movingN: number;
  staticMedianErrorM: number;
  staticRmseM: number;
  staticCrlbRmseM: number;
  staticCrlbSurveyRmseM: number;
}

export interface ContactScore {
  precision: number;
  recall: number;
  f1: number;
  /** True contacts among the people who carry this technology. */
  truePairs: number;
  /** Median |engine − true exposure| over correctly found pairs, seconds (NaN if none). */
  medianExposureErrorS: number;
}

export interface JourneyScore {
  precision: number;
  recall: number;
  f1: number;
  /** Median |estimated − true dwell| over matched visits, seconds. */
  medianDwellErrorS: number;
  trueVisits: number;
  estimatedVisits: number;
}

export interface HotZoneScore {
  precision: number;
  recall: number;
  /** Mean time from true occupancy crossing the threshold (true risingTMs) to the engine's alert, over matched alerts, seconds. */
  meanDetectionDelayS: number;
  /** Engine alert time outside every true alert of its zone, minutes. */
  falseAlarmMinutes: number;
  trueAlerts: number;
  engineAlerts: number;
}
