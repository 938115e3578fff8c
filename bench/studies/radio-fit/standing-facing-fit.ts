// Does a standing carrier's body show in its scans? At each point of the UJI
// BLE fingerprints (Mendoza-Silva et al., Zenodo 10.5281/zenodo.1618692,
// CC BY 4.0) a phone scanned for 10-20 s. Each scan's readings, less the
// visit's mean per AP, are fitted with c + a·cos(bearing to the AP) +
// s·sin(bearing): a body facing one way lowers the APs behind it, a pattern
// in the APs' bearings (sim/radio/body-orientation.ts). The same fit with the
// bearings shuffled among the scan's APs is what noise alone explains. The
// fitted facing, scan by scan, shows how the carrier turned during a visit.
import seedrandom from 'seedrandom';
import type { RealSite } from '../real-data/locate-path.ts';
import type { UjiRow } from '../real-data/uji.ts';
import { cosineFit } from './body-orientation-fit.ts';

/** A scan needs this many APs heard (with a visit mean) for its facing: three unknowns and a few to spare. */
export const MIN_SCAN_APS = 8;
/** An AP's visit mean needs this many of the visit's scans. */
const MIN_AP_SCANS = 3;
/** A visit needs this many scans. */
const MIN_VISIT_SCANS = 6;

export interface ScanFacing {
  /** Where the readings peak: the way the device's open side faces, radians. */
  facingRad: number;
  /** Half the peak-to-trough of the fitted cosine, dB. */
  amplitudeDb: number;
  /** Share of the scan's deviations (about their mean) the cosine explains. */
  r2: number;
}

/** The cosine of the APs' bearings (cosineFit) that fits one scan's deviations; null when too few APs or degenerate. */
export function scanFacing(deviationDb: readonly number[], bearingRad: readonly number[]): ScanFacing | null {
  const fit = deviationDb.length < MIN_SCAN_APS ? null : cosineFit(bearingRad, deviationDb);
  if (fit === null) return null;
  return { facingRad: Math.atan2(fit.s, fit.c), amplitudeDb: Math.hypot(fit.c, fit.s), r2: fit.tss > 0 ? 1 - fit.rss / fit.tss : 0 };
}

export interface StandingFacings {
  visits: number;
  scans: number;
  /** Mean R² of the scans' fits, with the bearings as they are and shuffled. */
  r2: number;
  r2Shuffled: number;
  /** Mean amplitude, dB, as they are and shuffled. */
  amplitudeDb: number;
  amplitudeShuffledDb: number;
  /** The first few visits' facings, scan by scan in time order, degrees. */
  examples: number[][];
}

/** The facing fits of every visit (rows of one phone at one point in one campaign, by `visitOf`), seeded shuffles for the null. */
export function standingFacings(site: RealSite, rows: readonly UjiRow[], visitOf: (r: UjiRow) => string, examples = 4): StandingFacings {
  const visits = new Map<string, UjiRow[]>();
  for (const r of rows) {
    if (!Number.isFinite(r.t)) continue;
    const k = visitOf(r);
    const v = visits.get(k);
    if (v) v.push(r);
    else visits.set(k, [r]);
  }
  const shuffle = seedrandom.alea('standing-facing');
  const out: StandingFacings = { visits: 0, scans: 0, r2: 0, r2Shuffled: 0, amplitudeDb: 0, amplitudeShuffledDb: 0, examples: [] };
  for (const key of [...visits.keys()].sort()) {
    const scans = visits.get(key)!.sort((a, b) => a.t - b.t);
    if (scans.length < MIN_VISIT_SCANS) continue;
    const means = site.aps.map((_, b) => {
      const heard = scans.flatMap((r) => (r.rssi[b] === null ? [] : [r.rssi[b]!]));
      return heard.length >= MIN_AP_SCANS ? heard.reduce((s, v) => s + v, 0) / heard.length : null;
    });
    const facings: number[] = [];
    for (const r of scans) {
      const dev: number[] = [], bearing: number[] = [];
      r.rssi.forEach((v, b) => {
        if (v === null || means[b] === null) return;
        dev.push(v - means[b]!);
        bearing.push(Math.atan2(site.aps[b].y - r.y, site.aps[b].x - r.x));
      });
      const fit = scanFacing(dev, bearing);
      const shuffled = fit && scanFacing(dev, fisherYates(bearing, shuffle));
      if (!fit || !shuffled) continue;
      out.scans++;
      out.r2 += fit.r2;
      out.r2Shuffled += shuffled.r2;
      out.amplitudeDb += fit.amplitudeDb;
      out.amplitudeShuffledDb += shuffled.amplitudeDb;
      facings.push(Math.round((fit.facingRad * 180) / Math.PI));
    }
    if (facings.length === 0) continue;
    out.visits++;
    if (out.examples.length < examples && facings.length >= MIN_VISIT_SCANS) out.examples.push(facings);
  }
  if (out.scans > 0) for (const k of ['r2', 'r2Shuffled', 'amplitudeDb', 'amplitudeShuffledDb'] as const) out[k] /= out.scans;
  return out;
}

function fisherYates(xs: readonly number[], draw: () => number): number[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(draw() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
