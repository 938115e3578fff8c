// Self-calibration: one technology's log-distance model fitted from the
// devices' own readings, with no position known (the source of last resort,
// after AP beacons and a survey: engine/pipeline/calibration.ts). The model
//   rssi = P0 + g_ap − 10·n·log10(d3)
// (P0 the RSSI at 1 m, n the exponent, g_ap each AP's own gain, d3 the 3-D
// distance) and the devices' positions are unknown together, so the fit
// alternates the two (EM-style self-consistency) over a sample of epochs:
//   0. positions: each epoch's weighted centroid (needs no model);
//   1. model given positions: a posterior- and Huber-weighted line through
//      (log10 d3, rssi − g − o_e) with n pulled towards the configured exponent
//      (the prior spread calibrate.exponentPriorSd, as fitLogDistance), then
//      each g_ap as its AP's mean residual shrunk towards 0 by the gains'
//      spread (selfCalibrate.apGainSdDb, else read off the log), then each epoch's own level o_e
//      (selfCalibrate.epochLevels: the device, its carrier's body and
//      orientation shift all its readings alike) as its mean residual shrunk
//      towards the median epoch's by the levels' spread, so P0 is the typical
//      epoch's level, not the mean's: on the UJI library one phone of three
//      reads 20 dB above the others and drew P0 from -59 to -54 dBm;
//   2. positions given the model: each epoch's posterior over a grid of the
//      floor under the model's own likelihood in dB (soft, its likeliest
//      cells kept: a single best cell fits the noise and flattens n);
// until the model stops moving. The APs' geometry is what makes it
// identifiable: scaling every range alike leaves the circles of three or
// more APs disagreeing. Like AP-beacon calibration without subtractWalls it
// fits the effective model of a site whose walls the ranging ignores.
// Guards, each falling back to the configured model: too few epochs heard
// by enough APs; an exponent the log's distances tell no better than its
// prior (standard error ≥ exponentPriorSd); a fit whose epochs sit no closer
// to it than to the configured model. An exponent outside indoor physics is
// held at the nearer bound and the rest refitted about it.
import { EpochAggregator } from '../ingest/epochs.ts';
import { ReportHold, type HoldSettings } from '../ingest/hold.ts';
import type { Readings } from '../localize/types.ts';
import { fnv1a, hashOf } from './id-hash.ts';
import { middle, shrunkApGains } from './ap-gains.ts';
import type { ObservationBatch } from '../contract/observations.ts';
import { TECHS, type Tech } from '../contract/site.ts';
import { keepCheapest } from '../localize/cheapest.ts';
import type { SiteLayout } from '../localize/layout.ts';
import { above, between, flag, whole, type Settings } from '../settings/rules.ts';
import type { CalibrateSettings } from './ap-beacons.ts';
import { INDOOR_EXPONENT_RANGE, type RangingModel } from './ranging.ts';

export interface SelfFitSettings {
  /** Fit a technology's ranging from the log itself when neither AP beacons nor a survey fitted its band. */
  fromLog: boolean;
  /** Epochs sampled (evenly over the log) for the fit, at most: its cost grows with them, its accuracy barely beyond a thousand. */
  maxEpochs: number;
  /** Fewer epochs heard by at least 3 APs than this: no fit. */
  minEpochs: number;
  /** Alternations of locating and refitting, at most (it stops once the model moves by less than 0.05 dB and 0.005 in n). */
  rounds: number;
  /**
   * Fit each AP's own gain (APs differ in transmit power and antenna: the
   * long-term Wi-Fi set's APs read 5-6 dB apart), shrunk towards the site's
   * by their spread; off: every AP alike. Evidence: bench/results/ranging-prior.md (no apGains).
   */
  apGains: boolean;
  /**
   * That spread, dB; 0 reads it off the log (the APs' mean residuals' robust
   * spread less their own noise, as the epochs' levels': an empirical-Bayes
   * prior, so a site of like APs fits gains near 0).
   */
  apGainSdDb: number;
  /** Grid spacing of the locating step, metres (coarsened so that a floor has at most 2048 cells). */
  gridM: number;
  /**
   * Where a survey fitted the band, the log is self-fitted too (the survey's
   * model its prior) and its fit replaces the survey's when its residual on
   * the log's readings is below this share of the survey model's; 0 never.
   * A fit to the log itself is always a little closer to it (two values
   * fitted, positions its own), so it must be much closer. 0-1. Set between
   * the ratios the UJI BLE logs read (as npm run realdata and npm run fidelity
   * frame them): 0.57-0.59 where the survey was taken at another power and
   * the log's fit locates far better, 0.77 where it locates worse, 0.95-0.99
   * where the survey's fit locates as well or better (calib2021's self-fit is
   * refused outright). Its effect, 0 and 0.95 beside it:
   * bench/results/ranging-prior.md, the rows with a survey.
   */
  overSurveyRatio: number;
  /**
   * Fit each epoch's own level (a random effect shrunk by the levels' robust
   * spread) and take P0 at the median epoch's: a minority of hotter or
   * quieter devices neither shifts every range nor flattens the exponent.
   * Off: one level for all. Evidence: bench/results/ranging-prior.md.
   */
  epochLevels: boolean;
  /**
   * The fit's residual on the log becomes the ranging's sigmaDb (off: the
   * configured spread stays), so the localizers that range weigh their
   * readings by how well the fit explains the log. Evidence: bench/results/ranging-prior.md.
   */
  sigmaFromFit: boolean;
}

