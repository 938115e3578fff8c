// The carrier's body, facing the way it walks, as the log itself tells it
// (batch only: it reads the day's tracks). A person carrying a phone or a
// badge in front faces where they walk and shadows the APs behind them:
// the UJI collectors did (bench/results/standing-facing.md: a position's
// two visits, out and back, differ by 7-8 dB by the AP's bearing). One scan
// cannot tell that from a move (a facing pattern of a few dB looks like a
// displacement of 1-2 m), but a walk's track can say which way its carrier
// faced: the direction between its fixes windowEpochs before and after,
// centred so that a track lagging its walker does not read as a body (the
// last move before an epoch does: bench/results/walking-body.md).
// How deep the body is, and whether there is one at all (a robot, a phone
// held sideways or lying on a desk), the readings say: the depth that best
// explains the walking epochs' readings about the survey map, each epoch's
// position free near its tracked fix (fitWalkingBody), against what the same
// epochs read with their directions turned at random. Where it stands out
// (z ≥ minZ) and is deep enough to matter (minDepthDb; negative: the device
// faces back, a back pocket), the engine takes it out of the walking
// readings and locates the log again.
import type { Estimates } from '../outputs.ts';
import type { ObservationBatch } from '../contract/observations.ts';
import type { SiteLayout } from '../localize/layout.ts';
import type { TechRadioMap } from '../localize/types.ts';
import { TECHS } from '../contract/site.ts';
import { above, between, flag, whole, type Settings } from '../settings/rules.ts';
import { fnv1a, hashOf } from './id-hash.ts';

export interface WalkingBodySettings {
  /** Read the walking body from the log in a batch run with a survey map, and locate again without it when found. */
  fromLog: boolean;
  /**
   * The walking direction at an epoch is that between the tracked fixes this
   * many epochs before and after: centred, so a lagging track reads no body.
   * 2 (±10 s at 5 s epochs): a walk of 10 m or more, yet short enough to
   * follow its turns; windows of 3 and 4 read the UJI library alike (3 and
   * 4 dB, z 7.9 and 8.6) and calib2021's robot and the Wi-Fi phone at none
   * (README, *The carriers' bodies by walking direction*).
   */
  windowEpochs: number;
  /** The fixes that far apart must be this far apart, m, for the carrier to count as walking: about the spread of a standing device's tracked fixes (bench/results/walking-body.md). */
  moveM: number;
  /** The depths tried run from −this to +this, dB: ble-6ft-mitll's rotations read 4-21 dB peak to peak (bench/results/body-orientation.md). */
  maxDepthDb: number;
  /** A walking epoch's position is free within this of its tracked fix, m, so what of the readings a displaced fix explains is not read as a body: about a tracked fix's median error on the shared walks (bench/results/realdata.md). */
  searchM: number;
  /** At most about this many walking epochs are read per technology (sampled by device and epoch): bounds the pass on a day's log. */
  maxEpochs: number;
  /** The body is taken out where its gain over none stands this many standard deviations above chance's (one-sided p ≈ 0.001 at 3). */
  minZ: number;
  /**
   * ... and is at least this deep, dB: taken out at the 0.4-1.5 dB the other
   * shared walks' residuals read, a body moved no median by more than
   * 0.06 m (three of four the wrong way), while the library's 2.3 dB took
   * 0.19 m off (bench/results/walking-body.md): below it a second
   * localization buys nothing.
   */
  minDepthDb: number;
}

export const WALKING_BODY_SETTINGS: Settings<WalkingBodySettings> = {
  defaults: { fromLog: true, windowEpochs: 2, moveM: 0.5, maxDepthDb: 16, searchM: 2, maxEpochs: 1000, minZ: 3, minDepthDb: 2 },
  rules: {
    fromLog: flag, windowEpochs: whole(1, 100), moveM: above(0, 100), maxDepthDb: above(0, 40), searchM: between(0, 50), maxEpochs: whole(10, 1_000_000), minZ: between(0, 100), minDepthDb: between(0, 40),
  },
};

