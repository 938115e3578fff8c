// The digital twin of a phone-to-phone log (engine/io/phone-log.ts rows with
// a true distance; rows without one are left out). Each stream (one scanner
// hearing one advertiser in one recording at one distance) is split in time:
// its first half calibrates, its second half is compared. Calibration fits
// the simulator's phone link (radio.ble.phoneLink) as bench/studies/radio-fit/
// phone-link-fit.ts does: a log-distance line through the streams' mean RSSI
// with each phone's carry body loss added back (the simulator takes it off
// again), the exponent kept as configured when the log has fewer than three
// distances; the readings' spread around their stream's mean split into a
// slow component (sim/radio/temporal.ts: its share and correlation time from
// the streams' autocorrelation at 1 s and 3 s, read as each stream's own mean
// hides part of it, bench/twin/slow-fit.ts) and fast fading (Rician K); the share of scans heard at the median cadence as packet loss;
// the weakest reading as sensitivity. The pair's own level is in the line, so
// per-phone offsets are off. What stays of a stream's mean off the line (its
// spot, how its phones lie, the room: the static part, as the positioned
// twins' field conditioned on their calibration walk, bench/twin/
// field-conditioning.ts), and of its spread off its distance's (a spot's
// multipath), carries over to its second half as far as it persists within
// the first (persisting: pcng keeps 0.42-0.98 of the offset, 0.10-0.82 of
// the spread, by pair); slower drift, which the slow fit at 1-3 s cannot see,
// is what that leaves out. The twin takes each stream's expected offset, not
// a draw: a draw per stream moved a pair's band mean, over its 2-17 streams,
// by up to 2 dB. The spread is the slow component's to give or take (the
// fading is the channel's, one for every stream). Then each stream's second half is simulated
// through the simulator's phone-to-phone path (sim/phone-proximity.ts): the
// two phones at the stream's distance, carried as the log says, scanning at
// the stream's median cadence. Rows (bench/twin/fidelity.ts tolerances): RSSI
// mean and spread per distance band, autocorrelation at 1 s and 10 s, and the
// shipped detector's balanced accuracy at 2 m (engine/proximity/log-windows.ts;
// in a log with no pair beyond 2 m it is the share of contacts found).
import { linearRegression, linearRegressionLine, mean, median } from 'simple-statistics';
import type { PhoneLogRow } from '../../engine/io/phone-log.ts';
import { InputError } from '../../engine/contract/input-error.ts';
import { logWindows, windowIsClose } from '../../engine/proximity/log-windows.ts';
import type { ProximitySettings } from '../../engine/proximity/exposure-notification.ts';
import type { Site } from '../../engine/contract/site.ts';
import { LIMITS, type Limit } from '../../scenarios/limits.ts';
import type { CarryPosition, DeviceSpec, Radio } from '../../scenarios/types.ts';
import type { Carrier } from '../../sim/devices.ts';
import { simulatePhoneProximity } from '../../sim/phone-proximity.ts';
import { BandChannel } from '../../sim/radio/channel.ts';
import { MIN_DISTANCE_M } from '../../sim/radio/path-loss.ts';
import { TrackBuilder } from '../../sim/track.ts';
import { confusion, rates } from '../score/proximity.ts';
import { fadingOf } from './calibrate.ts';
import { AUTOCORRELATION_LAGS_S, DISTANCE_EDGES_M, meanRow, spreadRow, streamAutocorrelation, TOLERANCES, type Row } from './fidelity.ts';
import { twinScenario } from './simulate.ts';
import { fitSlow } from './slow-fit.ts';

export interface PhoneTwinOptions {
  seed: number;
  /** The radio section the fitted phone link goes over (body loss per carry position, effects). */
  base: Radio;
  /** How each phone of the log was carried. */
  carryOf: (phone: string) => CarryPosition;
  /** The detector's windows, s, and its settings (the shipped ones). */
  windowS: number;
  proximity: ProximitySettings;
  /** Contact distance the detector is scored at, m. */
  contactM: number;
}

export interface PhoneLinkCalibration {
  refRssiDbmAt1m: number;
  pathLossExponent: number;
  /** Slow component's sd (0: none fitted) and correlation time. */
  slowSigmaDb: number;
  slowCorrelationS: number;
  fadingSigmaDb: number;
  ricianKDb: number;
  packetLoss: number;
  sensitivityDbm: number;
  intervalS: number;
  /** Sd of the part of the streams' offsets from the line that persists within their first half, dB. */
  staticSigmaDb: number;
  /** The share of a stream's offset its second half keeps (0-1). */
  staticKept: number;
  /** Per stream (Stream.key) its expected offset from the line in its second half, dB. */
  streamOffsetDb: Record<string, number>;
  /** The share of a stream's spread off the pooled one its second half keeps (0-1). */
  spreadKept: number;
  /** Per stream its expected reading variance in its second half over the pooled one. */
  streamSpreadScale: Record<string, number>;
}