export const SELF_FIT_SETTINGS: Settings<SelfFitSettings> = {
  defaults: { fromLog: true, maxEpochs: 800, minEpochs: 30, rounds: 12, apGains: true, apGainSdDb: 0, gridM: 1, overSurveyRatio: 0.7, epochLevels: true, sigmaFromFit: true },
  rules: { fromLog: flag, maxEpochs: whole(10, 1_000_000), minEpochs: whole(3, 1_000_000), rounds: whole(1, 100), apGains: flag, apGainSdDb: between(0, 30), gridM: above(0.1, 10), overSurveyRatio: between(0, 1), epochLevels: flag, sigmaFromFit: flag },
};

export interface SelfFit {
  refRssiDbmAt1m: number;
  pathLossExponent: number;
  /** RMS of the sampled readings around the fitted model at the positions it gives their epochs (weighed with the configured spread), dB. */
  residualSigmaDb: number;
  /** The same for the configured model: what the fit had to beat. */
  priorResidualSigmaDb: number;
  /** Epochs and (epoch, AP) readings behind the fit. */
  epochs: number;
  links: number;
  rounds: number;
  /** Per AP (site order), its fitted gain, dB (0 for an AP no sampled epoch heard); absent with apGains off. */
  apGainDb?: Float32Array;
  /** The exponent the log fitted where it lay outside indoor physics and pathLossExponent is the bound it was held at. */
  exponentHeldFrom?: number;
}

/** Why the log could not be fitted, for the calibration summary. */
export interface SelfFitRefusal {
  refused: string;
  /** Both residuals on the log, dB, when the fit was refused for sitting no closer to it than the configured model. */
  residualSigmaDb?: number;
  priorResidualSigmaDb?: number;
}

/** What the fit reads besides its own settings. */
export interface SelfFitInputs {
  self: SelfFitSettings;
  calibrate: CalibrateSettings;
  epochMs: number;
  /** What a fix holds of earlier epochs (ingest.holdS): a sampled epoch holds the same. */
  holdS: HoldSettings;
  centroidWeightExponent: number;
  /** The configured exponent of the tech: the prior n is pulled towards. */
  priorExponent: number;
}

/** The RSSI at 1 m a fit may end at, dBm (ranging.refRssiDbmAt1m's range). */
const REF_RSSI_RANGE_DBM: [number, number] = [-120, 0];
const MIN_APS = 3;
/** A hold of nothing: each epoch its own readings. */
const NO_HOLD = Object.fromEntries(TECHS.map((t) => [t, 0])) as HoldSettings;
/** The locating grid is coarsened to at most this many cells a floor: the fit's cost is epochs × cells × readings per round. */
const MAX_CELLS = 2048;
/** Huber threshold in sigmas (95 % efficient on Gaussian residuals, as calibrate.huberK). */
const HUBER_K = 1.345;
/**
 * Cells kept per epoch in the E step, and the least posterior weight kept.
 * Fewer truncate the posterior of a noisy epoch: on the UJI library's test
 * rows 16 cells fitted n 3.31, 64 cells 3.09, 256 cells 3.07, against 3.10
 * fitted at the rows' true positions.
 */
const POSTERIOR_CELLS = 64;
const MIN_POSTERIOR = 1e-3;
/** Reweighting passes of one M step. */
const M_ITERATIONS = 4;
/** A fitted spread never goes below this, dB (as fitLogDistance's floor). */
const MIN_SIGMA_DB = 0.5;
/** A normal's standard deviation is 1.4826 times its median absolute deviation. */
const MAD_TO_SD = 1.4826;
/** The epochs' level spread never goes below this, dB (a spread of 0 would pin every level to the median's). */
const MIN_LEVEL_SD_DB = 0.5;
/** The model has stopped moving. */
const STEADY_DB = 0.05, STEADY_N = 0.005;

