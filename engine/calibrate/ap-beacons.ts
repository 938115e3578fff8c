// Survey-free calibration from AP-to-AP beacons: APs hear each other at
// known positions, so each heard pair is one (distance, path loss) sample of
// the site's own propagation. With subtractWalls the walls on the line
// (site map) are taken off first (the physical model, for wall-aware
// localizers such as knn); without, the fit is the effective model of a
// site whose walls the localizer ignores (WLS). Per band a robust line
//   txDbm − rssiDbm − wallsDb = lossAt1mDb + 10·n·log10(d)
// through the pairs' mean RSSI (Huber-weighted least squares, so a pair
// behind a concrete wall does not tilt the line) gives the band's exponent;
// a technology's reference RSSI is then its nominal transmit power minus the
// loss at 1 m (ble-app phones hear the APs' own beacons).
// The loss at 1 m is not fitted but free space's (the close-in reference
// model, Rappaport's log-distance with d0 = 1 m): APs stand 10-40 m apart, a
// third of a decade, where a free intercept and the exponent trade off
// almost freely and the pairs' walls and far-pair sensitivity cuts tilt the
// line; a fit there extrapolated to the few metres devices stand from an AP
// is off by tens of dB. Sun et al. 2016 (IEEE VTC-Spring, "Investigation of
// prediction accuracy, sensitivity, and parameter stability of large-scale
// propagation path loss models for 5G") found the close-in model's exponent
// stable across distance ranges where the floating intercept's was not.
// On the realistic campus (pairs 20-40 m) the floating line gave BLE
// −63.9 dBm at 1 m with exponent 1.51 (Wi-Fi 1.93): bench/results/realistic-vs-ideal.md.
//
// Input convention (engine/contract/observations.ts): a beacon "device" has id
// `ap:<apId>` (the transmitting AP) and tech 'wifi' for a Wi-Fi beacon or
// any BLE tech for a BLE beacon; the reporting AP is the row's apIdx.
import { quickselect } from 'simple-statistics';
import { AP_BEACON_PREFIX, type ObservationBatch } from '../contract/observations.ts';
import { InputError } from '../contract/input-error.ts';
import { packWalls, wallLossDb } from '../site-map/wall-loss.ts';
import { bandOf, TECHS, type Band, type Site, type Tech } from '../contract/site.ts';
import { above, between, flag, whole, type Settings } from '../settings/rules.ts';
import { INDOOR_EXPONENT_RANGE, type RangingSettings } from './ranging.ts';

export interface CalibrateSettings {
  /** Fit the ranging models from AP-to-AP beacons when the input has them. */
  fromApBeacons: boolean;
  /** A band needs at least this many heard AP pairs (survey map: (point, AP) pairs) to be fitted; otherwise its configured ranging stands. */
  minLinks: number;
  /**
   * Take the site map's wall losses off each AP pair before fitting: right
   * for a wall-aware localizer (knn); WLS ignores walls, so it ranges better
   * with the effective (walls-averaged-in) model fitted without.
   */
  subtractWalls: boolean;
  /** Huber threshold of the robust line fit, in robust sigmas (1.345: 95% efficient on Gaussian residuals). */
  huberK: number;
  /** Prior spread of the path-loss exponent around the configured one (ranging.<tech>): how far AP pairs may move it. */
  exponentPriorSd: number;
  /**
   * Per band, the AP pairs' loss at 1 m, dB: free space between isotropic
   * antennas (the site map gives no gains), 20·log10(4π·1 m/λ) (Friis):
   * 40.2 dB at 2.44 GHz (λ = 12.3 cm), for BLE and 2.4 GHz Wi-Fi; a site whose
   * APs beacon at 5 GHz takes 46.4 (5.2 GHz).
   */
  beaconLossAt1mDb: Record<Band, number>;
  /**
   * Nominal transmit power of each device class, dBm (vendor figures: the
   * engine cannot see a device's own). ble-app phones hear the APs' beacons,
   * whose power the site map gives.
   */
  deviceTxPowerDbm: Record<Exclude<Tech, 'ble-app'>, number>;
  /** Read the Wi-Fi APs whose readings are one radio's BSSIDs (engine/calibrate/same-radio.ts) as one AP, the best-heard: batch runs. */
  sameRadioFromLog: boolean;
}

const TX_POWER_DBM = between(-40, 40);