/** What the log said of one technology's walking body. */
export interface WalkingBody {
  /** Peak-to-peak depth, dB, the device facing the walking direction (negative: facing back). */
  depthDb: number;
  /** Its gain over none against chance's (directions turned at random), in chance's standard deviations. */
  z: number;
  /** Walking epochs it was read from. */
  epochs: number;
  /** depthDb was taken out of the readings (z ≥ minZ, |depthDb| ≥ minDepthDb). */
  used: boolean;
}

/** Chance turns a device's walking directions alike over blocks this long, as a walk keeps one for a while (a minute: a few legs of a walk). */
const BLOCK_MS = 60_000;
/** Depths are tried this far apart, dB. */
const DEPTH_STEP_DB = 1;
/** Chance's gain is read from this many turnings of the walking directions. */
const CHANCE_DRAWS = 20;
/** z is reported up to this (chance's spread can be nil). */
const MAX_Z = 100;

/** Per device, its tracked fixes in time order and the walking direction at each (NaN: not walking). */
export interface DeviceTrack {
  tMs: number[];
  x: number[];
  y: number[];
  floor: number[];
  headingRad: number[];
}

/** Each device's track (indexed like the log's devices; undefined: no fixes), from the shards' tracks (each time-ordered). */
export function walkingTracks(tracks: readonly Estimates[], devices: number, epochMs: number, s: WalkingBodySettings): (DeviceTrack | undefined)[] {
  const out: (DeviceTrack | undefined)[] = new Array(devices).fill(undefined);
  for (const t of tracks) {
    for (let i = 0; i < t.length; i++) {
      const d = (out[t.deviceIdx[i]] ??= { tMs: [], x: [], y: [], floor: [], headingRad: [] });
      d.tMs.push(t.tMs[i]);
      d.x.push(t.x[i]);
      d.y.push(t.y[i]);
      d.floor.push(t.floor[i]);
    }
  }
  const spanMs = s.windowEpochs * epochMs;
  for (const d of out) {
    if (!d) continue;
    let lo = 0, hi = 0;
    for (let k = 0; k < d.tMs.length; k++) {
      while (d.tMs[lo] < d.tMs[k] - spanMs) lo++;
      while (hi + 1 < d.tMs.length && d.tMs[hi + 1] <= d.tMs[k] + spanMs) hi++;
      const dx = d.x[hi] - d.x[lo], dy = d.y[hi] - d.y[lo];
      const walking = d.floor[hi] === d.floor[lo] && Math.hypot(dx, dy) >= s.moveM;
      d.headingRad.push(walking ? Math.atan2(dy, dx) : NaN);
    }
  }
  return out;
}

/**
 * Calls visit(row, its device's track, its fix) for every row of the log
 * read while its device walked, in the log's order: one cursor per device
 * steps through its fixes as time goes on.
 */
function forEachWalkingRow(obs: ObservationBatch, walks: readonly (DeviceTrack | undefined)[], epochMs: number, visit: (i: number, w: DeviceTrack, fix: number) => void): void {
  const cursor = new Int32Array(walks.length);
  for (let i = 0; i < obs.length; i++) {
    const d = obs.deviceIdx[i], w = walks[d];
    if (!w) continue;
    const epoch = Math.floor(obs.tMs[i] / epochMs);
    let k = cursor[d];
    while (k < w.tMs.length && Math.floor(w.tMs[k] / epochMs) < epoch) k++;
    cursor[d] = k;
    if (k < w.tMs.length && Math.floor(w.tMs[k] / epochMs) === epoch && !Number.isNaN(w.headingRad[k])) visit(i, w, k);
  }
}

/** The bearing from the fix to the row's AP less the walking direction there, radians. */
function bearingOff(layout: SiteLayout, obs: ObservationBatch, i: number, w: DeviceTrack, fix: number): number {
  const ap = obs.apIdx[i];
  return Math.atan2(layout.apY[ap] - w.y[fix], layout.apX[ap] - w.x[fix]) - w.headingRad[fix];
}

/** One walking epoch of a device: its readings of APs on its fix's floor, and each one's bearing off the walking direction. */
interface WalkEpoch {
  device: number;
  fix: number;
  rows: number[];
  bearing: number[];
}