export interface Epochs {
  /** Epoch e owns readings [start[e], start[e + 1]). */
  start: number[];
  floor: number[];
  ap: number[];
  rssiDbm: number[];
  /** Reports behind each reading's mean. */
  count: number[];
}

/** The tech's model fitted from its devices' epochs in `log`, or why not. */
export function selfFit(
  layout: SiteLayout, log: ObservationBatch, tech: Tech, prior: RangingModel, dh2: Float64Array, cfg: SelfFitInputs,
): SelfFit | SelfFitRefusal {
  const ep = sampleEpochs(layout, log, tech, cfg, false);
  const epochs = ep.start.length - 1;
  if (epochs < cfg.self.minEpochs) return { refused: `${epochs} epochs heard by ${MIN_APS}+ APs, fewer than ${cfg.self.minEpochs}` };
  const grid = floorGrids(layout, dh2, cfg.self.gridM);
  const aps = layout.apX.length;
  const priorModel: Model = { p0: prior.refRssiDbmAt1m, n: prior.pathLossExponent, gain: new Float32Array(aps), sigma: prior.sigmaDb, nSe: 0 };
  const reuse = { samples: newSamples(0) };
  // How far the log's readings sit from a model at the positions it gives them, both models weighed alike (the configured spread): the configured model's is the bar the fit must clear.
  const misfit = (m: Model): number => mStep(ep, grid, eStep(ep, grid, { ...m, sigma: prior.sigmaDb }), cfg, m, true, reuse).sigma;
  const priorResidualSigmaDb = misfit(priorModel);

  let model = mStep(ep, grid, centroids(layout, ep, grid, cfg.centroidWeightExponent), cfg, priorModel, false, reuse);
  let rounds = 1;
  for (; rounds < cfg.self.rounds; rounds++) {
    const next = mStep(ep, grid, eStep(ep, grid, model), cfg, model, false, reuse);
    const steady = Math.abs(next.p0 - model.p0) < STEADY_DB && Math.abs(next.n - model.n) < STEADY_N;
    model = next;
    if (steady) break;
  }
  const base = { epochs, links: ep.ap.length };
  if (!Number.isFinite(model.n)) return { refused: `fitted exponent ${model.n} is not a number`, ...base };
  const [lo, hi] = INDOOR_EXPONENT_RANGE, fittedN = model.n;
  if (fittedN < lo || fittedN > hi) {
    // Outside indoor physics (a log heard near its receivers' floor keeps its far links' peaks alone, which flattens
    // the line): the exponent held at the nearer bound and the level, gains and positions refitted about it, as
    // fitLogDistance holds a line. The configured defaults instead ranged a BLE log heard down to −92 dBm with
    // −45 dBm at 1 m against its −60 (bench/studies/foreign-log.ts: its app phone's knn 10.1 m, its badge's 2.8 m).
    model = { ...model, n: Math.min(Math.max(fittedN, lo), hi) };
    for (let r = 0; r < cfg.self.rounds; r++) {
      const next = mStep(ep, grid, eStep(ep, grid, model), cfg, model, false, reuse, model.n);
      const steady = Math.abs(next.p0 - model.p0) < STEADY_DB;
      model = next;
      if (steady) break;
    }
  }
  const held = model.n !== fittedN ? { exponentHeldFrom: fittedN } : {};
  if (!(model.p0 >= REF_RSSI_RANGE_DBM[0] && model.p0 <= REF_RSSI_RANGE_DBM[1])) return { refused: `fitted RSSI at 1 m ${model.p0.toFixed(1)} dBm is outside ${REF_RSSI_RANGE_DBM.join('..')}`, ...base };
  if (model.nSe >= cfg.calibrate.exponentPriorSd) return { refused: `the log's distances tell the exponent no better than its prior (±${model.nSe.toFixed(2)})`, ...base };
  const residualSigmaDb = misfit(model);
  if (residualSigmaDb >= priorResidualSigmaDb) return { refused: `fit (${model.p0.toFixed(1)} dBm at 1 m, exponent ${model.n.toFixed(2)}: ${residualSigmaDb.toFixed(1)} dB) no closer to the log than the configured model (${priorResidualSigmaDb.toFixed(1)} dB)`, residualSigmaDb, priorResidualSigmaDb, ...base };
  return {
    refRssiDbmAt1m: model.p0, pathLossExponent: model.n, residualSigmaDb, priorResidualSigmaDb, rounds, ...(cfg.self.apGains ? { apGainDb: model.gain } : {}), ...held, ...base,
  };
}