export const CALIBRATE_SETTINGS: Settings<CalibrateSettings> = {
  defaults: {
    fromApBeacons: true, minLinks: 6, subtractWalls: false, huberK: 1.345, exponentPriorSd: 0.3, beaconLossAt1mDb: { wifi: 40.2, ble: 40.2 },
    deviceTxPowerDbm: { wifi: 15, 'wifi-probe': 15, 'ble-badge': 0 },
    sameRadioFromLog: true,
  },
  rules: {
    fromApBeacons: flag, minLinks: whole(2, 1e9), subtractWalls: flag, huberK: above(0, 100), exponentPriorSd: above(0, 10),
    beaconLossAt1mDb: { wifi: between(0, 100), ble: between(0, 100) },
    deviceTxPowerDbm: { wifi: TX_POWER_DBM, 'wifi-probe': TX_POWER_DBM, 'ble-badge': TX_POWER_DBM },
    sameRadioFromLog: flag,
  },
};

export interface BandFit {
  lossAt1mDb: number;
  pathLossExponent: number;
  /** Robust spread of the pairs around the line, dB. */
  residualSigmaDb: number;
  /** AP pairs behind the fit. */
  links: number;
}

const HUBER_ITERATIONS = 12;
/** MAD of a Gaussian is 0.6745σ. */
const MAD_TO_SIGMA = 1 / 0.6745;

/** Fits each band with at least minLinks heard AP pairs; a band without enough is absent. */
export function fitApBeacons(
  site: Site, beacons: ObservationBatch, cfg: CalibrateSettings, ranging: RangingSettings,
): Partial<Record<Band, BandFit>> {
  const apOfId = new Map(site.aps.map((ap, i) => [ap.id, i]));
  const txAp = beacons.devices.map((d) => {
    if (!d.id.startsWith(AP_BEACON_PREFIX)) throw new InputError(`AP beacon device '${d.id}' does not name an AP as '${AP_BEACON_PREFIX}<apId>'`);
    const ap = apOfId.get(d.id.slice(AP_BEACON_PREFIX.length));
    if (ap === undefined) throw new InputError(`AP beacon device '${d.id}' names an AP the site does not have (site APs: ${site.aps.slice(0, 5).map((a) => a.id).join(', ')}${site.aps.length > 5 ? ', ...' : ''})`);
    return ap;
  });
  // Mean RSSI per (beacon device, receiving AP).
  const sums = new Map<number, { sum: number; n: number }>();
  for (let i = 0; i < beacons.length; i++) {
    const key = beacons.deviceIdx[i] * 65536 + beacons.apIdx[i];
    const acc = sums.get(key) ?? { sum: 0, n: 0 };
    acc.sum += beacons.rssiDbm[i];
    acc.n++;
    sums.set(key, acc);
  }
  const walls = new Map(site.floors.map((f) => [f.id, packWalls(site.walls.filter((w) => w.floor === f.id))]));
  const out: Partial<Record<Band, BandFit>> = {};
  for (const band of ['wifi', 'ble'] as const) {
    const logD: number[] = [], lossDb: number[] = [];
    for (const [key, { sum, n }] of [...sums].sort((a, b) => a[0] - b[0])) {
      const device = Math.floor(key / 65536);
      if (bandOf(beacons.devices[device].tech) !== band) continue;
      const tx = site.aps[txAp[device]], rx = site.aps[key % 65536];
      const txDbm = tx.radios[band]?.txPowerDbm;
      if (txDbm === undefined || tx.floor !== rx.floor || tx === rx) continue;
      logD.push(Math.log10(Math.max(Math.hypot(tx.x - rx.x, tx.y - rx.y), 1)));
      const wallsDb = cfg.subtractWalls ? wallLossDb(walls.get(tx.floor)!, tx.x, tx.y, rx.x, rx.y) : 0;
      lossDb.push(txDbm - sum / n - wallsDb);
    }
    const priorN = ranging[band === 'wifi' ? 'wifi' : 'ble-badge'].pathLossExponent;
    if (logD.length >= cfg.minLinks) out[band] = fitLogDistance(logD, lossDb, cfg, priorN, cfg.beaconLossAt1mDb[band]);
  }
  return out;
}

/**
 * Path loss vs log10(distance) samples (AP pairs, or a calibration walk at
 * known points) → the band's log-distance model.
 * loss = a + b·x by iteratively reweighted least squares with Huber weights
 * (k in robust sigmas), b pulled towards 10·priorN with weight (σ/σ_b)²;
 * given lossAt1mDb, a is held there and b alone fitted (the close-in model:
 * AP pairs span a narrow distance band, where a and b trade off almost
 * freely, so neither alone is well determined). A slope that
 * ends outside indoor physics (INDOOR_EXPONENT_RANGE: a survey on guessed AP
 * positions, or a few points at one distance, can even give a negative one,
 * and WLS ranges with it to 1e40 m) is held at the nearest bound and the
 * intercept refitted.
 */
