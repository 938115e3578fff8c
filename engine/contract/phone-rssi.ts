// Phone-to-phone RSSI: what BLE app phones hear of each other's adverts, as a
// deployment's app backend would receive it. Separate from the AP observations.

export interface PhoneRssiBatch {
  length: number;
  /** Scan time, ms since start; non-decreasing. */
  tMs: Float64Array;
  /** Device indices (into the observation batch's devices) of the phone that heard ... */
  scanner: Uint32Array;
  /** ... and of the phone it heard. */
  advertiser: Uint32Array;
  rssiDbm: Float32Array;
}