export interface PhoneTwinReport {
  reports: { calibrate: number; realTest: number; simTest: number };
  calibration: PhoneLinkCalibration;
  rows: Row[];
}

interface Stream {
  key: string;
  rows: PhoneLogRow[];
}

/** Lags the slow component is fitted at, s: within a stream's span, and where pcng's fading has long decorrelated. */
const SLOW_FIT_LAGS_S = [1, 3];
/** Streams with fewer readings than this in a half are not compared (as bench/twin/fidelity.ts's groups). */
const MIN_READINGS = 20;
const clamp = (v: number, l: Limit): number => Math.min(Math.max(v, l.min), l.max);
/** log10 of a distance as the simulator's path loss reads it (sim/radio/path-loss.ts). */
const logDistance = (d: number): number => Math.log10(Math.max(d, MIN_DISTANCE_M));
const gapsOf = (rows: readonly PhoneLogRow[]): number[] => rows.slice(1).map((r, i) => r.tS - rows[i].tS).filter((g) => g > 0);

function streamsOf(rows: readonly PhoneLogRow[]): Stream[] {
  const byKey = new Map<string, PhoneLogRow[]>();
  for (const r of rows) {
    if (Number.isNaN(r.distanceM)) continue;
    const key = JSON.stringify([r.session, r.scanner, r.advertiser, r.distanceM]);
    const s = byKey.get(key);
    if (s) s.push(r);
    else byKey.set(key, [r]);
  }
  return [...byKey].map(([key, s]) => ({ key, rows: s.sort((a, b) => a.tS - b.tS) }));
}

/** Rows in time order split at the middle of their span. */
function splitInTime(rows: readonly PhoneLogRow[]): [PhoneLogRow[], PhoneLogRow[]] {
  const midS = (rows[0].tS + rows[rows.length - 1].tS) / 2;
  return [rows.filter((r) => r.tS < midS), rows.filter((r) => r.tS >= midS)];
}

/** Each stream's first half in time (calibrate) and second half (test). */
function halves(streams: Stream[]): { calibrate: Stream[]; test: Stream[] } {
  const calibrate: Stream[] = [], test: Stream[] = [];
  for (const s of streams) {
    const [first, second] = splitInTime(s.rows);
    calibrate.push({ key: s.key, rows: first });
    test.push({ key: s.key, rows: second });
  }
  return { calibrate: calibrate.filter((s) => s.rows.length > 0), test: test.filter((s) => s.rows.length > 0) };
}