/**
 * Per technology (TECHS order), the walking body its devices' readings tell
 * about its band's survey map; null where it has no map or no walking epochs.
 * Each sampled walking epoch's misfit about the map is taken at its best
 * cell within searchM of its tracked fix (the fix's own error, and the
 * device's gain, are free) with every reading less (depth / 2)·cos(bearing −
 * direction), summed over the epochs at each depth; the depth of least
 * misfit is the body's. Chance's gain over none is the same read with each
 * device-minute's directions turned at random (the walk's runs of one
 * direction and everything else kept): z is the body's gain over chance's
 * mean, in chance's standard deviations.
 */
export function fitWalkingBody(
  layout: SiteLayout, obs: ObservationBatch, walks: readonly (DeviceTrack | undefined)[], maps: readonly (TechRadioMap | undefined)[], epochMs: number, s: WalkingBodySettings,
): (WalkingBody | null)[] {
  const half = Math.round(s.maxDepthDb / DEPTH_STEP_DB);
  const depths = Array.from({ length: 2 * half + 1 }, (_, k) => (k - half) * DEPTH_STEP_DB);
  const hashes = obs.devices.map((d) => fnv1a(d.id));
  const sampled = walkingEpochs(layout, obs, walks, maps.map(Boolean), hashes, epochMs, s.maxEpochs);
  return TECHS.map((_, ti) => {
    const map = maps[ti];
    if (!map || sampled[ti].length === 0) return null;
    const epochs = sampled[ti].map((e) => cellResiduals(layout, obs, walks[e.device]!, e, map, s.searchM));
    const blockHash = epochs.map((e) => hashOf(hashes[e.device], Math.floor(walks[e.device]!.tMs[e.fix] / BLOCK_MS)));
    // The misfit's gain at the depth of least misfit, each epoch's directions turned by turn(epoch index).
    const gainOf = (turn: (j: number) => number): { depthDb: number; gain: number } => {
      const total = depths.map(() => 0);
      epochs.forEach((e, j) => leastMisfits(e, e.bearing.map((b) => Math.cos(b - turn(j))), depths).forEach((m, k) => (total[k] += m)));
      const best = total.reduce((b, v, k) => (v < total[b] ? k : b), half);
      return { depthDb: depths[best], gain: total[half] - total[best] };
    };
    const found = gainOf(() => 0);
    if (found.depthDb === 0) return { depthDb: 0, z: 0, epochs: epochs.length, used: false };
    const chance = Array.from({ length: CHANCE_DRAWS }, (_, k) => gainOf((j) => (2 * Math.PI * hashOf(blockHash[j], k + 1)) / 2 ** 32).gain);
    const mean = chance.reduce((a, b) => a + b, 0) / CHANCE_DRAWS;
    const sd = Math.sqrt(chance.reduce((a, b) => a + (b - mean) ** 2, 0) / (CHANCE_DRAWS - 1));
    // Chance may gain nothing at all (every draw best at none): any gain then stands out, read as MAX_Z.
    const z = Math.min(MAX_Z, sd > 0 ? (found.gain - mean) / sd : found.gain > mean ? MAX_Z : 0);
    return { depthDb: found.depthDb, z, epochs: epochs.length, used: z >= s.minZ && Math.abs(found.depthDb) >= s.minDepthDb };
  });
}

/**
 * Per technology (TECHS order; empty where not `wanted`), its walking epochs
 * with three or more readings of APs on their fix's floor, sampled to about
 * maxEpochs by device and epoch, in device and time order (the same on any
 * worker count). One pass over the log.
 */
function walkingEpochs(
  layout: SiteLayout, obs: ObservationBatch, walks: readonly (DeviceTrack | undefined)[], wanted: readonly boolean[], hashes: readonly number[], epochMs: number, maxEpochs: number,
): WalkEpoch[][] {
  const techOf = obs.devices.map((d) => TECHS.indexOf(d.tech));
  const walking = TECHS.map(() => 0);
  walks.forEach((w, d) => {
    if (w) for (const h of w.headingRad) if (!Number.isNaN(h)) walking[techOf[d]]++;
  });
  const share = walking.map((n) => Math.min(1, maxEpochs / Math.max(n, 1)));
  const epochs = new Map<string, WalkEpoch>();
  forEachWalkingRow(obs, walks, epochMs, (i, w, fix) => {
    const d = obs.deviceIdx[i], t = techOf[d];
    if (!wanted[t] || hashOf(hashes[d], fix) / 2 ** 32 >= share[t] || layout.floorId[layout.apFloorIdx[obs.apIdx[i]]] !== w.floor[fix]) return;
    const key = `${d}:${fix}`;
    const e = epochs.get(key) ?? { device: d, fix, rows: [], bearing: [] };
    epochs.set(key, e);
    e.rows.push(i);
    e.bearing.push(bearingOff(layout, obs, i, w, fix));
  });
  const out: WalkEpoch[][] = TECHS.map(() => []);
  for (const e of epochs.values()) if (e.rows.length >= 3) out[techOf[e.device]].push(e);
  for (const list of out) list.sort((p, q) => p.device - q.device || p.fix - q.fix);
  return out;
}

