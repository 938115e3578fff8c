// ctsim calibrate's fit: the simulator's radio model (sim/radio/channel.ts,
// sim/radio/temporal.ts) fitted per band from reports whose true positions
// are known (bench/twin/samples.ts):
//   1. the log-distance line with wall (per material) and floor-slab losses
//      and the carrier's body by heading (the AP's bearing from the way the
//      device last moved, sim/radio/body-orientation.ts),
//      by Huber regression, alternating with per-AP gains (Huber locations of
//      each AP's residuals, centred so they average 0);
//   2. per-device offsets (Huber locations of each device's residuals) when
//      the log has 3 devices or more; their sd is deviceOffsetSigmaDb;
//   3. time: the semivariogram of residual differences of one link at one spot
//      (≤ 0.5 m apart: a device staying, or coming back) against
//      lag, fitted as fast² + slow² · (1 − e^(−lag/τ)) (fast fading, slow
//      component and its correlation time, τ no longer than the longest lag seen);
//      then, on consecutive readings of one link whose device moved between
//      them, how far a device moves to leave that slow component behind
//      (sim/radio/temporal.ts decorrelationM; none when it follows time alone);
//   4. space: the semivariogram of 0.5 m cell means of the residuals per AP,
//      fitted with the shadowing field's shape 1 − e^(−h²/d²) for the
//      decorrelation distance d; the shadowing sd is what the residual
//      variance leaves after fast and slow (so the simulator reproduces the total);
//   5. hearing (bench/twin/hearing-fit.ts): sensitivity, the receiver's
//      floor, is the 0.1 % quantile of the reports (each device's own, by the
//      same quantile of its reports, when offsets are fitted: a receiver's
//      reporting offset moves its floor with its readings), and above it a detection
//      ramp whose width makes the heard readings' shape most likely; on links
//      whose fitted mean is 2.5 residual sd above floor and ramp (so weak links
//      lost below it do not count as packet loss), each emission's heard count
//      as a zero-truncated beta-binomial: the hearing rate and how much one
//      emission's links share their losses; then each AP's own hearing rate
//      (what it heard against what detection predicts for its links), and
//      with two devices or more each device's own (what it heard against what
//      its links' APs' rates predict: phones scan unlike one another); an AP
//      the log never hears is off the air: none of its links count, its rate is 0.
//      Steps 3 and 4 also use only clear links: weaker ones lose their deep fades.
// 95 % confidence intervals by a cluster bootstrap: (AP, 5 m square) clusters
// resampled with replacement, every step refitted on the resampled weights.
import type { Band, Site } from '../../engine/contract/site.ts';
import { FadingTable } from '../../sim/radio/fading-table.ts';
import { ricianKFor } from '../../sim/radio/calibrate.ts';
import { orientationGainDb } from '../../sim/radio/body-orientation.ts';
import { Rng } from '../../sim/rng.ts';
import { LIMITS } from '../../scenarios/limits.ts';
import { declaredRadios, joinGroups, sameRadioGroups } from '../../engine/calibrate/same-radio.ts';
import { fitApHearing, fitHearing, fitRamp, type HearingLinks } from './hearing-fit.ts';
import { fitVariogram, huberLocation, huberRegression, weightedMoments, type VariogramFit } from './robust.ts';
import { BANDS, bandAps, LinkGeometry, txDbmOf, type JoinedLog } from './samples.ts';
import { staysOf, stayFacingDepthDb } from './stay-facing.ts';
import type { ObservationBatch } from '../../engine/contract/observations.ts';
import { InputError } from '../../engine/contract/input-error.ts';

/**
 * Most bootstrap replicates a calibration takes: percentile intervals have
 * settled by 1,000 (Efron & Tibshirani, An Introduction to the Bootstrap,
 * 1993, ch. 13), and each replicate is a whole refit.
 */
export const BOOTSTRAP_MAX = 1000;

/** A fitted value with its 95 % bootstrap interval. */
export interface Estimate {
  value: number;
  lo: number;
  hi: number;
}

export interface BandCalibration {
  band: Band;
  samples: number;
  devices: number;
  /** Mean RSSI at 1 m relative to the transmit power (TWIN_TX_DBM, or the AP's beacon for ble-app), dB. */
  rssiDbAt1m: Estimate;
  pathLossExponent: Estimate;
  /** Loss of one wall crossing per material (only materials the links cross), dB. */
  wallLossDb: Record<string, Estimate>;
  /** Loss per floor slab, when some links cross one, dB. */
  floorLossDb: Estimate | null;
  /** The carrier's body: peak-to-trough gain by the AP's bearing from the device's heading, dB (null when too few readings have a heading). */
  orientationDepthDb: Estimate | null;
  /** The carrier's body at stays, facing a way the log does not record: peak-to-trough depth of the pattern over the APs' bearings (bench/twin/stay-facing.ts; null with too few stays). */
  stayFacingDepthDb: Estimate | null;
  /** Each AP's own gain, dB (empty with one AP). */
  apGainDb: Record<string, Estimate>;
  /** Spread of the per-device offsets, dB (null with fewer than 3 devices: one device's offset is part of the line). */
  deviceOffsetSigmaDb: Estimate | null;
  /** Each device's own offset by device id, dB (empty with fewer than 3 devices): a twin gives a device seen here its own. */
  deviceOffsetDb: Record<string, Estimate>;
  /**
   * Each device's floor above the band's (sensitivityDbm), by device id, dB: the
   * same quantile of its own reports, where it has DEVICE_FLOOR_MIN_REPORTS
   * (empty when offsets are not fitted). A receiver that reports its readings
   * offset reports its floor offset with them; a transmitter's power moves its
   * readings but not the floor of the APs hearing it.
   */
  deviceFloorDb: Record<string, Estimate>;
  /** Each device's hearing over what the APs' rates predict for its links, by device id (empty with one device; bench/twin/hearing-fit.ts): a twin's device hears with its own. */
  deviceHearing: Record<string, Estimate>;
  /** Sd of the residuals after the line, AP gains and device offsets, dB. */
  residualSigmaDb: Estimate;
  shadowingSigmaDb: Estimate;
  /** Null when too few cells pair up to fit it. */
  shadowingDecorrelationM: Estimate | null;
  /** Null when the log has no time series within links (then fast fading takes all the within-link spread). */
  slowSigmaDb: Estimate | null;
  slowCorrelationS: Estimate | null;
  /** Distance a moving device leaves the slow component behind over, m (null: it follows time alone, or the log's devices do not move). */
  slowDecorrelationM: Estimate | null;
  fadingSigmaDb: Estimate;
  /** The receiver's floor: the weakest readings (their 0.1 % quantile), dBm. */
  sensitivityDbm: Estimate;
  /** Width above the floor over which detection rises from 0 to 1 (bench/twin/hearing-fit.ts), dB. */
  sensitivityRampDb: Estimate;
  /** Mean share of an emission's clear links heard (zero-truncated beta-binomial, bench/twin/hearing-fit.ts). */
  hearingRate: Estimate | null;
  /** Correlation of hearing between the links of one emission. */
  hearingCorrelation: Estimate | null;
  /** Each AP's own hearing rate, where its links on its floor say enough (bench/twin/hearing-fit.ts fitApHearing). */
  apHearingRate: Record<string, Estimate>;
  /** Of floorLossDb, what the links between floors that were missed add to the heard readings' line (bench/twin/hearing-fit.ts fitApHearing; null when no link crosses a slab). */
  floorLossFromHearingDb: Estimate | null;
  /** Of wallLossDb per material, what the links through such walls that were missed add to the heard readings' line (bench/twin/hearing-fit.ts fitApHearing). */
  wallLossFromHearingDb: Record<string, Estimate>;
  /** Groups of AP ids that are one radio's BSSIDs: the site map's radioId and those whose readings show it (engine/calibrate/same-radio.ts: Wi-Fi only); empty when none. */
  sameRadio: string[][];
}

