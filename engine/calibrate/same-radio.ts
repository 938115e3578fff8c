// BSSIDs of one radio, read as one AP. A Wi-Fi radio sends a beacon per
// network it serves, each under its own BSSID, and a phone's scan or an AP
// feed lists each as an AP; the site map may hold them all. Their readings
// move together (one antenna, one path), so a fix that counts both counts one
// radio twice, with twice its weight and a misfit the noise model does not
// expect. On wifi-longterm-uji 31 pairs of its 128 APs read alike in month
// 1's scans; read once each, the weighted centroid's 68 % radius held the
// truth in 0.75 of month 1's fixes against 0.59, wls's 0.58 against 0.47,
// and the survey map's p90 error fell from 5.10 to 4.42 m.
// A pair is one radio when, over the emissions (device, time) that heard
// both, their readings:
//   - move together: the difference varies less than half as much as the
//     readings do (a correlation of 0.75 or more; a static device's two
//     links differ by their fading alone, and so do not pass);
//   - differ no more than one link's readings a moment apart do (the sd of
//     the difference of a device's consecutive readings of one AP at the
//     shortest lag the log has, within LINK_LAGS_S);
//   - agree on average within a dB (a radio sends all its networks at one
//     power; a dB is the readings' whole-dB rounding),
// over MIN_CO_HEARD emissions. Wi-Fi only (a BLE advertiser is one
// identity). Pairs chain into groups; each group keeps its best-heard AP's
// reports and the others' are left out, in the log and the survey alike
// (calibrate.sameRadioFromLog). Reading them as more reports of that AP
// instead (as an epoch's reports average their fading) did worse: month 1
// with all its survey, fused 1.70 m against 1.57; with a survey of one set,
// wls 3.73 m against 3.21 (each AP's evidence level doubled as if the
// BSSIDs were looks of their own). The site map may name them (aps[].radioId,
// as AP feeds give each BSSID's radio): those the batch and the live engine
// both read as the first listed. Found in the log: batch runs only, the live
// engine having no log up front.
import type { ObservationBatch } from '../contract/observations.ts';
import type { SurveyBatch } from '../contract/survey.ts';
import type { Site } from '../contract/site.ts';
import { surveyRows } from './map-radius.ts';

/** Emissions both APs of a pair must have been heard in before their readings say anything. */
export const MIN_CO_HEARD = 100;
/** Largest mean difference of one radio's BSSIDs, dB: the readings' whole-dB rounding. */
export const MAX_MEAN_DIFF_DB = 1;
/** Least correlation of their readings: the difference's variance at most half the readings'. */
export const MIN_CORRELATION = 0.75;
/** Lag bins (edges, s) of a link's consecutive readings, the shortest with MIN_LINK_PAIRS setting its spread; beyond the last a device may have walked. */
const LINK_LAGS_S = [0, 0.35, 0.7, 1.5, 3, 6];
const MIN_LINK_PAIRS = 100;
/** At most about this many Wi-Fi reports are read (a longer log's devices sampled): pairs co-heard MIN_CO_HEARD times settle well before. */
const MAX_ROWS = 500_000;
/** apIdx is a Uint16: a (device, AP) or (AP, AP) key below 2⁵³. */
const AP_KEYS = 65_536;

interface PairSums {
  n: number;
  sumD: number;
  sumD2: number;
  sumA: number;
  sumA2: number;
  sumB: number;
  sumB2: number;
}