/** An epoch with its readings' residuals about the map at each cell within searchM of its fix ([cell][reading]), and their sums and sums of squares per cell. */
interface EpochCells extends WalkEpoch {
  residual: Float64Array[];
  sum: Float64Array;
  sumSq: Float64Array;
}

function cellResiduals(layout: SiteLayout, obs: ObservationBatch, w: DeviceTrack, e: WalkEpoch, map: TechRadioMap, searchM: number): EpochCells {
  const { grid, apOffsetDb } = map;
  const f = layout.floorId.indexOf(w.floor[e.fix]), aps = layout.apX.length;
  const span = (v: number, cells: number): [number, number] =>
    [Math.max(0, Math.floor((v - searchM) / grid.cellM)), Math.min(cells - 1, Math.floor((v + searchM) / grid.cellM))];
  const [i0, i1] = span(w.x[e.fix], grid.nx[f]), [j0, j1] = span(w.y[e.fix], grid.ny[f]);
  const residual: Float64Array[] = [];
  for (let j = j0; j <= j1; j++) {
    for (let i = i0; i <= i1; i++) {
      const cell = (j * grid.nx[f] + i) * aps;
      residual.push(Float64Array.from(e.rows, (r) => obs.rssiDbm[r] - grid.gainDb[f][cell + obs.apIdx[r]] - apOffsetDb[obs.apIdx[r]]));
    }
  }
  const sum = Float64Array.from(residual, (res) => res.reduce((a, b) => a + b, 0));
  const sumSq = Float64Array.from(residual, (res) => res.reduce((a, b) => a + b * b, 0));
  return { ...e, residual, sum, sumSq };
}

/**
 * The epoch's least misfit at each depth over its cells: Σ (residual −
 * (depth / 2)·cos)² less its mean's share (the device's gain is free),
 * quadratic in the depth per cell.
 */
function leastMisfits(e: EpochCells, cos: readonly number[], depths: readonly number[]): number[] {
  const n = cos.length;
  let c1 = 0, c2 = 0;
  for (const c of cos) {
    c1 += c;
    c2 += c * c;
  }
  const best = depths.map(() => Infinity);
  e.residual.forEach((res, cell) => {
    let sc = 0;
    for (let k = 0; k < n; k++) sc += res[k] * cos[k];
    const s1 = e.sum[cell], s2 = e.sumSq[cell];
    depths.forEach((depth, k) => {
      const a = depth / 2;
      const sse = s2 - 2 * a * sc + a * a * c2 - (s1 - a * c1) ** 2 / n;
      if (sse < best[k]) best[k] = sse;
    });
  });
  return best;
}

/** The log with each walking reading less its technology's body ((depth / 2)·cos of its bearing off the walking direction), where one was used. */
export function withoutWalkingBody(
  layout: SiteLayout, obs: ObservationBatch, walks: readonly (DeviceTrack | undefined)[], bodies: readonly (WalkingBody | null)[], epochMs: number,
): ObservationBatch {
  const depthOf = bodies.map((b) => (b?.used ? b.depthDb : 0));
  const techOf = obs.devices.map((d) => TECHS.indexOf(d.tech));
  const rssiDbm = Float32Array.from(obs.rssiDbm);
  forEachWalkingRow(obs, walks, epochMs, (i, w, fix) => {
    const depth = depthOf[techOf[obs.deviceIdx[i]]];
    if (depth !== 0) rssiDbm[i] -= (depth / 2) * Math.cos(bearingOff(layout, obs, i, w, fix));
  });
  return { ...obs, rssiDbm };
}