export interface Calibration {
  bands: BandCalibration[];
  bootstrap: number;
}

export interface CalibrateOptions {
  /** Bootstrap replicates (0: no intervals). */
  bootstrap: number;
  seed: number;
}

/**
 * Reports of one AP from one 5 m square are resampled together: they share
 * that AP's shadowing there (decorrelated over 2-5 m), which is what makes a
 * fit vary from one site's field to another's, more than the readings' own noise.
 */
const BLOCK_M = 5;
const blockKey = (ap: number, floor: number, x: number, y: number): string => `${ap}|${floor}|${Math.floor(x / BLOCK_M)}|${Math.floor(y / BLOCK_M)}`;
/** Pairs of readings within a link farther apart than this in space measure the field, not time, m. */
const TEMPORAL_MAX_MOVE_M = 0.5;
/** Lag bin edges of the temporal semivariogram, s; the last bin holds every longer lag (a spot revisited). */
const LAG_EDGES_S = [0.15, 0.35, 0.7, 1.5, 3, 6, 12, 25, 50, 100, 200, 400, 800, Infinity];
/** Distance bin edges of the spatial semivariogram, m. */
const DIST_EDGES_M = [0.25, 0.75, 1.25, 2, 3, 4, 5.5, 7.5, 10, 14, 20, 28, 40];
/** Cells well below the field's usual 2-5 m decorrelation, so averaging within a cell does not smooth it. */
const CELL_M = 0.5;
/** At most this many cell pairs (a stride through them beyond). */
const MAX_CELL_PAIRS = 400_000;
const MIN_GROUP_SAMPLES = 20;
/** Readings with a known heading needed to fit the body's orientation depth. */
const MIN_HEADED_SAMPLES = 200;
const SENSITIVITY_QUANTILE = 0.001;
/** Reports a device needs before its own floor is read (its SENSITIVITY_QUANTILE is then at least its first reading). */
const DEVICE_FLOOR_MIN_REPORTS = 1000;
/** Links whose fitted mean is this many residual sd above sensitivity are clear of it (2.5: under 1 % of readings lost below). */
const CENSOR_MARGIN_SD = 2.5;

interface PointFit {
  beta: Float64Array;
  apGain: Float64Array;
  deviceSigma: number | null;
  /** Per device (deviceIds order); NaN for one with no weight. */
  deviceOffset: Float64Array;
  /** Per device (deviceIds order), its floor above the band's, dB; NaN where its own is not read (then 0 applies). */
  deviceFloor: Float64Array;
  residualSigma: number;
  shadowSigma: number;
  decorrelationM: number | null;
  slowSigma: number | null;
  slowCorrelationS: number | null;
  slowDecorrelationM: number | null;
  stayFacing: number | null;
  fastSigma: number;
  sensitivity: number;
  rampDb: number;
  hearing: number | null;
  /** Per AP (site order); NaN where the band's rate applies. */
  apHearing: Float64Array;
  slabExtra: number;
  /** Per material (materials order), what the missed links through its walls add to a crossing's loss. */
  wallExtra: number[];
  /** Per device (deviceIds order), its hearing over the APs' rates'; NaN where not fitted. */
  deviceHearing: Float64Array;
  hearingCorrelation: number | null;
}

/** Bad input when no band held MIN_GROUP_SAMPLES reports with known positions (`what`: the reports it was fitted on). */
export function checkFitted(cal: Calibration, log: JoinedLog, what: string): void {
  if (cal.bands.length === 0) throw new InputError(`${what}: too few reports with known positions to fit (need ${MIN_GROUP_SAMPLES} on a band, have ${log.samples.length})`);
}

export function calibrate(site: Site, obs: ObservationBatch, log: JoinedLog, opts: CalibrateOptions): Calibration {
  const bands: BandCalibration[] = [];
  const geometry = new LinkGeometry(site);
  for (let b = 0; b < BANDS.length; b++) {
    const idx: number[] = [];
    for (let i = 0; i < log.samples.length; i++) if (log.samples.band[i] === b) idx.push(i);
    if (idx.length < MIN_GROUP_SAMPLES) continue;
    bands.push(calibrateBand(site, obs, log, geometry, b, idx, opts));
  }
  return { bands, bootstrap: opts.bootstrap };
}