export function calibratePhoneLink(streams: Stream[], opts: PhoneTwinOptions): PhoneLinkCalibration {
  const { bodyLossDb, phoneLink } = opts.base.ble;
  const body = (r: PhoneLogRow): number => (opts.base.effects.bodyLoss ? bodyLossDb[opts.carryOf(r.scanner)] + bodyLossDb[opts.carryOf(r.advertiser)] : 0);
  // Body-free stream means, every distance weighing the same.
  const byDistance = new Map<number, number[]>();
  let within = 0, n = 0, heard = 0, scans = 0;
  for (const s of streams) {
    const m = mean(s.rows.map((r) => r.rssiDbm));
    byDistance.set(s.rows[0].distanceM, [...(byDistance.get(s.rows[0].distanceM) ?? []), m + body(s.rows[0])]);
    for (const r of s.rows) within += (r.rssiDbm - m) ** 2;
    n += s.rows.length;
    const gaps = gapsOf(s.rows);
    if (gaps.length > 0) {
      heard += s.rows.length;
      scans += (s.rows[s.rows.length - 1].tS - s.rows[0].tS) / median(gaps) + 1;
    }
  }
  const points = [...byDistance].map(([d, ms]) => [logDistance(d), mean(ms)]);
  let exponent = phoneLink.pathLossExponent;
  if (points.length >= 3) {
    const mx = mean(points.map((p) => p[0])), my = mean(points.map((p) => p[1]));
    const slope = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
    exponent = clamp(-slope / 10, LIMITS.pathLossExponent);
  }
  const level = mean(points.map(([x, y]) => y + 10 * exponent * x));
  // The slow component as the streams' own means hide part of it (slow-fit.ts).
  const series = streams.map((st) => ({ tMs: st.rows.map((r) => r.tS * 1000), rssiDbm: st.rows.map((r) => r.rssiDbm) }));
  const measured = SLOW_FIT_LAGS_S.map((lag) => streamAutocorrelation(series, lag));
  const spans = streams.map((st) => ({ spanS: st.rows[st.rows.length - 1].tS - st.rows[0].tS, readings: st.rows.length }));
  const slow = fitSlow(spans, measured.map((m) => m.meanLagS), measured.map((m) => m.r), measured.map((m) => m.pairs), within / n);
  const { share, varianceDb2 } = slow;
  const correlationS = share > 0 ? clamp(slow.correlationS, LIMITS.correlationS) : opts.base.ble.slowCorrelationS;
  const slowSigmaDb = clamp(Math.sqrt(share * varianceDb2), LIMITS.sigmaDb);
  const fadingSigmaDb = Math.sqrt((1 - share) * varianceDb2);
  const fading = fadingOf(fadingSigmaDb);
  const allGaps = streams.flatMap((s) => gapsOf(s.rows));
  // Each stream's mean off the line and its spread (within variance), and its two halves'.
  const off = (rows: readonly PhoneLogRow[], st: Stream): number => mean(rows.map((r) => r.rssiDbm)) + body(st.rows[0]) - (level - 10 * exponent * logDistance(st.rows[0].distanceM));
  const spread = (rows: readonly PhoneLogRow[]): number => {
    const m = mean(rows.map((r) => r.rssiDbm));
    return mean(rows.map((r) => (r.rssiDbm - m) ** 2));
  };
  const offset = persisting(streams, off, false);
  const spreadOf = persisting(streams, spread, true);
  const pooledDb2 = within / n;
  return {
    // Measured means include the fading's (negative) mean; the channel adds it back.
    refRssiDbmAt1m: clamp(level - fading.meanDb, LIMITS.phoneRssiDbmAt1m),
    pathLossExponent: exponent,
    slowSigmaDb,
    slowCorrelationS: correlationS,
    fadingSigmaDb,
    ricianKDb: clamp(fading.ricianKDb, LIMITS.ricianKDb),
    packetLoss: scans > 0 ? Math.min(Math.max(1 - heard / scans, 0), 0.95) : 0,
    sensitivityDbm: clamp(Math.floor(Math.min(...streams.flatMap((s) => s.rows.map((r) => r.rssiDbm)))), LIMITS.sensitivityDbm),
    intervalS: clamp(allGaps.length > 0 ? median(allGaps) : 1, LIMITS.intervalS),
    staticSigmaDb: Math.sqrt(offset.persistsDb2),
    staticKept: offset.kept,
    streamOffsetDb: offset.expected,
    spreadKept: spreadOf.kept,
    // Each stream's share of the pooled spread, as far as its own persists.
    streamSpreadScale: Object.fromEntries(Object.entries(spreadOf.expected).map(([k, v]) => [k, pooledDb2 > 0 ? Math.max(v, 0) / pooledDb2 : 1])),
  };
}

/**
 * A per-stream statistic carried from its first half to its second as far as
 * it persists: `of` each stream's rows, and over the streams the covariance
 * of its value on its (first half's) two halves in time over the variance of
 * its values: the share a stream keeps of where it stands from their mean,
 * or `byDistance` from their least-squares line over log distance (what
 * distance sets, every stream at that distance shares; only the rest needs
 * to persist).
 */
function persisting(streams: readonly Stream[], of: (rows: readonly PhoneLogRow[], st: Stream) => number, byDistance: boolean): { kept: number; persistsDb2: number; expected: Record<string, number> } {
  const x = streams.map((st) => logDistance(st.rows[0].distanceM));
  const values = streams.map((st) => of(st.rows, st));
  // A log of one distance has no line: its streams' mean.
  const trend = byDistance && new Set(x).size > 1 ? linearRegressionLine(linearRegression(x.map((v, k) => [v, values[k]]))) : () => mean(values);
  const halvesOf = streams.flatMap((st, k) => {
    const [a, b] = splitInTime(st.rows);
    return a.length > 1 && b.length > 1 ? [[of(a, st) - trend(x[k]), of(b, st) - trend(x[k])]] : [];
  });
  const centred = (xs: number[]): number[] => xs.map((v) => v - mean(xs));
  const [a, b] = [0, 1].map((k) => (halvesOf.length > 1 ? centred(halvesOf.map((p) => p[k])) : []));
  const persistsDb2 = a.length > 1 ? Math.max(0, mean(a.map((v, i) => v * b[i]))) : 0;
  const residuals = values.map((v, k) => v - trend(x[k]));
  const varDb2 = mean(residuals.map((r) => r * r));
  const kept = persistsDb2 > 0 && varDb2 > 0 ? Math.min(1, persistsDb2 / varDb2) : 0;
  return { kept, persistsDb2, expected: Object.fromEntries(streams.map((st, k) => [st.key, trend(x[k]) + kept * residuals[k]])) };
}

