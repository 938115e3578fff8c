// Fitting the radio model to real RSSI-vs-distance measurements: the
// log-distance line by least squares over distance bands, then the scatter around it split into
// a part that stays with a link (shadowing: where the receiver stands) and a
// part that changes from sample to sample (fast fading), and the Rician K
// whose fading spread matches the latter.
import { fadingTable, FadingTable } from './fading-table.ts';

export interface RssiSample {
  distanceM: number;
  rssiDbm: number;
  /** Samples of one link (same transmitter, same receiver spot) share an id. */
  link: number;
}

export interface LogDistanceFit {
  /** Mean RSSI at 1 m, dBm (transmit power minus reference loss). */
  rssiDbmAt1m: number;
  pathLossExponent: number;
  /** Standard deviation of the residuals, all causes together, dB. */
  residualSigmaDb: number;
}

export interface SpreadFit {
  /** Spread of the fitted fading, close to the pooled within-link standard deviation, dB. */
  fadingSigmaDb: number;
  /**
   * Mean of the fitted fading in dB. Measured means (in dB) already include
   * it, so a model's reference loss is the fitted one plus this (negative) value.
   */
  fadingMeanDb: number;
  /** Rician K (dB) whose fading spread is closest to that. */
  ricianKDb: number;
  /** The rest of the residual spread, which stays with a link (where the receiver stands), dB. */
  shadowingSigmaDb: number;
}

/**
 * Least squares on the mean RSSI of each half-octave distance band, each band
 * counting once: otherwise the many far links (there are more spots far from
 * a beacon than near it) pull the line away from the few near ones.
 */
export function fitLogDistance(samples: readonly RssiSample[]): LogDistanceFit {
  const bands = new Map<number, { x: number; y: number; n: number }>();
  for (const s of samples) {
    const band = Math.floor(2 * Math.log2(s.distanceM));
    const b = bands.get(band) ?? { x: 0, y: 0, n: 0 };
    b.x += 10 * Math.log10(s.distanceM);
    b.y += s.rssiDbm;
    b.n++;
    bands.set(band, b);
  }
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const b of bands.values()) {
    const x = b.x / b.n;
    const y = b.y / b.n;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const k = bands.size;
  const slope = (k * sxy - sx * sy) / (k * sxx - sx * sx);
  const fit = { rssiDbmAt1m: (sy - slope * sx) / k, pathLossExponent: -slope, residualSigmaDb: 0 };
  fit.residualSigmaDb = Math.sqrt(samples.reduce((sum, s) => sum + residual(fit, s) ** 2, 0) / (samples.length - 2));
  return fit;
}

export function residual(fit: LogDistanceFit, s: RssiSample): number {
  return s.rssiDbm - (fit.rssiDbmAt1m - 10 * fit.pathLossExponent * Math.log10(s.distanceM));
}

/** Links with fewer samples than this say too little about their own spread. */
const MIN_LINK_SAMPLES = 3;
/** K from -20 to 20 dB in 0.5 dB steps. */
const K_GRID_DB = Array.from({ length: 81 }, (_, i) => -20 + i / 2);

/** Splits the residual spread so that shadowing² + fading² = residual²: the simulator then reproduces the total. */
export function fitSpread(samples: readonly RssiSample[], fit: LogDistanceFit): SpreadFit {
  const links = new Map<number, number[]>();
  for (const s of samples) {
    const r = residual(fit, s);
    const list = links.get(s.link);
    if (list) list.push(r);
    else links.set(s.link, [r]);
  }
  let within = 0;
  let dof = 0;
  for (const rs of links.values()) {
    if (rs.length < MIN_LINK_SAMPLES) continue;
    const m = rs.reduce((a, b) => a + b, 0) / rs.length;
    within += rs.reduce((a, r) => a + (r - m) ** 2, 0);
    dof += rs.length - 1;
  }
  const ricianKDb = ricianKFor(Math.sqrt(within / dof));
  // Shadowing takes what the fitted fading does not explain.
  const { sigmaDb: fadingSigmaDb, meanDb: fadingMeanDb } = new FadingTable(10 ** (ricianKDb / 10));
  return { fadingSigmaDb, fadingMeanDb, ricianKDb, shadowingSigmaDb: Math.sqrt(Math.max(fit.residualSigmaDb ** 2 - fadingSigmaDb ** 2, 0)) };
}

/** The K whose fading spread (dB) is closest to `sigmaDb`. */
export function ricianKFor(sigmaDb: number): number {
  let best = -Infinity;
  let bestErr = Infinity;
  for (const kDb of K_GRID_DB) {
    // The thread's cached tables: the same as building each anew, and a second fit costs nothing.
    const err = Math.abs(fadingTable(10 ** (kDb / 10)).sigmaDb - sigmaDb);
    if (err < bestErr) {
      bestErr = err;
      best = kDb;
    }
  }
  return best;
}
