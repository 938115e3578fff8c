// Per-device-model RSSI correction, as Exposure Notification does it: each
// model's RSSI correction (what its radio under- or over-reads) and calibrated
// TX power, from Google's GAEN calibration table where the model is listed;
// otherwise a per-receiver offset estimated from the log itself (no labels):
// a receiver whose median RSSI over everything it heard is below
// `receiverLevelDbm` is lifted to it (a deaf model, a phone in a backpack).

/**
 * Rows of Google's en-calibration-2020-12-14.csv (published with
 * developers.google.com/android/exposure-notifications/ble-attenuation-computation,
 * CC BY 4.0), as reproduced in microG's DeviceInfo.kt: Build.MODEL →
 * rssi_correction (dB) and tx (calibrated TX power, dBm). A small selection of
 * common models; a model not listed gets no table correction.
 */
const GAEN_CALIBRATION: Readonly<Record<string, { rssiCorrectionDb: number; txPowerDbm: number }>> = {
  'Pixel': { rssiCorrectionDb: -3, txPowerDbm: -26 },
  'Pixel 3': { rssiCorrectionDb: 5, txPowerDbm: -33 },
  'Pixel 3a': { rssiCorrectionDb: 2, txPowerDbm: -29 },
  'Pixel 4': { rssiCorrectionDb: 8, txPowerDbm: -30 },
  'Pixel 4a': { rssiCorrectionDb: 1, txPowerDbm: -30 },
  'Pixel 5': { rssiCorrectionDb: 5, txPowerDbm: -25 },
  'Nexus 5X': { rssiCorrectionDb: -6, txPowerDbm: -25 },
  'HTC 10': { rssiCorrectionDb: 1, txPowerDbm: -31 }, // htc_pmewl; the table's htc_pmeuhl row reads 2, -33
  'SM-G930F': { rssiCorrectionDb: 9, txPowerDbm: -33 },
  'SM-G950F': { rssiCorrectionDb: 12, txPowerDbm: -29 },
  'SM-G960F': { rssiCorrectionDb: 8, txPowerDbm: -28 },
  'SM-G973F': { rssiCorrectionDb: 2, txPowerDbm: -29 },
  'SM-A505F': { rssiCorrectionDb: 0, txPowerDbm: -20 },
  'SM-A515F': { rssiCorrectionDb: 2, txPowerDbm: -28 },
  'GM1900': { rssiCorrectionDb: 3, txPowerDbm: -17 },
  'Moto G (5)': { rssiCorrectionDb: 3, txPowerDbm: -19 },
  'Mi A2': { rssiCorrectionDb: 2, txPowerDbm: -23 },
  'Redmi Note 8': { rssiCorrectionDb: 4, txPowerDbm: -19 },
};

/** The selection's median correction and TX power: table values count relative to them, so a model not in the table (correction 0) stays on the same scale. */
const MEDIAN_RSSI_CORRECTION_DB = 2.5;
const MEDIAN_TX_POWER_DBM = -28;

/**
 * dB to add to a reading of `scannerModel` hearing `advertiserModel` (either
 * unknown → its part is 0): the receiver's RSSI correction, and the
 * advertiser's calibrated TX power below the median (a weaker transmitter read
 * as if it sent at the median power).
 */
export function modelCorrectionDb(scannerModel: string | undefined, advertiserModel: string | undefined): number {
  const rx = scannerModel === undefined ? undefined : GAEN_CALIBRATION[scannerModel];
  const tx = advertiserModel === undefined ? undefined : GAEN_CALIBRATION[advertiserModel];
  return (rx ? rx.rssiCorrectionDb - MEDIAN_RSSI_CORRECTION_DB : 0) + (tx ? MEDIAN_TX_POWER_DBM - tx.txPowerDbm : 0);
}

/** Whether the GAEN table lists this model. */
export function isCalibratedModel(model: string): boolean {
  return Object.hasOwn(GAEN_CALIBRATION, model);
}

/** RSSI is whole dBm on every phone stack; readings are binned by the dB from here ... */
const HIST_MIN_DBM = -140;
/** ... to here (anything outside falls in the end bins). */
const HIST_MAX_DBM = 20;

/**
 * Per receiver (`receiverOf[i]` in [0, receivers)), the median of its
 * readings (the lower median, whole dBm) through a 1 dB histogram: a campus
 * day has tens of millions of readings. NaN for a receiver with none.
 */
export function receiverMediansDbm(receiverOf: ArrayLike<number>, rssiDbm: ArrayLike<number>, receivers: number): Float64Array {
  const bins = HIST_MAX_DBM - HIST_MIN_DBM + 1;
  const hist = new Uint32Array(receivers * bins);
  const count = new Uint32Array(receivers);
  for (let i = 0; i < rssiDbm.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.round(rssiDbm[i]) - HIST_MIN_DBM));
    hist[receiverOf[i] * bins + b]++;
    count[receiverOf[i]]++;
  }
  const medians = new Float64Array(receivers).fill(NaN);
  for (let r = 0; r < receivers; r++) {
    if (count[r] === 0) continue;
    let seen = 0, b = 0;
    for (; b < bins; b++) {
      seen += hist[r * bins + b];
      if (seen * 2 >= count[r]) break;
    }
    medians[r] = b + HIST_MIN_DBM;
  }
  return medians;
}

/** dB to add to the readings of a receiver whose median reading is medianDbm: up to levelDbm, never down (NaN median → 0). */
/**
 * A lift beyond this, dB, is more than a deaf model in a pocket: GAEN's
 * table corrects models by −6..+12 dB (up to 9.5 above its median), a
 * carrier's body costs about 8 (ble-6ft-mitll's pocket depth,
 * bench/results/world-effects.md PER_BODY_LOSS_DB); 17.5, rounded up. Such a
 * receiver likely heard far phones only, which the lift takes for a quiet
 * radio (ctsim proximity says so).
 */
export const SUSPECT_LIFT_DB = 20;

export function receiverLiftDb(medianDbm: number, levelDbm: number): number {
  return medianDbm < levelDbm ? levelDbm - medianDbm : 0;
}