function calibrateBand(site: Site, obs: ObservationBatch, log: JoinedLog, geometry: LinkGeometry, b: number, idx: number[], opts: CalibrateOptions): BandCalibration {
  const s = log.samples, n = idx.length;
  // Readings that never vary tell no path loss, spread or hearing: the log is at fault (a stuck receiver, a filled-in column).
  if (idx.every((i) => s.rssiDbm[i] === s.rssiDbm[idx[0]])) throw new InputError(`every ${BANDS[b]} report with a known position reads ${s.rssiDbm[idx[0]]} dBm: nothing to fit a radio model on`);
  const y = Float64Array.from(idx, (i) => s.rssiDbm[i] - s.txDbm[i]);
  // Regressors: 1, −10 log10 d, −walls per crossed material, −slabs if any.
  const X: Float64Array[] = [new Float64Array(n).fill(1), Float64Array.from(idx, (i) => -10 * Math.log10(Math.max(s.distanceM[i], 0.1)))];
  const materials = geometry.materials.filter((_, m) => idx.some((i) => s.walls[m][i] > 0));
  for (const m of materials) {
    const col = s.walls[geometry.materials.indexOf(m)];
    X.push(Float64Array.from(idx, (i) => -col[i]));
  }
  const hasSlabs = idx.some((i) => s.slabs[i] > 0);
  if (hasSlabs) X.push(Float64Array.from(idx, (i) => -s.slabs[i]));
  // The carrier's body by heading: half the depth times the cosine of the AP's bearing from the heading (sim/radio/body-orientation.ts).
  const headed = idx.filter((i) => !Number.isNaN(s.headingRad[i])).length;
  const hasHeading = headed >= MIN_HEADED_SAMPLES;
  if (hasHeading) X.push(Float64Array.from(idx, (i) => orientationColumn(site, s.ap[i], s.x[i], s.y[i], s.headingRad[i])));
  const ap = Uint16Array.from(idx, (i) => s.ap[i]);
  const deviceIds = [...new Set(idx.map((i) => s.device[i]))];
  const dev = Uint32Array.from(idx, (i) => deviceIds.indexOf(s.device[i]));
  const clusterKey = idx.map((i) => blockKey(s.ap[i], s.floor[i], s.x[i], s.y[i]));
  // Numbered in key order, so a replicate draws the same clusters whatever order the log's rows came in.
  const clusterIds = new Map([...new Set(clusterKey)].sort().map((k, c) => [k, c]));
  const cluster = Uint32Array.from(clusterKey, (k) => clusterIds.get(k)!);
  const temporalPairs = pairsInTime(idx, s);
  const movedPairs = pairsMoved(idx, s);
  const cells = cellsOf(idx, s);
  const stays = staysOf(idx, s);
  const bearingOf = (k: number): number => Math.atan2(site.aps[s.ap[idx[k]]].y - s.y[idx[k]], site.aps[s.ap[idx[k]]].x - s.x[idx[k]]);
  const rssi = Float64Array.from(idx, (i) => s.rssiDbm[i]);
  const rssiOrder = Uint32Array.from(idx.keys()).sort((p, q) => rssi[p] - rssi[q]);
  // The APs the part never hears are off the air (or not logging), as locate leaves them out of a survey
  // (engine/calibrate/survey-on-air.ts): their links are not missed emissions, and the twin's APs hear nothing there.
  const apsOfBand = new Set(ap);
  const emissions = emissionLinks(site, obs, log, geometry, b, { materials, hasSlabs, hasHeading }, clusterIds, deviceIds, apsOfBand);
  // Each link's crossings of each material's walls (its line column is their negative).
  const wallColumns = materials.map((_, m) => Float64Array.from(emissions.X[2 + m], (v) => -v));

  const fit = (sampleW: Float64Array, clusterW: Float64Array): PointFit => {
    const apGain = new Float64Array(site.aps.length);
    let beta: Float64Array = new Float64Array(X.length);
    const yAdj = new Float64Array(n);
    const resid = new Float64Array(n);
    const fitApGains = new Set(ap).size >= 2;
    for (let round = 0; round < (fitApGains ? 4 : 1); round++) {
      for (let k = 0; k < n; k++) yAdj[k] = y[k] - apGain[ap[k]];
      beta = huberRegression(X, yAdj, sampleW);
      if (!fitApGains) break;
      residuals(X, beta, y, resid);
      const gains = groupLocations(resid, ap, sampleW, site.aps.length);
      // Centred on the samples so the line keeps the mean level; an AP a bootstrap replicate left out gets 0.
      let sw = 0, sg = 0;
      for (let k = 0; k < n; k++) if (sampleW[k] > 0) { sw += sampleW[k]; sg += sampleW[k] * gains[ap[k]]; }
      for (let a = 0; a < gains.length; a++) apGain[a] = Number.isNaN(gains[a]) ? 0 : gains[a] - sg / sw;
    }
    for (let k = 0; k < n; k++) yAdj[k] = y[k] - apGain[ap[k]];
    residuals(X, beta, yAdj, resid);
    let deviceSigma: number | null = null;
    let offsets: Float64Array = new Float64Array(0);
    if (deviceIds.length >= 3) {
      offsets = groupLocations(resid, dev, sampleW, deviceIds.length);
      const used = offsets.filter((o) => !Number.isNaN(o));
      deviceSigma = Math.sqrt(weightedMoments(used, used.map(() => 1)).variance);
      for (let k = 0; k < n; k++) if (!Number.isNaN(offsets[dev[k]])) resid[k] -= offsets[dev[k]];
    }
    const sensitivity = weightedQuantile(rssi, rssiOrder, sampleW, SENSITIVITY_QUANTILE);
    const deviceFloor = offsets.length > 0 ? deviceFloors(rssi, rssiOrder, dev, sampleW, deviceIds.length, sensitivity) : new Float64Array(deviceIds.length).fill(NaN);
    // Readings and means as each device's detection sees them: against the band's floor.
    const floorOf = (k: number): number => deviceFloor[dev[k]] || 0;
    const heardRssi = Float64Array.from(rssi, (v, k) => v - floorOf(k));
    // Spreads are measured on links whose mean stays well above sensitivity: weaker ones lose their deep fades to it.
    const margin = CENSOR_MARGIN_SD * Math.sqrt(weightedMoments(resid, sampleW).variance);
    const clearW = Float64Array.from(sampleW, (wk, k) => (heardRssi[k] - resid[k] >= sensitivity + margin ? wk : 0));
    // The slope is Huber's; the level is the mean's: the simulator's reference loss is a mean in dB (fading's skew included).
    const shift = weightedMoments(resid, clearW).mean;
    beta[0] += shift;
    for (let k = 0; k < n; k++) resid[k] -= shift;
    const total = weightedMoments(resid, clearW).variance;
    const time = temporalFit(temporalPairs, resid, clearW);
    const within = time ? time.nuggetDb2 + time.partialSillDb2 : withinCellVariance(cells, resid, clearW);
    const space = spatialFit(cells, resid, clearW);
    const shadow2 = Math.max(0, total - within);
    const moved = time && time.partialSillDb2 > 0 ? movedFit(movedPairs, resid, clearW, time, shadow2, space?.scale ?? null) : null;
    // The floor is the weakest readings', the ramp above it the heard readings' shape; hearing on links clear of both, then per AP.
    const sigma = Math.sqrt(total);
    const rampDb = fitRamp({ rssiDbm: heardRssi, meanDbm: Float64Array.from(heardRssi, (v, k) => v - resid[k]), w: sampleW }, sensitivity, sigma) ?? 0;
    const links = hearingLinks(emissions, beta, apGain, offsets, deviceFloor, clusterW);
    const hearing = fitHearing(links, sensitivity + rampDb + margin);
    const apHearing = hearing && fitApHearing(links, emissions.ap, emissions.slabs, site.aps.length, hearing.meanHeard, sensitivity, rampDb, sigma, emissions.device, deviceIds.length, wallColumns);
    // A slab or a wall costs what the heard readings say plus what the missed links through it say they left out.
    const slabExtra = hasSlabs ? apHearing?.slabExtraDb ?? 0 : 0;
    if (hasSlabs) beta[2 + materials.length] += slabExtra;
    const wallExtra = materials.map((_, m) => apHearing?.wallExtraDb[m] ?? 0);
    wallExtra.forEach((e, m) => (beta[2 + m] += e));
    return {
      beta, apGain, deviceSigma, deviceOffset: offsets, deviceFloor, residualSigma: Math.sqrt(total),
      shadowSigma: Math.sqrt(shadow2),
      decorrelationM: space?.scale ?? null,
      slowSigma: time ? Math.sqrt(time.partialSillDb2) : null,
      slowCorrelationS: time?.scale ?? null,
      slowDecorrelationM: moved,
      // On every heard link, not only those clear of the floor: see bench/twin/stay-facing.ts.
      stayFacing: stayFacingDepthDb(stays, resid, sampleW, (k) => s.ap[idx[k]], bearingOf),
      fastSigma: Math.sqrt(time ? time.nuggetDb2 : within),
      sensitivity, rampDb, hearing: apHearing?.bandRate ?? null, apHearing: apHearing?.rate ?? new Float64Array(site.aps.length).fill(NaN), slabExtra, wallExtra,
      deviceHearing: apHearing?.deviceScale ?? new Float64Array(deviceIds.length).fill(NaN), hearingCorrelation: hearing?.correlation ?? null,
    };
  };

  const ones = new Float64Array(n).fill(1);
  const point = fit(ones, new Float64Array(clusterIds.size).fill(1));
  const reps: PointFit[] = [];
  const rng = new Rng(opts.seed, `calibrate:${BANDS[b]}`);
  for (let r = 0; r < opts.bootstrap; r++) {
    const counts = new Float64Array(clusterIds.size);
    for (let c = 0; c < clusterIds.size; c++) counts[rng.int(clusterIds.size)]++;
    reps.push(fit(Float64Array.from(cluster, (c) => counts[c]), counts));
  }
  const est = (get: (f: PointFit) => number | null): Estimate | null => {
    const v = get(point);
    if (v === null || Number.isNaN(v)) return null;
    const vals = reps.map(get).filter((x): x is number => x !== null && !Number.isNaN(x)).sort((a, c) => a - c);
    if (vals.length === 0) return { value: v, lo: v, hi: v };
    return { value: v, lo: vals[Math.floor(0.025 * (vals.length - 1))], hi: vals[Math.ceil(0.975 * (vals.length - 1))] };
  };
  const must = (get: (f: PointFit) => number): Estimate => est(get) ?? { value: NaN, lo: NaN, hi: NaN };
  return {
    band: BANDS[b],
    samples: n,
    devices: deviceIds.length,
    rssiDbAt1m: must((f) => f.beta[0]),
    pathLossExponent: must((f) => f.beta[1]),
    wallLossDb: Object.fromEntries(materials.map((m, k) => [m, must((f) => f.beta[2 + k])])),
    floorLossDb: hasSlabs ? must((f) => f.beta[2 + materials.length]) : null,
    orientationDepthDb: hasHeading ? must((f) => f.beta[X.length - 1]) : null,
    stayFacingDepthDb: est((f) => f.stayFacing),
    apGainDb: apsOfBand.size >= 2 ? Object.fromEntries([...apsOfBand].sort((a, c) => a - c).map((a) => [site.aps[a].id, must((f) => f.apGain[a])])) : {},
    deviceOffsetSigmaDb: est((f) => f.deviceSigma),
    deviceOffsetDb: deviceIds.length >= 3 ? Object.fromEntries(deviceIds.flatMap((d, k) => {
      const e = est((f) => f.deviceOffset[k]);
      return e ? [[obs.devices[d].id, e]] : [];
    })) : {},
    deviceFloorDb: Object.fromEntries(deviceIds.flatMap((d, k) => {
      const e = est((f) => f.deviceFloor[k]);
      return e ? [[obs.devices[d].id, e]] : [];
    })),
    deviceHearing: Object.fromEntries(deviceIds.flatMap((d, k) => {
      const e = est((f) => f.deviceHearing[k]);
      return e ? [[obs.devices[d].id, e]] : [];
    })),
    residualSigmaDb: must((f) => f.residualSigma),
    shadowingSigmaDb: must((f) => f.shadowSigma),
    shadowingDecorrelationM: est((f) => f.decorrelationM),
    slowSigmaDb: est((f) => f.slowSigma),
    slowCorrelationS: est((f) => f.slowCorrelationS),
    slowDecorrelationM: est((f) => f.slowDecorrelationM),
    fadingSigmaDb: must((f) => f.fastSigma),
    sensitivityDbm: must((f) => f.sensitivity),
    sensitivityRampDb: must((f) => f.rampDb),
    hearingRate: est((f) => f.hearing),
    hearingCorrelation: est((f) => f.hearingCorrelation),
    floorLossFromHearingDb: hasSlabs ? must((f) => f.slabExtra) : null,
    wallLossFromHearingDb: Object.fromEntries(materials.map((m, k) => [m, must((f) => f.wallExtra[k])])),
    apHearingRate: Object.fromEntries(site.aps.flatMap((apSpec, a) => {
      if (!apsOfBand.has(a)) return bandAps(site, b).includes(a) ? [[apSpec.id, { value: 0, lo: 0, hi: 0 }]] : [];
      const e = est((f) => f.apHearing[a]);
      return e ? [[apSpec.id, e]] : [];
    })),
    sameRadio: BANDS[b] === 'wifi' ? joinGroups([...declaredRadios(site), ...sameRadioGroups(obs)]).map((g) => g.map((a) => site.aps[a].id)) : [],
  };
}