/** The upper median of |y − a − b·x| (the middle one of an odd count), by selection: the survey map's wall factor refits the line some thirty times. */
function medianAbsResidual(x: number[], y: number[], a: number, b: number): number {
  const abs = x.map((xi, i) => Math.abs(y[i] - a - b * xi));
  quickselect(abs, abs.length >> 1);
  return abs[abs.length >> 1];
}

export function fitLogDistance(x: number[], y: number[], cfg: CalibrateSettings, priorN: number, lossAt1mDb?: number): BandFit {
  const w = x.map(() => 1);
  const b0 = 10 * priorN, sdB = 10 * cfg.exponentPriorSd;
  let a = 0, b = b0, sigma = 0;
  /** The residuals' robust sigma about the current a + b·x, and each sample's Huber weight at it. */
  const reweigh = (): number => {
    const s = Math.max(medianAbsResidual(x, y, a, b) * MAD_TO_SIGMA, 0.5);
    for (let i = 0; i < x.length; i++) {
      const r = Math.abs(y[i] - a - b * x[i]) / s;
      w[i] = r <= cfg.huberK ? 1 : cfg.huberK / r;
    }
    return s;
  };
  for (let it = 0; it < HUBER_ITERATIONS; it++) {
    // The prior is one pseudo-observation on the slope, in units of the current residual spread.
    const lambda = it === 0 ? 0 : (sigma / sdB) ** 2;
    let sw = 0, sx = 0, sy = 0, sxx = lambda, sxy = lambda * b0;
    for (let i = 0; i < x.length; i++) {
      sw += w[i]; sx += w[i] * x[i]; sy += w[i] * y[i]; sxx += w[i] * x[i] * x[i]; sxy += w[i] * x[i] * y[i];
    }
    if (lossAt1mDb === undefined) {
      const det = sw * sxx - sx * sx;
      b = det > 1e-12 ? (sw * sxy - sx * sy) / det : b0;
      a = (sy - b * sx) / sw;
    } else {
      a = lossAt1mDb;
      b = sxx > 1e-12 ? (sxy - a * sx) / sxx : b0;
    }
    sigma = reweigh();
  }
  const [lo, hi] = INDOOR_EXPONENT_RANGE;
  if (!(b >= 10 * lo && b <= 10 * hi)) {
    // The slope held at the bound; the intercept refitted with weights of that line's own residuals, not the unclamped one's.
    b = 10 * Math.min(Math.max(Number.isFinite(b) ? b / 10 : priorN, lo), hi);
    w.fill(1);
    for (let it = 0; it < HUBER_ITERATIONS; it++) {
      let sw = 0, sr = 0;
      for (let i = 0; i < x.length; i++) { sw += w[i]; sr += w[i] * (y[i] - b * x[i]); }
      a = lossAt1mDb ?? sr / sw;
      sigma = reweigh();
    }
  }
  return { lossAt1mDb: a, pathLossExponent: b / 10, residualSigmaDb: sigma, links: x.length };
}

/**
 * The ranging models with each fitted band applied: refRssi = nominal tx −
 * fitted loss at 1 m, exponent as fitted; sigmaDb is kept (AP pairs, far
 * apart and behind walls, spread wider than a device's ranges do).
 */
export function calibratedRanging(site: Site, fits: Partial<Record<Band, BandFit>>, configured: RangingSettings, cfg: CalibrateSettings): RangingSettings {
  const ranging = structuredClone(configured);
  for (const tech of TECHS) {
    const fit = fits[bandOf(tech)];
    if (!fit) continue;
    const txDbm = tech === 'ble-app' ? meanBleBeaconTxDbm(site) : cfg.deviceTxPowerDbm[tech];
    ranging[tech] = { ...ranging[tech], refRssiDbmAt1m: txDbm - fit.lossAt1mDb, pathLossExponent: fit.pathLossExponent };
  }
  return ranging;
}

/** The APs' mean BLE beacon transmit power, dBm (0 without BLE radios): what a ble-app phone hears them at. */
export function meanBleBeaconTxDbm(site: Site): number {
  const tx = site.aps.flatMap((ap) => (ap.radios.ble ? [ap.radios.ble.txPowerDbm] : []));
  return tx.reduce((s, t) => s + t, 0) / Math.max(tx.length, 1);
}
