// The physical limit: Cramér-Rao lower bound on 2-D position error for RSS
// ranging under the scenario's own log-distance model.
//
// RSSI_i ~ N(P0 − 10·n·log10 d_i, σ²), d_i the 3-D distance to AP i (AP and
// device heights as in the simulator). The Fisher information of the
// horizontal position p is
//   J = (10·n / (σ·ln10))² · Σ_i h_i h_iᵀ / d_i⁴,  h_i = (p − a_i) horizontally,
// and no unbiased estimator does better than RMSE = sqrt(trace J⁻¹).
// σ is the shadowing sigma: the part of the error that does not average out
// over an epoch (fading does). APs count when their mean RSSI clears the
// receiver sensitivity, walls ignored (more APs only lower the bound).
import { BandChannel } from '../../sim/radio/channel.ts';
import { apHeightM, deviceHeightM } from '../../sim/radio/heights.ts';
import { logDistanceLossDb } from '../../sim/radio/path-loss.ts';
import { bandOf, type Band, type Tech } from '../../engine/contract/site.ts';
import type { Scenario } from '../../scenarios/types.ts';

export interface CrlbModel {
  apX: Float64Array;
  apY: Float64Array;
  apFloor: Int16Array;
  /** Each AP's height above the devices, squared, m². */
  apDh2: Float64Array;
  /** Transmit power of each link, dBm: the device's, or for ble-app the AP beacon's. */
  txDbm: Float64Array;
  refLossDbAt1m: number;
  pathLossExponent: number;
  sigmaDb: number;
  sensitivityDbm: number;
}

export function crlbModel(scenario: Scenario, tech: Tech): CrlbModel {
  const band = bandOf(tech);
  const aps = scenario.site.aps.filter((ap) => ap.radios[band]);
  const radio = scenario.radio[band];
  const deviceTx = scenario.devices[tech]?.txPowerDbm ?? 0;
  return {
    apX: Float64Array.from(aps, (a) => a.x),
    apY: Float64Array.from(aps, (a) => a.y),
    apFloor: Int16Array.from(aps, (a) => a.floor),
    apDh2: Float64Array.from(aps, (a) => (apHeightM(a) - deviceHeightM(scenario.site)) ** 2),
    txDbm: Float64Array.from(aps, (a) => (tech === 'ble-app' ? a.radios.ble!.txPowerDbm : deviceTx)),
    refLossDbAt1m: radio.refLossDbAt1m,
    pathLossExponent: radio.pathLossExponent,
    sigmaDb: radio.shadowingSigmaDb,
    sensitivityDbm: radio.sensitivityDbm,
  };
}

/** trace(J⁻¹) at (x, y) on `floor`, m²; Infinity when fewer than 3 APs are heard or they are collinear. */
export function crlbVarianceM2(m: CrlbModel, x: number, y: number, floor: number): number {
  const b = (10 * m.pathLossExponent) / (m.sigmaDb * Math.LN10);
  let jxx = 0, jxy = 0, jyy = 0, heard = 0;
  for (let i = 0; i < m.apX.length; i++) {
    if (m.apFloor[i] !== floor) continue;
    const hx = x - m.apX[i], hy = y - m.apY[i];
    const d2 = hx * hx + hy * hy + m.apDh2[i];
    if (m.txDbm[i] - logDistanceLossDb(Math.sqrt(d2), m.refLossDbAt1m, m.pathLossExponent) < m.sensitivityDbm) continue;
    heard++;
    const w = (b * b) / (d2 * d2);
    jxx += w * hx * hx;
    jxy += w * hx * hy;
    jyy += w * hy * hy;
  }
  const det = jxx * jyy - jxy * jxy;
  if (heard < 3 || det <= 0) return Infinity;
  return (jxx + jyy) / det;
}

/**
 * The simulator's radio chain for one band (same seed, so the same shadowing).
 * Its shadowing fields are the costly part of surveyCrlb: build it once per
 * band and pass it to every technology on that band.
 */
export function surveyChannel(scenario: Scenario, band: Band): BandChannel {
  return new BandChannel(scenario.site, band, scenario.radio[band], scenario.radio.effects, scenario.seed);
}

/** Central differences this far apart, metres: well inside the shadowing's correlation distance. */
const GRADIENT_STEP_M = 0.25;

/**
 * The bound when the radio map is known exactly (what a perfect site survey
 * gives a fingerprinting localizer): only the fading of each epoch's
 * receptions is left, σ² = (fading σ of the link, LOS or not)² / receptions
 * per AP per epoch, and the information is the gradient of the simulator's
 * own mean RSSI (path loss, walls, shadowing) at the position:
 *   J = Σ g_i g_iᵀ/v_i − (Σ g_i/v_i)(Σ g_i/v_i)ᵀ / Σ 1/v_i,
 * the second term for the device's unknown gain (a nuisance common to every
 * AP). Receptions per epoch ignore idle gaps and BLE channel offsets, which
 * only lowers the bound. Returns trace(J⁻¹) at (x, y), m², cached per position.
 */
export function surveyCrlb(
  scenario: Scenario, tech: Tech, epochMs: number, channel = surveyChannel(scenario, bandOf(tech)),
): (x: number, y: number, floor: number) => number {
  const radio = scenario.radio[bandOf(tech)];
  const intervalS = scenario.devices[tech]?.intervalS ?? 1;
  const receptions = Math.max(1, epochMs / 1000 / intervalS) * (1 - (scenario.radio.effects.packetLoss ? radio.packetLoss : 0));
  const minDbm = radio.sensitivityDbm - (scenario.devices[tech]?.txPowerDbm ?? 0);
  const cache = new Map<string, number>();
  return (x, y, floor) => {
    const key = `${floor}:${x.toFixed(2)}:${y.toFixed(2)}`;
    let v = cache.get(key);
    if (v !== undefined) return v;
    let jxx = 0, jxy = 0, jyy = 0, sx = 0, sy = 0, sw = 0, heard = 0;
    const h = GRADIENT_STEP_M;
    for (const ap of channel.apsHearing(floor)) {
      // minDbm lets the channel skip tracing walls for an AP too far away to be heard.
      if (channel.meanRxDbm(ap, 0, x, y, floor, minDbm) < minDbm) continue;
      const w = receptions / channel.fadingSigmaDb(channel.lineOfSight) ** 2;
      const gx = (channel.meanRxDbm(ap, 0, x + h, y, floor) - channel.meanRxDbm(ap, 0, x - h, y, floor)) / (2 * h);
      const gy = (channel.meanRxDbm(ap, 0, x, y + h, floor) - channel.meanRxDbm(ap, 0, x, y - h, floor)) / (2 * h);
      heard++;
      jxx += w * gx * gx;
      jxy += w * gx * gy;
      jyy += w * gy * gy;
      sx += w * gx;
      sy += w * gy;
      sw += w;
    }
    if (heard >= 3) {
      jxx -= (sx * sx) / sw;
      jxy -= (sx * sy) / sw;
      jyy -= (sy * sy) / sw;
    }
    const det = jxx * jyy - jxy * jxy;
    v = heard < 3 || !(det > 0) ? Infinity : (jxx + jyy) / det;
    cache.set(key, v);
    return v;
  };
}