/**
 * Up to maxEpochs epochs of the tech's devices with at least 3 APs on the
 * strongest AP's floor, spread evenly over the log. Every AP heard on the
 * floor, not the localizers' strongest few: a far AP makes the few only
 * when it reads high, which would flatten the fitted exponent.
 * The log is sampled in spans of the held epochs (sampleSpanMs); when
 * `held`, each epoch holds what a fix would: its own means and the newest
 * earlier mean of every other AP the tech's hold keeps (cfg.holdS,
 * ingest/hold.ts). Self-calibration reads each epoch's own: a held mean is
 * from up to holdS earlier, where a walker stood elsewhere, and the
 * path-loss fit would take it for the epoch's position (the wifi-longterm
 * twin's real phone, scanning point to point: WLS 3.29 -> 4.03 m, kNN
 * 3.35 -> 3.88 m in month 1).
 * Which (device, span) groups are kept hangs on a hash of the device's id
 * and the span, not on the log's device numbering: the same log read in
 * another device order (a run's own log, read back by locate) samples the
 * same epochs. The log may be sampleRows' rows of the tech: the same epochs.
 */
export function sampleEpochs(layout: SiteLayout, log: ObservationBatch, tech: Tech, cfg: Pick<SelfFitInputs, 'self' | 'epochMs' | 'holdS'>, held = true): Epochs {
  const deviceHash = Uint32Array.from(log.devices, (d) => (d.tech === tech ? fnv1a(d.id) : 0));
  let rows = 0;
  for (let i = 0; i < log.length; i++) rows += deviceHash[log.deviceIdx[i]] ? 1 : 0;
  const keepBelow = keptHashBelow(rows, cfg.self);
  const spanMs = sampleSpanMs(cfg, tech);
  const ep: Epochs = { start: [0], floor: [], ap: [], rssiDbm: [], count: [] };
  const hashes: number[] = [];
  const picked: { ap: number[]; rssi: number[]; count: number[] } = { ap: [], rssi: [], count: [] };
  const hold = new ReportHold(held ? cfg.holdS : NO_HOLD, cfg.epochMs), techIdx = TECHS.indexOf(tech);
  const readings: Readings = { apIdx: new Uint16Array(0), rssiDbm: new Float32Array(0), start: 0, end: 0 };
  const agg = new EpochAggregator(cfg.epochMs, (view) => {
    for (let g = 0; g < view.groups; g++) {
      const r = hold.readings(view, g, techIdx, readings);
      let best = r.start;
      for (let i = r.start; i < r.end; i++) if (r.rssiDbm[i] > r.rssiDbm[best]) best = i;
      const floor = layout.apFloorIdx[r.apIdx[best]];
      picked.ap.length = picked.rssi.length = picked.count.length = 0;
      for (let i = r.start; i < r.end; i++) {
        if (layout.apFloorIdx[r.apIdx[i]] !== floor) continue;
        picked.ap.push(r.apIdx[i]);
        picked.rssi.push(r.rssiDbm[i]);
        picked.count.push(r.count![i]);
      }
      if (picked.ap.length < MIN_APS) continue;
      for (let k = 0; k < picked.ap.length; k++) {
        ep.ap.push(picked.ap[k]);
        ep.rssiDbm.push(picked.rssi[k]);
        ep.count.push(picked.count[k]);
      }
      ep.floor.push(floor);
      ep.start.push(ep.ap.length);
      hashes.push(hashOf(deviceHash[view.deviceIdx[g]], view.epoch));
    }
  }, Math.max(1, layout.apX.length));
  // Only the rows of kept spans reach the aggregator (the same groups, for a fraction of a whole log's aggregation).
  for (let i = 0; i < log.length; i++) {
    const d = log.deviceIdx[i];
    if (deviceHash[d] && hashOf(deviceHash[d], epochOf(log.tMs[i], spanMs)) < keepBelow) agg.add(log.tMs[i], d, log.apIdx[i], log.rssiDbm[i]);
  }
  agg.flush();
  const n = ep.floor.length;
  if (n <= cfg.self.maxEpochs) return ep;
  const cut = Float64Array.from(hashes).sort()[cfg.self.maxEpochs - 1];
  const out: Epochs = { start: [0], floor: [], ap: [], rssiDbm: [], count: [] };
  for (let e = 0; e < n; e++) {
    if (hashes[e] > cut) continue;
    for (let i = ep.start[e]; i < ep.start[e + 1]; i++) {
      out.ap.push(ep.ap[i]);
      out.rssiDbm.push(ep.rssiDbm[i]);
      out.count.push(ep.count[i]);
    }
    out.floor.push(ep.floor[e]);
    out.start.push(out.ap.length);
  }
  return out;
}