function residuals(X: readonly Float64Array[], beta: Float64Array, y: Float64Array, out: Float64Array): void {
  for (let k = 0; k < y.length; k++) {
    let f = 0;
    for (let j = 0; j < X.length; j++) f += beta[j] * X[j][k];
    out[k] = y[k] - f;
  }
}

/** Huber location of `values` per group (groups with too little weight get 0; NaN for none at all). */
function groupLocations(values: Float64Array, group: ArrayLike<number>, w: Float64Array, groups: number): Float64Array {
  const members: number[][] = Array.from({ length: groups }, () => []);
  for (let k = 0; k < values.length; k++) if (w[k] > 0) members[group[k]].push(k);
  return Float64Array.from(members, (m) => {
    if (m.length === 0) return NaN;
    const weight = m.reduce((a, k) => a + w[k], 0);
    return weight < MIN_GROUP_SAMPLES ? 0 : huberLocation(m.map((k) => values[k]), m.map((k) => w[k]));
  });
}

interface Pairs {
  /** Sample positions (within the band's samples) of each pair. */
  a: Uint32Array;
  b: Uint32Array;
  bin: Uint8Array;
  /** Lag of each pair, s. */
  lagS: Float64Array;
}

/**
 * For each reading, the first later reading of the same link (device and AP)
 * at the same spot (the same 0.5 m cell, ≤ 0.5 m apart) in each lag bin: the
 * device staying, or coming back, which is what measures how much of a
 * spot's spread lasts and how much is gone when it returns. Other devices
 * are not paired: a device's own gain towards each AP (its antenna as held)
 * would pass for time.
 */