/** Groups (AP indices, ascending) of the log's Wi-Fi APs that read as one radio's BSSIDs. */
export function sameRadioGroups(log: ObservationBatch): number[][] {
  const rows = sampledWifiRows(log);
  const spread = linkSpreadDb(log, rows);
  if (spread === null) return [];
  const byEmission = new Map<string, number[]>();
  for (const i of rows) {
    const key = `${log.deviceIdx[i]}|${log.tMs[i]}`;
    const list = byEmission.get(key);
    if (list) list.push(i);
    else byEmission.set(key, [i]);
  }
  const sums = new Map<number, PairSums>();
  for (const list of byEmission.values()) {
    for (let p = 0; p < list.length; p++) {
      for (let q = p + 1; q < list.length; q++) {
        let i = list[p], j = list[q];
        if (log.apIdx[i] === log.apIdx[j]) continue;
        if (log.apIdx[i] > log.apIdx[j]) [i, j] = [j, i];
        const key = log.apIdx[i] * AP_KEYS + log.apIdx[j], a = log.rssiDbm[i], b = log.rssiDbm[j];
        const s = sums.get(key) ?? sums.set(key, { n: 0, sumD: 0, sumD2: 0, sumA: 0, sumA2: 0, sumB: 0, sumB2: 0 }).get(key)!;
        s.n++;
        s.sumD += a - b;
        s.sumD2 += (a - b) ** 2;
        s.sumA += a;
        s.sumA2 += a * a;
        s.sumB += b;
        s.sumB2 += b * b;
      }
    }
  }
  const pairs: number[][] = [];
  for (const [key, s] of sums) {
    if (s.n < MIN_CO_HEARD) continue;
    const variance = (sum: number, sum2: number): number => Math.max(0, sum2 / s.n - (sum / s.n) ** 2);
    const meanD = s.sumD / s.n, varD = variance(s.sumD, s.sumD2);
    const readings = (variance(s.sumA, s.sumA2) + variance(s.sumB, s.sumB2)) / 2;
    if (Math.abs(meanD) > MAX_MEAN_DIFF_DB || Math.sqrt(varD) > spread || varD > 2 * (1 - MIN_CORRELATION) * readings) continue;
    pairs.push([Math.floor(key / AP_KEYS), key % AP_KEYS]);
  }
  return joinGroups(pairs);
}

/** The site map's radios of more than one BSSID (APs sharing a radioId), AP indices in site order. */
export function declaredRadios(site: Site): number[][] {
  const byRadio = new Map<string, number[]>();
  site.aps.forEach((ap, a) => {
    if (ap.radioId !== undefined) (byRadio.get(ap.radioId) ?? byRadio.set(ap.radioId, []).get(ap.radioId)!).push(a);
  });
  return [...byRadio.values()].filter((g) => g.length > 1);
}

/** Groups of APs that share a member joined into one (each ascending, ordered by their first). */
export function joinGroups(lists: readonly (readonly number[])[]): number[][] {
  const parent = new Map<number, number>();
  const root = (a: number): number => {
    const p = parent.get(a) ?? a;
    if (p === a) return a;
    const r = root(p);
    parent.set(a, r);
    return r;
  };
  for (const list of lists) {
    for (const ap of list.slice(1)) {
      const ra = root(list[0]), rb = root(ap);
      if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
    }
  }
  const groups = new Map<number, number[]>();
  for (const ap of [...parent.keys()].concat([...parent.values()])) {
    const g = groups.get(root(ap)) ?? groups.set(root(ap), []).get(root(ap))!;
    if (!g.includes(ap)) g.push(ap);
  }
  return [...groups.values()].map((g) => g.sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);
}

/**
 * One link's reading-to-reading spread, dB: the sd of the difference of a
 * device's consecutive readings of one AP in the shortest LINK_LAGS_S bin
 * with MIN_LINK_PAIRS pairs, over the log's `rows`; null when none has (reports too sparse to tell).
 */
export function linkSpreadDb(log: ObservationBatch, rows: Iterable<number>): number | null {
  const bins = LINK_LAGS_S.length - 1;
  const n = new Float64Array(bins), sq = new Float64Array(bins);
  const last = new Map<number, number>();
  for (const i of rows) {
    const link = log.deviceIdx[i] * AP_KEYS + log.apIdx[i];
    const prev = last.get(link);
    last.set(link, i);
    if (prev === undefined) continue;
    const lagS = (log.tMs[i] - log.tMs[prev]) / 1000;
    const bin = LINK_LAGS_S.findIndex((e, k) => k < bins && lagS > e && lagS <= LINK_LAGS_S[k + 1]);
    if (bin < 0) continue;
    n[bin]++;
    sq[bin] += (log.rssiDbm[i] - log.rssiDbm[prev]) ** 2;
  }
  const bin = [...n].findIndex((c) => c >= MIN_LINK_PAIRS);
  return bin < 0 ? null : Math.sqrt(sq[bin] / n[bin]);
}