/**
 * Per tech of `techs`, the log's rows sampleEpochs may keep (the rows of
 * groups whose hash is below the tech's bound), from two passes over the log
 * for every tech at once. The bound only grows as rows are left out, so
 * sampleEpochs samples the same epochs from them as from the whole log:
 * self-calibration and the map's device offset read these, not the log.
 */
export function sampleRows(log: ObservationBatch, techs: readonly Tech[], cfg: Pick<SelfFitInputs, 'self' | 'epochMs' | 'holdS'>): Partial<Record<Tech, ObservationBatch>> {
  const techOf = Int8Array.from(log.devices, (d) => techs.indexOf(d.tech));
  const deviceHash = Uint32Array.from(log.devices, (d, i) => (techOf[i] >= 0 ? fnv1a(d.id) : 0));
  const rows = new Float64Array(techs.length);
  for (let i = 0; i < log.length; i++) {
    const t = techOf[log.deviceIdx[i]];
    if (t >= 0) rows[t]++;
  }
  const keepBelow = Array.from(rows, (n) => keptHashBelow(n, cfg.self));
  const spanMs = techs.map((t) => sampleSpanMs(cfg, t));
  const kept: number[][] = techs.map(() => []);
  for (let i = 0; i < log.length; i++) {
    const d = log.deviceIdx[i], t = techOf[d];
    if (t >= 0 && hashOf(deviceHash[d], epochOf(log.tMs[i], spanMs[t])) < keepBelow[t]) kept[t].push(i);
  }
  const out: Partial<Record<Tech, ObservationBatch>> = {};
  techs.forEach((tech, t) => {
    const at = kept[t];
    out[tech] = {
      length: at.length, devices: log.devices,
      tMs: Float64Array.from(at, (i) => log.tMs[i]), deviceIdx: Uint32Array.from(at, (i) => log.deviceIdx[i]),
      apIdx: Uint16Array.from(at, (i) => log.apIdx[i]), rssiDbm: Float32Array.from(at, (i) => log.rssiDbm[i]),
    };
  });
  return out;
}

/**
 * The hash bound below which a (device, epoch) group is kept as it closes, of a tech with `rows` rows: it keeps at
 * least 16·maxEpochs groups of MIN_APS single reports' rows (more reports a group: fewer, but still about maxEpochs or all).
 */
const keptHashBelow = (rows: number, self: SelfFitSettings): number => Math.min(1, (16 * self.maxEpochs * MIN_APS) / Math.max(rows, 1)) * 2 ** 32;
const epochOf = (tMs: number, epochMs: number): number => Math.floor(tMs / epochMs);

/**
 * The log is sampled in spans of this many ms for `tech`: an epoch and the
 * epochs before it whose reports a fix still holds (holdS, ingest/hold.ts).
 * A feed that reports each AP on its own timer hands an epoch alone a few
 * APs and a fix the held rest (connected phones in the realistic office:
 * too few epochs of three APs sampled alone for the map's device offset).
 */
const sampleSpanMs = (cfg: Pick<SelfFitInputs, 'epochMs' | 'holdS'>, tech: Tech): number =>
  cfg.epochMs * (1 + Math.floor((cfg.holdS[tech] * 1000) / cfg.epochMs));

interface FloorGrid {
  x: Float64Array;
  y: Float64Array;
  /** log10 of the 3-D distance (at least 0.5 m) from cell c to AP a: [c·aps + a], for the floor's APs. */
  logD: Float32Array;
  /** Per AP of the floor, built on first use: the cells nearest it first (nearFirst). */
  near: (Int32Array | undefined)[];
}

/** The floor's cells in order of distance from AP a, nearest first (ties by cell): where an epoch it hears best most likely is. */
function nearFirst(g: FloorGrid, a: number, aps: number): Int32Array {
  const order = g.near[a];
  if (order) return order;
  const cells = Int32Array.from(g.x, (_, c) => c);
  cells.sort((p, q) => g.logD[p * aps + a] - g.logD[q * aps + a] || p - q);
  return (g.near[a] = cells);
}