function pairsInTime(idx: number[], s: JoinedLog['samples']): Pairs {
  const spots = new Map<string, number[]>();
  idx.forEach((i, k) => {
    const key = `${s.device[i]}|${s.ap[i]}|${s.floor[i]}|${Math.floor(s.x[i] / CELL_M)}|${Math.floor(s.y[i] / CELL_M)}`;
    const l = spots.get(key);
    if (l) l.push(k);
    else spots.set(key, [k]);
  });
  const a: number[] = [], bb: number[] = [], bin: number[] = [], lag: number[] = [];
  for (const ks of spots.values()) {
    ks.sort((p, q) => s.tMs[idx[p]] - s.tMs[idx[q]]);
    for (let p = 0; p < ks.length; p++) {
      const i = idx[ks[p]];
      let q = p + 1;
      for (let e = 0; e + 1 < LAG_EDGES_S.length && q < ks.length; e++) {
        while (q < ks.length && (s.tMs[idx[ks[q]]] - s.tMs[i]) / 1000 < LAG_EDGES_S[e]) q++;
        if (q >= ks.length) break;
        const j = idx[ks[q]];
        const lagS = (s.tMs[j] - s.tMs[i]) / 1000;
        if (lagS >= LAG_EDGES_S[e + 1]) continue;
        if (Math.hypot(s.x[j] - s.x[i], s.y[j] - s.y[i]) > TEMPORAL_MAX_MOVE_M) continue;
        a.push(ks[p]); bb.push(ks[q]); bin.push(e); lag.push(lagS);
      }
    }
  }
  return { a: Uint32Array.from(a), b: Uint32Array.from(bb), bin: Uint8Array.from(bin), lagS: Float64Array.from(lag) };
}

/** Bin midpoints (geometric) of consecutive edges. */
const mids = (edges: number[]): number[] => edges.slice(0, -1).map((e, k) => Math.sqrt(e * edges[k + 1]));

function temporalFit(p: Pairs, resid: Float64Array, w: Float64Array): ReturnType<typeof fitVariogram> {
  const bins = LAG_EDGES_S.length - 1;
  const g = new Float64Array(bins), sw = new Float64Array(bins), lagSum = new Float64Array(bins);
  for (let k = 0; k < p.a.length; k++) {
    const wk = w[p.a[k]] * w[p.b[k]];
    if (wk === 0) continue;
    g[p.bin[k]] += wk * 0.5 * (resid[p.a[k]] - resid[p.b[k]]) ** 2;
    sw[p.bin[k]] += wk;
    lagSum[p.bin[k]] += wk * p.lagS[k];
  }
  // A bin needs a few dozen pairs to say anything.
  const weight = [...sw].map((x) => (x >= 30 ? x : 0));
  const lagS = [...lagSum].map((x, k) => x / sw[k]);
  // What has not decorrelated by the longest lag seen stays with the spot (shadowing): a longer time is not measured.
  const longestS = Math.max(...lagS.filter((_, k) => weight[k] > 0));
  return fitVariogram(lagS, [...g].map((x, k) => x / sw[k]), weight, 'exponential', [LIMITS.correlationS.min * 10, Math.min(LIMITS.correlationS.max, longestS)]);
}