/** A floor with room for two phones up to the log's farthest distance. */
function pairSite(maxDistanceM: number): Site {
  return { floors: [{ id: 0, name: 'pair', widthM: maxDistanceM + 2, heightM: 2, elevationM: 0 }], walls: [], zones: [], aps: [] };
}

/** One stream's compared half again: the two phones at its distance, scanning at its median cadence over its span. */
function simulateStream(s: Stream, k: number, radio: Radio, channel: BandChannel, cal: PhoneLinkCalibration, opts: PhoneTwinOptions): PhoneLogRow[] {
  const first = s.rows[0], lastS = s.rows[s.rows.length - 1].tS;
  const gaps = gapsOf(s.rows);
  const spec: DeviceSpec = {
    share: 1, intervalS: clamp(gaps.length > 0 ? median(gaps) : cal.intervalS, LIMITS.intervalS), txPowerDbm: 0,
    carry: { hand: 1, pocket: 0, lanyard: 0 }, randomizedMac: false, optInShare: 1, fiveGhzShare: 0,
  };
  const site = pairSite(first.distanceM);
  // Its static offset, as far as it persists (none for a stream whose first half held no readings).
  const offsetDb = cal.streamOffsetDb[s.key] ?? 0;
  // Its spread: the fading is the channel's, so the slow component takes what the stream's own spread adds or lacks.
  const totalDb2 = (cal.slowSigmaDb ** 2 + cal.fadingSigmaDb ** 2) * (cal.streamSpreadScale[s.key] ?? 1);
  const slowSigmaDb = Math.min(Math.sqrt(Math.max(0, totalDb2 - cal.fadingSigmaDb ** 2)), LIMITS.sigmaDb.max);
  const linked: Radio = {
    ...radio,
    ble: { ...radio.ble, slowSigmaDb, phoneLink: { ...radio.ble.phoneLink, refRssiDbmAt1m: radio.ble.phoneLink.refRssiDbmAt1m + offsetDb } },
    effects: { ...radio.effects, temporal: slowSigmaDb > 0 },
  };
  // Its own seed per stream: the same seed would give every stream the same fades.
  const scenario = { ...twinScenario(site, linked, opts.seed + k, {}), devices: { 'ble-app': spec }, durationS: lastS - first.tS + spec.intervalS };
  const carriers: Carrier[] = [first.scanner, first.advertiser].map((phone, p) => ({ tech: 'ble-app', person: p, carry: opts.carryOf(phone), deviceIdx: p, fiveGhz: false }));
  const tracks = [1, 1 + first.distanceM].map((x) => {
    const b = new TrackBuilder();
    b.add(0, x, 1, 0);
    b.add(scenario.durationS * 1000, x, 1, 0);
    return b.build();
  });
  const batch = simulatePhoneProximity(scenario, tracks, carriers, channel);
  const out: PhoneLogRow[] = [];
  for (let i = 0; i < batch.length; i++) {
    if (batch.scanner[i] !== 0) continue;
    out.push({ ...first, tS: first.tS + batch.tMs[i] / 1000, rssiDbm: batch.rssiDbm[i] });
  }
  return out;
}

const bandOf = (d: number): number => {
  let k = 0;
  while (d >= DISTANCE_EDGES_M[k + 1]) k++;
  return k;
};
const bandName = (k: number): string => (DISTANCE_EDGES_M[k + 1] === Infinity ? `≥${DISTANCE_EDGES_M[k]} m` : `${DISTANCE_EDGES_M[k]}-${DISTANCE_EDGES_M[k + 1]} m`);