/** The rows of the log's Wi-Fi devices, all of them or, past MAX_ROWS, those of an even hash-spread sample of its devices. */
function sampledWifiRows(log: ObservationBatch): number[] {
  const wifi = Uint8Array.from(log.devices, (d) => (d.tech === 'wifi' || d.tech === 'wifi-probe' ? 1 : 0));
  let total = 0;
  for (let i = 0; i < log.length; i++) total += wifi[log.deviceIdx[i]];
  const stride = Math.max(1, Math.ceil(total / MAX_ROWS));
  const rows: number[] = [];
  for (let i = 0; i < log.length; i++) if (wifi[log.deviceIdx[i]] && (stride === 1 || hash(log.deviceIdx[i]) % stride === 0)) rows.push(i);
  return rows;
}

/** Of each group, every AP but its first (the live engine's choice: it has no log to tell the best-heard by). */
export function allButFirst(groups: readonly (readonly number[])[]): Set<number> {
  return new Set(groups.flatMap((g) => g.slice(1)));
}

/** The survey without the rows of the APs `left`. */
export function surveyWithout(survey: SurveyBatch, left: ReadonlySet<number>): SurveyBatch {
  return surveyRows(survey, Uint8Array.from(survey.apIdx, (a) => (left.has(a) ? 0 : 1)), 1);
}

/**
 * The log and survey with each group read as one AP (the others' reports left
 * out): the one in `first` (a radio the site map names: its first listed, as
 * the live engine reads it), else the best-heard; how many APs went, and
 * each group with the AP read first.
 */
export function oneApPerRadio(log: ObservationBatch, survey: SurveyBatch | undefined, groups: readonly number[][], first: readonly (readonly number[])[] = []): { log: ObservationBatch; survey: SurveyBatch | undefined; left: number; groups: number; radios: number[][] } {
  if (groups.length === 0) return { log, survey, left: 0, groups: 0, radios: [] };
  const heard = new Map<number, number>();
  for (let i = 0; i < log.length; i++) heard.set(log.apIdx[i], (heard.get(log.apIdx[i]) ?? 0) + 1);
  const named = new Set(first.map((g) => g[0]));
  const left = new Set<number>();
  const radios = groups.map((g) => {
    const best = g.find((a) => named.has(a)) ?? g.reduce((a, b) => ((heard.get(b) ?? 0) > (heard.get(a) ?? 0) ? b : a));
    for (const ap of g) if (ap !== best) left.add(ap);
    return [best, ...g.filter((ap) => ap !== best)];
  });
  const rows: number[] = [];
  for (let i = 0; i < log.length; i++) if (!left.has(log.apIdx[i])) rows.push(i);
  const pick = <T extends Float64Array | Uint32Array | Uint16Array | Float32Array>(a: T): T => {
    const o = new (a.constructor as new (n: number) => T)(rows.length);
    rows.forEach((i, k) => (o[k] = a[i]));
    return o;
  };
  const kept = { length: rows.length, tMs: pick(log.tMs), deviceIdx: pick(log.deviceIdx), apIdx: pick(log.apIdx), rssiDbm: pick(log.rssiDbm), devices: log.devices };
  const surveyKept = survey && surveyWithout(survey, left);
  return { log: kept, survey: surveyKept, left: left.size, groups: groups.length, radios };
}

/** An even spread of device indices over 2³² (Knuth's multiplicative hash), to sample devices. */
function hash(device: number): number {
  return Math.imul(device + 1, 2654435761) >>> 0;
}