/** Consecutive readings of a link further apart in time are not paired across a move, s (a walk between points takes seconds). */
const MOVED_MAX_LAG_S = 30;
/** Distance bin edges of the moves, m (from past TEMPORAL_MAX_MOVE_M). */
const MOVE_EDGES_M = [TEMPORAL_MAX_MOVE_M, 1, 2, 4, 8, 16, 32];
/** Decorrelation distances searched, m (LIMITS.slowDecorrelationM), log-spaced; Infinity: time alone. */
const MOVE_GRID_M = [...Array.from({ length: 41 }, (_, k) => LIMITS.slowDecorrelationM.min * (LIMITS.slowDecorrelationM.max / LIMITS.slowDecorrelationM.min) ** (k / 40)), Infinity];

/**
 * Each reading and the next of its link (device and AP) when the device moved
 * more than TEMPORAL_MAX_MOVE_M between them within MOVED_MAX_LAG_S: a walker
 * going from point to point.
 */
function pairsMoved(idx: number[], s: JoinedLog['samples']): MovedPairs {
  const links = new Map<string, number[]>();
  idx.forEach((i, k) => {
    const key = `${s.device[i]}|${s.ap[i]}`;
    (links.get(key) ?? links.set(key, []).get(key)!).push(k);
  });
  const a: number[] = [], b: number[] = [], bin: number[] = [], lag: number[] = [], moved: number[] = [], link: number[] = [];
  for (const [l, ks] of [...links.values()].entries()) {
    ks.sort((p, q) => s.tMs[idx[p]] - s.tMs[idx[q]]);
    for (let p = 0; p + 1 < ks.length; p++) {
      const i = idx[ks[p]], j = idx[ks[p + 1]];
      const lagS = (s.tMs[j] - s.tMs[i]) / 1000, h = Math.hypot(s.x[j] - s.x[i], s.y[j] - s.y[i]);
      if (lagS > MOVED_MAX_LAG_S || s.floor[i] !== s.floor[j] || h <= MOVE_EDGES_M[0] || h >= MOVE_EDGES_M[MOVE_EDGES_M.length - 1]) continue;
      let e = 0;
      while (h >= MOVE_EDGES_M[e + 1]) e++;
      a.push(ks[p]); b.push(ks[p + 1]); bin.push(e); lag.push(lagS); moved.push(h); link.push(l);
    }
  }
  return { a: Uint32Array.from(a), b: Uint32Array.from(b), bin: Uint8Array.from(bin), lagS: Float64Array.from(lag), movedM: Float64Array.from(moved), link: Uint32Array.from(link), links: links.size };
}

interface MovedPairs extends Pairs {
  movedM: Float64Array;
  /** The link (device, AP) of each pair, 0 .. links − 1. */
  link: Uint32Array;
  links: number;
}

/**
 * The distance d over which a move leaves the slow component behind: the
 * semivariance of a link's readings across a move of h metres in Δt seconds
 * is fast² + slow²·(1 − e^(−Δt/τ)·e^(−h/d)) + shadow²·(1 − e^(−h²/ds²)) (the
 * shadowing field's part from the spatial fit). Per move bin, the observed
 * mean semivariance against the predicted, in units of its sampling variance
 * (the pairs' links as clusters: a link's consecutive pairs share readings);
 * the d of least χ² is taken when it beats time alone (d = ∞) by the 5 %
 * point of a one-parameter likelihood ratio (3.84), else null, as with
 * fewer than 2 bins of 30 pairs. A time-only world's log then reads none:
 * the badges of test/helpers/twin-log.ts, which a least-squares pick gave 6.3 m.
 */
function movedFit(p: MovedPairs, resid: Float64Array, w: Float64Array, time: VariogramFit, shadow2: number, shadowM: number | null): number | null {
  const bins = MOVE_EDGES_M.length - 1;
  const g = new Float64Array(bins), sw = new Float64Array(bins);
  // Per (bin, link): the sums of its pairs' semivariances and weights.
  const byLink = new Map<number, [number, number]>();
  const keep: number[] = [];
  for (let k = 0; k < p.a.length; k++) {
    const wk = w[p.a[k]] * w[p.b[k]];
    if (wk === 0) continue;
    const half = 0.5 * (resid[p.a[k]] - resid[p.b[k]]) ** 2, cell = p.bin[k] * p.links + p.link[k];
    g[p.bin[k]] += wk * half;
    sw[p.bin[k]] += wk;
    const c = byLink.get(cell) ?? byLink.set(cell, [0, 0]).get(cell)!;
    c[0] += wk * half;
    c[1] += wk;
    keep.push(k);
  }
  const used = [...sw.keys()].filter((e) => sw[e] >= 30);
  if (used.length < 2) return null;
  // The bin means' sampling variance with the links as clusters.
  const meanVar = new Float64Array(bins);
  for (const [cell, [sum, wl]] of byLink) {
    const e = Math.floor(cell / p.links);
    meanVar[e] += (sum - wl * (g[e] / sw[e])) ** 2;
  }
  for (const e of used) meanVar[e] = Math.max(meanVar[e] / (sw[e] * sw[e]), 1e-9);
  const chi2 = (d: number): number => {
    const pred = new Float64Array(bins);
    for (const k of keep) {
      const h = p.movedM[k], wk = w[p.a[k]] * w[p.b[k]];
      const space = shadowM === null ? 0 : shadow2 * (1 - Math.exp(-(h * h) / (shadowM * shadowM)));
      pred[p.bin[k]] += wk * (time.nuggetDb2 + time.partialSillDb2 * (1 - Math.exp(-p.lagS[k] / time.scale - h / d)) + space);
    }
    return used.reduce((c, e) => c + (g[e] / sw[e] - pred[e] / sw[e]) ** 2 / meanVar[e], 0);
  };
  let best = { d: Infinity, chi2: chi2(Infinity) };
  const timeAlone = best.chi2;
  for (const d of MOVE_GRID_M) {
    const c = chi2(d);
    if (c < best.chi2) best = { d, chi2: c };
  }
  // At the shortest distance searched the move term is spent: what is left over is not the slow component (positions
  // between their samples, the line's misfit across the move), so the data do not bound d and time alone stands.
  return Number.isFinite(best.d) && best.d > MOVE_GRID_M[0] && timeAlone - best.chi2 >= CHI2_1DOF_95 ? best.d : null;
}

