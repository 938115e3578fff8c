// Does a standing carrier's body show in its scans? At each point of the UJI
// BLE fingerprints (Mendoza-Silva et al., Zenodo 10.5281/zenodo.1618692,
// CC BY 4.0) a phone scanned for 10-20 s. Each scan's readings, less the
// visit's mean per AP, are fitted with c + a·cos(bearing to the AP) +
// s·sin(bearing): a body facing one way lowers the APs behind it, a pattern
// in the APs' bearings (sim/radio/body-orientation.ts). The same fit with the
// bearings shuffled among the scan's APs is what noise alone explains. The
// fitted facing, scan by scan, shows how the carrier turned during a visit.
import seedrandom from 'seedrandom';
import { mean, median } from 'simple-statistics';
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

/** Two visits of one phone to one position, and where the first walked in from. */
export interface RevisitPair {
  first: readonly UjiRow[];
  second: readonly UjiRow[];
  cameFrom: { x: number; y: number };
}

export interface RevisitFacings {
  /** Positions visited twice with enough APs heard on both visits. */
  positions: number;
  /** Mean R² of the fits of the visits' difference, with the bearings as they are and shuffled. */
  r2: number;
  r2Shuffled: number;
  /** Median amplitude of the difference's cosine, dB (twice one facing's when the second visit faces the other way), as they are and shuffled. */
  amplitudeDb: number;
  amplitudeShuffledDb: number;
  /** Share of positions whose fitted facing lies within 90° of the way the first visit walked in. */
  alongWalk: number;
}

/**
 * Positions a phone visited twice (`pairs`: the two visits' rows, the first
 * visit's in time order after the row it walked in from): the first visit's
 * per-AP means less the second's, fitted with the APs' bearings (as
 * scanFacing). A body that faced the walking direction both times, walking
 * back the second time, leaves a cosine of twice its amplitude peaking the
 * way the first visit walked in.
 */
export function revisitFacings(site: RealSite, pairs: readonly RevisitPair[]): RevisitFacings {
  const shuffle = seedrandom.alea('revisit-facing');
  const r2: number[] = [], r2s: number[] = [], amp: number[] = [], amps: number[] = [];
  let along = 0;
  const meansOf = (rows: readonly UjiRow[]): (number | null)[] => site.aps.map((_, b) => {
    const heard = rows.flatMap((r) => (r.rssi[b] === null ? [] : [r.rssi[b]!]));
    return heard.length >= MIN_AP_SCANS ? heard.reduce((s, v) => s + v, 0) / heard.length : null;
  });
  for (const { first, second, cameFrom } of pairs) {
    const a = meansOf(first), b = meansOf(second), { x, y } = first[0];
    const diff: number[] = [], bearing: number[] = [];
    site.aps.forEach((ap, k) => {
      if (a[k] === null || b[k] === null) return;
      diff.push(a[k]! - b[k]!);
      bearing.push(Math.atan2(ap.y - y, ap.x - x));
    });
    const fit = scanFacing(diff, bearing);
    const shuffled = fit && scanFacing(diff, fisherYates(bearing, shuffle));
    if (!fit || !shuffled) continue;
    r2.push(fit.r2);
    r2s.push(shuffled.r2);
    amp.push(fit.amplitudeDb);
    amps.push(shuffled.amplitudeDb);
    if (Math.cos(fit.facingRad - Math.atan2(y - cameFrom.y, x - cameFrom.x)) > 0) along++;
  }
  return { positions: r2.length, r2: mean(r2), r2Shuffled: mean(r2s), amplitudeDb: median(amp), amplitudeShuffledDb: median(amps), alongWalk: along / r2.length };
}

/** Positions one phone (at one power) visited twice (visits by `visitOf`), in time order, each with where its first visit walked in from. */
export function revisitPairs(rows: readonly UjiRow[], visitOf: (r: UjiRow) => string): RevisitPair[] {
  const visits = new Map<string, UjiRow[]>();
  for (const r of rows) {
    if (!Number.isFinite(r.t)) continue;
    const v = visits.get(visitOf(r));
    if (v) v.push(r);
    else visits.set(visitOf(r), [r]);
  }
  const byPhone = new Map<string, UjiRow[][]>();
  for (const v of visits.values()) {
    const phone = `${v[0].phone}|${v[0].txCode}`;
    byPhone.set(phone, [...(byPhone.get(phone) ?? []), v]);
  }
  const pairs: RevisitPair[] = [];
  const start = (v: readonly UjiRow[]): number => Math.min(...v.map((r) => r.t));
  const samePlace = (a: UjiRow, b: UjiRow): boolean => a.x === b.x && a.y === b.y;
  for (const vs of byPhone.values()) {
    vs.sort((a, b) => start(a) - start(b));
    vs.forEach((v, i) => {
      const again = vs.findIndex((w, j) => j > i && samePlace(w[0], v[0]));
      if (i > 0 && again > 0 && !samePlace(vs[i - 1][0], v[0])) pairs.push({ first: v, second: vs[again], cameFrom: vs[i - 1][0] });
    });
  }
  return pairs;
}

function fisherYates(xs: readonly number[], draw: () => number): number[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(draw() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