/** Per distance band: mean of the streams' means and root mean within-stream variance, streams with enough readings on both sides. */
function rssiRows(real: Stream[], sim: Map<string, PhoneLogRow[]>): Row[] {
  const bands = new Map<number, { n: number; mR: number[]; mS: number[]; vR: number[]; vS: number[] }>();
  for (const s of real) {
    const t = sim.get(s.key) ?? [];
    if (s.rows.length < MIN_READINGS || t.length < MIN_READINGS) continue;
    const k = bandOf(s.rows[0].distanceM);
    const b = bands.get(k) ?? { n: 0, mR: [], mS: [], vR: [], vS: [] };
    const r = s.rows.map((x) => x.rssiDbm), q = t.map((x) => x.rssiDbm);
    const mr = mean(r), mq = mean(q);
    b.n += r.length;
    b.mR.push(mr); b.mS.push(mq);
    b.vR.push(mean(r.map((x) => (x - mr) ** 2))); b.vS.push(mean(q.map((x) => (x - mq) ** 2)));
    bands.set(k, b);
  }
  return [...bands].sort((a, b) => a[0] - b[0]).flatMap(([k, b]) => [
    meanRow(bandName(k), mean(b.mR), mean(b.mS), b.n),
    spreadRow(bandName(k), Math.sqrt(mean(b.vR)), Math.sqrt(mean(b.vS)), b.n),
  ]);
}

function balancedAccuracy(rows: PhoneLogRow[], opts: PhoneTwinOptions): { ba: number; windows: number } {
  const ws = logWindows(rows, opts.windowS).filter((w) => !Number.isNaN(w.distanceM));
  const r = rates(confusion(ws.map((w) => w.distanceM <= opts.contactM + 1e-9), ws.map((w) => windowIsClose(w, opts.proximity))));
  return { ba: r.balancedAccuracy, windows: ws.length };
}

export function runPhoneTwin(log: readonly PhoneLogRow[], opts: PhoneTwinOptions): PhoneTwinReport {
  const streams = streamsOf(log);
  if (streams.length === 0) throw new InputError('the phone log has no readings with a known distance (distanceM) to build a twin on');
  const { calibrate, test } = halves(streams);
  // A stream of one reading has no first half: its reading is the second.
  if (calibrate.length === 0) throw new InputError('the phone log has no stream (scanner, advertiser, recording, distance) of two readings or more: nothing to calibrate on');
  const cal = calibratePhoneLink(calibrate, opts);
  const radio: Radio = {
    ...opts.base,
    ble: {
      ...opts.base.ble, ricianKDb: cal.ricianKDb, packetLoss: cal.packetLoss, sensitivityDbm: cal.sensitivityDbm, slowSigmaDb: cal.slowSigmaDb, slowCorrelationS: cal.slowCorrelationS,
      phoneLink: { refRssiDbmAt1m: cal.refRssiDbmAt1m, pathLossExponent: cal.pathLossExponent, offsetSigmaDb: 0 },
    },
    effects: { ...opts.base.effects, temporal: cal.slowSigmaDb > 0 },
  };
  // One channel for every stream (its fading tables are costly to build); the streams' phones carry no walls or APs between them.
  const channel = new BandChannel(twinScenario(pairSite(1), radio, opts.seed, {}).site, 'ble', radio.ble, radio.effects, opts.seed);
  const sim = new Map(test.map((s, k) => [s.key, simulateStream(s, k, radio, channel, cal, opts)]));
  const realRows = test.flatMap((s) => s.rows), simRows = [...sim.values()].flat();
  const rows = rssiRows(test, sim);
  AUTOCORRELATION_LAGS_S.forEach((lag) => {
    const series = (rs: PhoneLogRow[]) => ({ tMs: rs.map((r) => r.tS * 1000), rssiDbm: rs.map((r) => r.rssiDbm) });
    const r = streamAutocorrelation(test.map((s) => series(s.rows)), lag), q = streamAutocorrelation([...sim.values()].map(series), lag);
    if (r.pairs === 0 || q.pairs === 0) return;
    rows.push({ metric: 'autocorrelation', of: `${lag} s`, real: r.r, sim: q.r, tolerance: `±${TOLERANCES.autocorrelation}`, pass: Math.abs(q.r - r.r) <= TOLERANCES.autocorrelation, n: r.pairs });
  });
  const real = balancedAccuracy(realRows, opts), simulated = balancedAccuracy(simRows, opts);
  if (real.windows > 0 && simulated.windows > 0) {
    rows.push({
      metric: 'balanced accuracy', of: `${opts.contactM} m`, real: real.ba, sim: simulated.ba, tolerance: `±${TOLERANCES.balancedAccuracy}`,
      pass: Math.abs(simulated.ba - real.ba) <= TOLERANCES.balancedAccuracy, n: real.windows,
    });
  }
  if (rows.length === 0) throw new InputError(`no stream of the phone log holds ${MIN_READINGS} readings in each half, nor enough for an autocorrelation or a detector window: nothing to compare`);
  return { reports: { calibrate: calibrate.reduce((a, s) => a + s.rows.length, 0), realTest: realRows.length, simTest: simRows.length }, calibration: cal, rows };
}