function floorGrids(layout: SiteLayout, dh2: Float64Array, gridM: number): FloorGrid[] {
  const aps = layout.apX.length;
  return Array.from(layout.floorId, (_, f) => {
    const w = layout.floorWidthM[f], h = layout.floorHeightM[f];
    const step = Math.max(gridM, Math.sqrt((w * h) / MAX_CELLS));
    const nx = Math.max(1, Math.round(w / step)), ny = Math.max(1, Math.round(h / step));
    const x = new Float64Array(nx * ny), y = new Float64Array(nx * ny), logD = new Float32Array(nx * ny * aps);
    for (let j = 0, c = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, c++) {
        x[c] = ((i + 0.5) * w) / nx;
        y[c] = ((j + 0.5) * h) / ny;
        for (let a = 0; a < aps; a++) {
          if (layout.apFloorIdx[a] === f) logD[c * aps + a] = Math.log10(Math.max(Math.sqrt((x[c] - layout.apX[a]) ** 2 + (y[c] - layout.apY[a]) ** 2 + dh2[a]), 0.5));
        }
      }
    }
    return { x, y, logD, near: new Array<Int32Array | undefined>(aps) };
  });
}

/** Where each epoch may be: cells and their posterior weights (summing to 1), epoch e's in [start[e], start[e + 1]). */
interface Posterior {
  start: Int32Array;
  cell: number[];
  weight: number[];
}