/** The 95 % point of a chi-square with one degree of freedom. */
const CHI2_1DOF_95 = 3.84;

interface Cells {
  /** Cell of each sample (within the band's samples). */
  cell: Uint32Array;
  count: number;
  /** Within-cell groups are (device, AP, cell): a link's readings at one spot. */
  link: Uint32Array;
  links: number;
  pairA: Uint32Array;
  pairB: Uint32Array;
  pairBin: Uint8Array;
}

function cellsOf(idx: number[], s: JoinedLog['samples']): Cells {
  const ids = new Map<string, number>(), linkIds = new Map<string, number>();
  const centre: { ap: number; floor: number; x: number; y: number }[] = [];
  const cell = new Uint32Array(idx.length), link = new Uint32Array(idx.length);
  idx.forEach((i, k) => {
    const cx = Math.floor(s.x[i] / CELL_M), cy = Math.floor(s.y[i] / CELL_M);
    const key = `${s.ap[i]}|${s.floor[i]}|${cx}|${cy}`;
    let c = ids.get(key);
    if (c === undefined) {
      ids.set(key, (c = ids.size));
      centre.push({ ap: s.ap[i], floor: s.floor[i], x: (cx + 0.5) * CELL_M, y: (cy + 0.5) * CELL_M });
    }
    cell[k] = c;
    const lk = `${s.device[i]}|${key}`;
    let l = linkIds.get(lk);
    if (l === undefined) linkIds.set(lk, (l = linkIds.size));
    link[k] = l;
  });
  const byAp = new Map<string, number[]>();
  centre.forEach((c, k) => {
    const key = `${c.ap}|${c.floor}`;
    const l = byAp.get(key);
    if (l) l.push(k);
    else byAp.set(key, [k]);
  });
  let total = 0;
  for (const l of byAp.values()) total += (l.length * (l.length - 1)) / 2;
  const stride = Math.max(1, Math.ceil(total / MAX_CELL_PAIRS));
  const a: number[] = [], b: number[] = [], bin: number[] = [];
  let seen = 0;
  const maxM = DIST_EDGES_M[DIST_EDGES_M.length - 1];
  for (const l of byAp.values()) {
    for (let p = 0; p < l.length; p++) {
      for (let q = p + 1; q < l.length; q++) {
        if (seen++ % stride !== 0) continue;
        const h = Math.hypot(centre[l[p]].x - centre[l[q]].x, centre[l[p]].y - centre[l[q]].y);
        if (h < DIST_EDGES_M[0] || h >= maxM) continue;
        let e = 0;
        while (h >= DIST_EDGES_M[e + 1]) e++;
        a.push(l[p]); b.push(l[q]); bin.push(e);
      }
    }
  }
  return { cell, count: ids.size, link, links: linkIds.size, pairA: Uint32Array.from(a), pairB: Uint32Array.from(b), pairBin: Uint8Array.from(bin) };
}

function spatialFit(c: Cells, resid: Float64Array, w: Float64Array): ReturnType<typeof fitVariogram> {
  const sum = new Float64Array(c.count), sw = new Float64Array(c.count);
  for (let k = 0; k < resid.length; k++) {
    sum[c.cell[k]] += w[k] * resid[k];
    sw[c.cell[k]] += w[k];
  }
  const bins = DIST_EDGES_M.length - 1;
  const g = new Float64Array(bins), gw = new Float64Array(bins);
  for (let k = 0; k < c.pairA.length; k++) {
    const a = c.pairA[k], b = c.pairB[k];
    if (sw[a] === 0 || sw[b] === 0) continue;
    g[c.pairBin[k]] += 0.5 * (sum[a] / sw[a] - sum[b] / sw[b]) ** 2;
    gw[c.pairBin[k]]++;
  }
  const weight = [...gw].map((x) => (x >= 30 ? x : 0));
  return shadowingFit(fitVariogram(mids(DIST_EDGES_M), [...g].map((x, k) => x / gw[k]), weight, 'gaussian', [LIMITS.shadowingDecorrelationM.min, LIMITS.shadowingDecorrelationM.max]));
}

/**
 * The shadowing field's fit from the variogram of cell means: as fitted when
 * it rises with distance; when it is flat (the cell means as far apart at
 * the shortest lag measured as at the longest: UJI's office area, 20-24 dB²
 * from 0.5 to 14 m) the field decorrelates within that lag, so the shortest
 * decorrelation the simulator takes, not none (a default of several metres
 * would make the field smooth, and points between surveyed ones predictable
 * from them, as the real ones are not); null when it holds no variance.
 */
export function shadowingFit(fit: VariogramFit | null): VariogramFit | null {
  if (!fit || (fit.partialSillDb2 <= 0 && fit.nuggetDb2 <= 0)) return null;
  return fit.partialSillDb2 > 0 ? fit : { ...fit, scale: LIMITS.shadowingDecorrelationM.min };
}

/** Pooled variance of readings around their own (device, AP, cell) mean: fast and slow together, when no time series splits them. */
function withinCellVariance(c: Cells, resid: Float64Array, w: Float64Array): number {
  const sum = new Float64Array(c.links), sw = new Float64Array(c.links), cnt = new Float64Array(c.links);
  for (let k = 0; k < resid.length; k++) {
    sum[c.link[k]] += w[k] * resid[k];
    sw[c.link[k]] += w[k];
    if (w[k] > 0) cnt[c.link[k]]++;
  }
  let ss = 0, dof = 0;
  for (let k = 0; k < resid.length; k++) {
    const l = c.link[k];
    if (w[k] === 0 || cnt[l] < 2) continue;
    ss += w[k] * (resid[k] - sum[l] / sw[l]) ** 2;
  }
  for (let l = 0; l < c.links; l++) if (cnt[l] >= 2) dof += sw[l] * (1 - 1 / cnt[l]);
  return dof > 0 ? ss / dof : 0;
}

