// Which AP a connected phone is associated with. The client alone decides
// (802.11 leaves roaming to the station): it stays on its AP until the AP's
// signal falls below a trigger, then moves only to a candidate clearly
// stronger, so the serving AP is sticky and often not the nearest.

export interface RoamingParams {
  /** Below this RSSI of its AP the phone looks for another, dBm. */
  triggerDbm: number;
  /** A candidate must be this much stronger while the phone passes data, dB. */
  deltaActiveDb: number;
  /** ... and this much while it is idle, dB. */
  deltaIdleDb: number;
}

/**
 * Apple, "About wireless roaming for enterprise" (support.apple.com HT203068,
 * iOS 7 and later): roam trigger −70 dBm; a candidate must be 8 dB stronger
 * with data traffic, 12 dB without. Android vendors document triggers of
 * −70 to −75 dBm; iOS's are the documented ones.
 */
export const ROAMING_DEFAULTS: RoamingParams = { triggerDbm: -70, deltaActiveDb: 8, deltaIdleDb: 12 };

/**
 * The AP the phone is on after this look: `serving` (−1: none yet or out of
 * range, then it joins the strongest) or the strongest candidate `best` when
 * the serving AP's signal is below the trigger and `best` is ahead by the delta.
 * Signals are what the phone hears of each AP's beacons, dBm.
 */
export function roam(serving: number, servingDbm: number, best: number, bestDbm: number, active: boolean, p: RoamingParams): number {
  if (best < 0) return -1;
  if (serving < 0) return best;
  if (servingDbm >= p.triggerDbm) return serving;
  return bestDbm - servingDbm >= (active ? p.deltaActiveDb : p.deltaIdleDb) ? best : serving;
}