/** Each epoch at the cell nearest its weighted centroid (localize.centroid's weights): a start that needs no model. */
function centroids(layout: SiteLayout, ep: Epochs, grid: FloorGrid[], k: number): Posterior {
  const epochs = ep.start.length - 1;
  const post: Posterior = { start: Int32Array.from({ length: epochs + 1 }, (_, e) => e), cell: [], weight: [] };
  for (let e = 0; e < epochs; e++) {
    const from = ep.start[e], to = ep.start[e + 1];
    let sw = 0, sx = 0, sy = 0;
    for (let i = from; i < to; i++) {
      const w = 10 ** ((k * (ep.rssiDbm[i] - ep.rssiDbm[from])) / 10);
      sw += w;
      sx += w * layout.apX[ep.ap[i]];
      sy += w * layout.apY[ep.ap[i]];
    }
    const g = grid[ep.floor[e]];
    let best = 0, bestD = Infinity;
    for (let c = 0; c < g.x.length; c++) {
      const d = (g.x[c] - sx / sw) ** 2 + (g.y[c] - sy / sw) ** 2;
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    post.cell.push(best);
    post.weight.push(1);
  }
  return post;
}

/** Huber loss of a residual in units of sigma: the readings' robust negative log-likelihood. */
const huber = (u: number): number => {
  const a = Math.abs(u);
  return a <= HUBER_K ? 0.5 * a * a : HUBER_K * a - 0.5 * HUBER_K * HUBER_K;
};

/**
 * E step: each epoch's posterior over the floor's cells under the model
 * (uniform prior, Huber likelihood), its POSTERIOR_CELLS likeliest cells
 * kept. Soft, not the single best cell: a best cell fits the noise too, which
 * biases the refitted exponent low.
 * A cell's cost only grows reading by reading (Huber terms are ≥ 0), so once
 * the kept cells are full a cell is dropped as soon as its partial cost
 * reaches the costliest kept one's: it could never be kept (the same cells
 * and costs as summing every reading, at a fraction of the cost).
 */
function eStep(ep: Epochs, grid: FloorGrid[], m: Model): Posterior {
  const aps = m.gain.length, epochs = ep.start.length - 1;
  const post: Posterior = { start: new Int32Array(epochs + 1), cell: [], weight: [] };
  const bestCell = new Int32Array(POSTERIOR_CELLS), bestCost = new Float64Array(POSTERIOR_CELLS);
  // Per reading of the epoch: its AP and the part of its residual no cell changes (the same sum, term by term, as in full).
  let col = new Int32Array(16), level = new Float64Array(16);
  const slope = 10 * m.n, sigma = m.sigma;
  for (let e = 0; e < epochs; e++) {
    const g = grid[ep.floor[e]], logD = g.logD, cells = g.x.length;
    const from = ep.start[e], n = ep.start[e + 1] - from;
    if (col.length < n) {
      col = new Int32Array(2 * n);
      level = new Float64Array(2 * n);
    }
    let strongest = 0;
    for (let k = 0; k < n; k++) {
      const a = ep.ap[from + k];
      col[k] = a;
      level[k] = ep.rssiDbm[from + k] - m.p0 - m.gain[a];
      if (ep.rssiDbm[from + k] > ep.rssiDbm[from + strongest]) strongest = k;
    }
    // The costliest kept cell's cost once the kept cells are full; NaN before, which no cost reaches. Cells nearest the
    // best-heard AP first: the likeliest are kept early, so the bound drops the others after a reading or two.
    let kept = 0, bound = NaN;
    const order = nearFirst(g, col[strongest], aps);
    for (let t = 0; t < cells; t++) {
      const c = order[t], row = c * aps;
      let cost = 0;
      for (let k = 0; k < n; k++) {
        cost += huber((level[k] + slope * logD[row + col[k]]) / sigma);
        if (cost >= bound) break;
      }
      if (cost >= bound) continue;
      kept = keepCheapest(bestCost, bestCell, kept, POSTERIOR_CELLS, cost, c);
      if (kept === POSTERIOR_CELLS) bound = bestCost[POSTERIOR_CELLS - 1];
    }
    let sw = 0;
    for (let k = 0; k < kept; k++) sw += Math.exp(bestCost[0] - bestCost[k]);
    for (let k = 0; k < kept; k++) {
      const w = Math.exp(bestCost[0] - bestCost[k]) / sw;
      if (w < MIN_POSTERIOR) continue;
      post.cell.push(bestCell[k]);
      post.weight.push(w);
    }
    post.start[e + 1] = post.cell.length;
  }
  return post;
}

interface Model {
  p0: number;
  n: number;
  gain: Float32Array;
  sigma: number;
  /** Standard error of n from the readings alone, without its prior. */
  nSe: number;
}

/** The M step's samples (x = log10 d3, y = rssi, w = posterior weight, hw = w times its Huber weight, the AP, the epoch), reused by one fit's steps: hundreds of thousands a step. */
interface Samples {
  xs: Float64Array;
  ys: Float64Array;
  ws: Float64Array;
  hw: Float64Array;
  as: Int32Array;
  es: Int32Array;
}
const newSamples = (size: number): Samples => ({ xs: new Float64Array(size), ys: new Float64Array(size), ws: new Float64Array(size), hw: new Float64Array(size), as: new Int32Array(size), es: new Int32Array(size) });

/**
 * M step: P0 and n by posterior- and Huber-weighted least squares with n
 * pulled towards the configured exponent (one pseudo-reading of weight
 * (σ/σ_b)², as fitLogDistance), then each AP's gain as its shrunk weighted
 * mean residual (zero-mean over the readings), alternately; σ is the
 * weighted RMS residual. fixed: only σ, for the model as it is.
 */
/** One M step: the line, gains and levels about the posterior; `fixed` keeps the line (gains and σ only), `heldN` the exponent alone. */
function mStep(ep: Epochs, grid: FloorGrid[], post: Posterior, cfg: SelfFitInputs, m: Model, fixed: boolean, reuse: { samples: Samples }, heldN?: number): Model {
  const aps = m.gain.length, epochs = ep.start.length - 1;
  // One sample per (epoch, reading, candidate cell): x = log10 d3, y = rssi, w = posterior weight.
  let count = 0;
  for (let e = 0; e < epochs; e++) count += (post.start[e + 1] - post.start[e]) * (ep.start[e + 1] - ep.start[e]);
  if (reuse.samples.xs.length < count) reuse.samples = newSamples(Math.ceil(1.25 * count));
  const { xs, ys, ws, hw, as, es } = reuse.samples;
  // Each epoch's level relative to P0 (the median epoch's): 0 for all unless fitted.
  const level = new Float64Array(epochs);
  const fitLevels = !fixed && cfg.self.epochLevels;
  for (let e = 0, j = 0; e < epochs; e++) {
    const g = grid[ep.floor[e]];
    for (let k = post.start[e]; k < post.start[e + 1]; k++) {
      for (let i = ep.start[e]; i < ep.start[e + 1]; i++, j++) {
        xs[j] = g.logD[post.cell[k] * aps + ep.ap[i]];
        ys[j] = ep.rssiDbm[i];
        ws[j] = post.weight[k];
        as[j] = ep.ap[i];
        es[j] = e;
      }
    }
  }
  let { p0, n, sigma } = m;
  const gain = Float32Array.from(m.gain);
  const sdB = 10 * cfg.calibrate.exponentPriorSd;
  const priorB = -10 * (fixed ? m.n : cfg.priorExponent);
  let sxx = 0, sww = 0;
  for (let i = 0; i < count; i++) sww += ws[i];
  // Fixed without gains: nothing moves but σ, one pass.
  for (let it = 0; it < (fixed && !cfg.self.apGains ? 1 : M_ITERATIONS); it++) {
    // Each sample Huber-weighted by its residual about the model as it stands.
    for (let i = 0; i < count; i++) {
      const u = Math.abs(ys[i] - gain[as[i]] - level[es[i]] - p0 + 10 * n * xs[i]) / sigma;
      hw[i] = ws[i] * (u <= HUBER_K ? 1 : HUBER_K / u);
    }
    if (!fixed) {
      // y − g − o = p0 + b·x, b = −10n, with the prior on b as one pseudo-reading.
      const lambda = (sigma / sdB) ** 2;
      let s0 = 0, sx = 0, sy = 0, sxy = 0;
      sxx = 0;
      for (let i = 0; i < count; i++) {
        const x = xs[i], y = ys[i] - gain[as[i]] - level[es[i]], h = hw[i];
        s0 += h; sx += h * x; sy += h * y; sxx += h * x * x; sxy += h * x * y;
      }
      const det = s0 * (sxx + lambda) - sx * sx;
      const b = heldN !== undefined ? -10 * heldN : det > 1e-12 ? (s0 * (sxy + lambda * priorB) - sx * sy) / det : priorB;
      p0 = (sy - b * sx) / s0;
      n = -b / 10;
      sxx -= (sx * sx) / s0;
    }
    // The gains are fitted for the configured line too (fixed): the bar a fit must clear is that line with its APs' own
    // gains, at its own level (a survey at another power than the log's must still read as one).
    if (cfg.self.apGains) {
      const mean = apGainsAbout(p0, n, sigma);
      if (!fixed) p0 += mean;
    }
    if (fitLevels) p0 += epochLevelsAbout(p0, n, sigma);
    let ss = 0;
    for (let i = 0; i < count; i++) {
      const r = ys[i] - gain[as[i]] - level[es[i]] - p0 + 10 * n * xs[i];
      ss += ws[i] * r * r;
    }
    sigma = Math.max(Math.sqrt(ss / sww), MIN_SIGMA_DB);
  }
  return { p0, n, gain, sigma, nSe: fixed ? 0 : sigma / Math.sqrt(Math.max(sxx, 1e-12)) / 10 };

  /**
   * Each AP's gain: its weighted mean residual about p0, shrunk towards 0 by
   * (σ/τ)² (τ: apGainSdDb, else the gains' robust spread less the median
   * AP's noise σ²/Σw), into `gain`, then zero-mean over the readings.
   * Returns that mean: a fitted P0 moves by it.
   */
  function apGainsAbout(at: number, slope: number, s: number): number {
    const sum = new Float64Array(aps), weight = new Float64Array(aps);
    for (let i = 0; i < count; i++) {
      sum[as[i]] += hw[i] * (ys[i] - level[es[i]] - at + 10 * slope * xs[i]);
      weight[as[i]] += hw[i];
    }
    if (!shrunkApGains(sum, weight, s, cfg.self.apGainSdDb, gain)) return 0;
    let mean = 0, total = 0;
    for (let a = 0; a < aps; a++) {
      mean += weight[a] * gain[a];
      total += weight[a];
    }
    mean /= total;
    for (let a = 0; a < aps; a++) if (weight[a] > 0) gain[a] -= mean;
    return mean;
  }

  /**
   * Each epoch's level: its mean residual about p0, the median epoch's taken
   * out, shrunk towards 0 by τ²/(τ² + v_e) (v_e = σ²/Σw its own noise, τ the
   * levels' spread: their robust spread less the median epoch's noise), into
   * `level`. Returns the median epoch's level: P0 moves there.
   */
  function epochLevelsAbout(at: number, slope: number, s: number): number {
    const sum = new Float64Array(epochs), wsum = new Float64Array(epochs);
    for (let i = 0; i < count; i++) {
      sum[es[i]] += hw[i] * (ys[i] - gain[as[i]] - at + 10 * slope * xs[i]);
      wsum[es[i]] += hw[i];
    }
    const raw = Float64Array.from(sum, (v, e) => (wsum[e] > 0 ? v / wsum[e] : 0));
    const med = middle(raw);
    const noise = Float64Array.from(wsum, (w) => (s * s) / Math.max(w, 1e-9));
    const tau2 = Math.max((MAD_TO_SD * middle(raw.map((v) => Math.abs(v - med)))) ** 2 - middle(noise), MIN_LEVEL_SD_DB ** 2);
    for (let e = 0; e < epochs; e++) level[e] = ((raw[e] - med) * tau2) / (tau2 + noise[e]);
    return med;
  }
}

/** The techs a log has devices of, in TECHS order. */
export function techsIn(log: ObservationBatch): Tech[] {
  return TECHS.filter((t) => log.devices.some((d) => d.tech === t));
}