/**
 * Each device's floor above the band's `floorDbm`: the SENSITIVITY_QUANTILE of
 * its own reports less it (NaN with fewer than DEVICE_FLOOR_MIN_REPORTS). The
 * UJI library's phone1 reads 17 dB above the other two phones and hears 9.6
 * beacons a scan against their 15-16: its floor, −91 dBm against −103 and
 * −102 (their weakest readings), moved with its readings; a twin that kept
 * one floor let it hear every beacon in the room.
 */
function deviceFloors(rssi: Float64Array, order: Uint32Array, dev: Uint32Array, w: Float64Array, devices: number, floorDbm: number): Float64Array {
  const out = new Float64Array(devices).fill(NaN);
  for (let d = 0; d < devices; d++) {
    const own = Float64Array.from(w, (wk, k) => (dev[k] === d ? wk : 0));
    if (own.reduce((a, b) => a + b, 0) >= DEVICE_FLOOR_MIN_REPORTS) out[d] = weightedQuantile(rssi, order, own, SENSITIVITY_QUANTILE) - floorDbm;
  }
  return out;
}

/** The weighted q-quantile of the values at `order` (sorted ascending), weights w. */
function weightedQuantile(values: Float64Array, order: Uint32Array, w: Float64Array, q: number): number {
  let total = 0;
  for (let k = 0; k < w.length; k++) total += w[k];
  let acc = 0;
  for (const k of order) {
    acc += w[k];
    if (acc >= q * total && w[k] > 0) return values[k];
  }
  return values[order[order.length - 1]];
}

interface EmissionLinks {
  /** Per (emission, AP of the band) link: the line's regressors, the AP, the transmit power, the emission's cluster, whether the AP heard it. */
  X: Float64Array[];
  ap: Uint16Array;
  tx: Float64Array;
  cluster: Int32Array;
  heard: Uint8Array;
  /** Floor slabs between the AP and the emission. */
  slabs: Uint8Array;
  /** Emission of each link (0-based) and its device (index into the band's deviceIds, −1 if none). */
  emission: Uint32Array;
  device: Int32Array;
}

interface LineColumns {
  materials: string[];
  hasSlabs: boolean;
  hasHeading: boolean;
}

/** The orientation regressor: its coefficient is the body's peak-to-trough depth, dB (0 with no heading yet). */
function orientationColumn(site: Site, ap: number, x: number, y: number, headingRad: number): number {
  return Number.isNaN(headingRad) ? 0 : orientationGainDb(1, Math.atan2(site.aps[ap].y - y, site.aps[ap].x - x), headingRad);
}

function emissionLinks(site: Site, obs: ObservationBatch, log: JoinedLog, geometry: LinkGeometry, b: number, line: LineColumns, clusterIds: Map<string, number>, deviceIds: number[], onAir: ReadonlySet<number>): EmissionLinks {
  const aps = bandAps(site, b).filter((a) => onAir.has(a));
  const ems = log.emissions.filter((e) => e.band === b);
  const n = ems.length * aps.length;
  const X = Array.from({ length: 2 + line.materials.length + (line.hasSlabs ? 1 : 0) + (line.hasHeading ? 1 : 0) }, () => new Float64Array(n));
  const out: EmissionLinks = { X, ap: new Uint16Array(n), tx: new Float64Array(n), cluster: new Int32Array(n), heard: new Uint8Array(n), slabs: new Uint8Array(n), emission: new Uint32Array(n), device: new Int32Array(n) };
  const materialIdx = line.materials.map((m) => geometry.materials.indexOf(m));
  let k = 0;
  ems.forEach((e, emission) => {
    const tech = obs.devices[e.device].tech;
    const device = deviceIds.indexOf(e.device);
    for (const a of aps) {
      const cluster = clusterIds.get(blockKey(a, e.floor, e.x, e.y)) ?? -1;
      X[0][k] = 1;
      X[1][k] = -10 * Math.log10(Math.max(geometry.distanceM(a, e.x, e.y, e.floor), 0.1));
      if (materialIdx.length > 0) {
        const walls = geometry.wallCounts(a, e.x, e.y, e.floor);
        materialIdx.forEach((m, j) => (X[2 + j][k] = -walls[m]));
      }
      out.slabs[k] = geometry.slabs(a, e.floor);
      if (line.hasSlabs) X[2 + materialIdx.length][k] = -out.slabs[k];
      if (line.hasHeading) X[X.length - 1][k] = orientationColumn(site, a, e.x, e.y, e.headingRad);
      out.ap[k] = a;
      out.tx[k] = txDbmOf(site, tech, a);
      out.cluster[k] = cluster;
      out.heard[k] = e.heard.has(a) ? 1 : 0;
      out.emission[k] = emission;
      out.device[k] = device;
      k++;
    }
  });
  return out;
}

/**
 * Each link's fitted mean (line, AP gain, device offset) less its device's
 * floor above the band's, as detection against the band's floor sees it, and
 * its bootstrap weight (its cluster's; 1 where no reading fell in its cluster).
 */
function hearingLinks(e: EmissionLinks, beta: Float64Array, apGain: Float64Array, deviceOffset: Float64Array, deviceFloor: Float64Array, clusterW: Float64Array): HearingLinks {
  const meanDbm = new Float64Array(e.ap.length), w = new Float64Array(e.ap.length);
  for (let k = 0; k < e.ap.length; k++) {
    const d = e.device[k];
    let mean = e.tx[k] + apGain[e.ap[k]] + (d >= 0 && deviceOffset.length > 0 ? (deviceOffset[d] || 0) - (deviceFloor[d] || 0) : 0);
    for (let j = 0; j < beta.length; j++) mean += beta[j] * e.X[j][k];
    meanDbm[k] = mean;
    w[k] = e.cluster[k] < 0 ? 1 : clusterW[e.cluster[k]];
  }
  return { meanDbm, heard: e.heard, emission: e.emission, w };
}

/** What the fit knows the fading by: the Rician K whose spread matches, and that fading's mean in dB. */
export function fadingOf(fastSigmaDb: number): { ricianKDb: number; meanDb: number } {
  const ricianKDb = ricianKFor(fastSigmaDb);
  return { ricianKDb, meanDb: new FadingTable(10 ** (ricianKDb / 10)).meanDb };
}
