// The engine's entry point: observations + site map in, estimates and
// contacts out. Localization is sharded by device (deviceIdx mod workers)
// over piscina threads, one task per shard per time chunk, so memory in
// flight stays bounded and progress is reported per chunk; contacts are then
// found per technology on this thread.
import { Piscina } from 'piscina';
import { resolveConfig, type DeepPartial, type EngineConfig } from './config.ts';
import { calibratedRanging, fitApBeacons, type BandFit } from './calibrate/ap-beacons.ts';
import { surveyRadioMaps, techRadioMaps, type SurveyFit } from './calibrate/survey-map.ts';
import { DETECTORS } from './contacts/index.ts';
import { contactsFromTracks } from './contacts/track-contacts.ts';
import { hotZonesFromFixes, type HotZones } from './hotzones/hot-zones.ts';
import { buildJourneys } from './journeys/journeys.ts';
import { phoneContacts } from './proximity/phone-contacts.ts';
import type { PhoneRssiBatch } from './proximity/phone-rssi.ts';
import { EstimatesBuilder, mergeSorted } from './estimates.ts';
import { LOCALIZERS } from './localize/index.ts';
import { siteLayout } from './localize/layout.ts';
import { localizeChunk, type LocalizeResult, type LocalizeTask } from './localize-worker.ts';
import type { ObservationBatch } from './observations.ts';
import type { Contact, Estimates, ZoneVisit } from './outputs.ts';
import { TECHS, type Band, type Site } from './site.ts';
import type { SurveyBatch } from './survey.ts';
import { newFilterHistory, newTrackState, trackKalman } from './track/kalman.ts';
import { trackParticles } from './track/particle.ts';
import { smoothTracks } from './track/smooth.ts';

export interface EngineResult {
  /** Sorted by (tMs, deviceIdx), whatever the worker count. */
  estimates: Estimates;
  /** Between devices of the same technology; sorted by a, b, tech. */
  contacts: Contact[];
  /** Per band fitted from AP beacons (empty without them); the ranging used is in `ranging`. */
  calibration: Partial<Record<Band, BandFit>>;
  ranging: EngineConfig['ranging'];
  /** Per band fitted from the site survey (empty without one): its model and how far the map moves from it. */
  survey: Partial<Record<Band, SurveyFit>>;
  /** Between app phones, from what they heard of each other (EN-style); empty without phone RSSI. */
  phoneContacts: Contact[];
  /** Zone visits per device, sorted by device id then enter time. */
  journeys: ZoneVisit[];
  /** Occupancy per zone per interval and hot-zone alerts (counts only). */
  hotZones: HotZones;
  stats: {
    observations: number;
    /** (device, epoch) aggregates formed, i.e. localization attempts. */
    epochs: number;
  };
}

export interface RunOptions {
  /** Fraction of observations localized, after each time chunk; 1 again once contacts are done. */
  onProgress?: (fraction: number) => void;
  /** AP-to-AP beacon reports (engine/observations.ts) to calibrate the ranging models from. */
  apBeacons?: ObservationBatch;
  /** Device id → holder id for devices the site binds to one person (hotZones.dedupeBound). */
  bindings?: ReadonlyMap<string, string>;
  /** Phone-to-phone RSSI, when app phones report what they hear of each other. */
  phoneRssi?: PhoneRssiBatch;
  /** A site survey (calibration walk) to build the map localizer's radio map from. */
  survey?: SurveyBatch;
}

const WORKER_URL = new URL('./worker-entry.js', import.meta.url).href;
// Two chunks in flight: workers localize one while this thread splits the next.
const CHUNKS_IN_FLIGHT = 2;

type ChunkTask = Omit<LocalizeTask, 'tMs' | 'deviceIdx' | 'apIdx' | 'rssiDbm'>;

export async function runEngine(
  site: Site,
  obs: ObservationBatch,
  config: DeepPartial<EngineConfig> = {},
  opts: RunOptions = {},
): Promise<EngineResult> {
  const cfg = resolveConfig(config);
  checkInputs(site, obs, cfg);
  const fits = opts.apBeacons && cfg.calibrate.fromApBeacons ? fitApBeacons(site, opts.apBeacons, cfg.calibrate, cfg.ranging) : {};
  cfg.ranging = calibratedRanging(site, fits, cfg);
  const layout = siteLayout(site);
  const survey = opts.survey && cfg.survey.fromSurvey ? surveyRadioMaps(site, layout, opts.survey, cfg) : { maps: {}, fits: {} };
  const base: ChunkTask = {
    localizer: cfg.localizer,
    epochMs: cfg.epochMs,
    layout,
    localize: cfg.localize,
    ranging: TECHS.map((t) => cfg.ranging[t]),
    maps: techRadioMaps(site, survey),
    deviceTech: Uint8Array.from(obs.devices, (d) => TECHS.indexOf(d.tech)),
  };
  const shards = Math.max(1, cfg.workers);
  const pool = cfg.workers > 0 && obs.length > 0 ? new Piscina({ filename: WORKER_URL, minThreads: cfg.workers, maxThreads: cfg.workers }) : null;
  const localizeShard = (task: LocalizeTask): Promise<LocalizeResult> =>
    pool === null
      ? Promise.resolve().then(() => localizeChunk(task))
      : pool.run(task, { transferList: [task.tMs.buffer, task.deviceIdx.buffer, task.apIdx.buffer, task.rssiDbm.buffer] as ArrayBuffer[] });
  const runChunk = ([start, end]: [number, number]): Promise<LocalizeResult[]> =>
    Promise.all(splitShards(obs, start, end, shards, pool === null).map((cols) => localizeShard({ ...base, ...cols })));

  const out = new EstimatesBuilder(obs.length >> 3);
  let epochs = 0;
  const inFlight: Promise<LocalizeResult[]>[] = [];
  try {
    const chunks = chunkBounds(obs.tMs, obs.length, cfg.epochMs, cfg.chunkMs);
    for (let done = 0, next = 0; done < chunks.length; done++) {
      while (next < chunks.length && next - done < CHUNKS_IN_FLIGHT) inFlight.push(runChunk(chunks[next++]));
      const parts = await inFlight.shift()!;
      mergeSorted(parts.map((p) => p.estimates), out);
      for (const p of parts) epochs += p.epochs;
      opts.onProgress?.(chunks[done][1] / obs.length);
    }
  } catch (err) {
    for (const p of inFlight) p.catch(() => {}); // the first failure is the one to report
    throw err;
  } finally {
    await pool?.destroy();
  }
  const fixes = out.build();
  // Tracking runs on this thread over the merged fixes, in (tMs, device)
  // order, so its result cannot depend on the worker count.
  // The factor from a fix's 68% radius back to its spread: the map localizer's own when it had a map.
  const radiusScale = cfg.localizer === 'map' && base.maps.some(Boolean) ? cfg.localize.mapRadiusScale : cfg.localize.errorRadiusScale;
  const estimates =
    cfg.track.filter === 'kalman' ? track(fixes, obs.devices.length, cfg, radiusScale)
    : cfg.track.filter === 'particle' ? trackParticles(fixes, obs.devices.length, base.layout, cfg.track, radiusScale)
    : fixes;
  const contacts = contactsFromTracks(estimates, obs.devices, site, cfg.epochMs, cfg.contacts);
  const journeys = buildJourneys(estimates, obs.devices, site, cfg.epochMs, cfg.journeys);
  const durationMs = obs.length ? obs.tMs[obs.length - 1] + 1 : 0;
  const hotZones = hotZonesFromFixes(estimates, obs.devices, site, durationMs, cfg.hotZones, opts.bindings);
  const phone = opts.phoneRssi ? phoneContacts(opts.phoneRssi, obs.devices, cfg.proximity) : [];
  opts.onProgress?.(1);
  return {
    estimates, contacts, phoneContacts: phone, journeys, hotZones, calibration: fits, ranging: cfg.ranging, survey: survey.fits,
    stats: { observations: obs.length, epochs },
  };
}

function track(fixes: Estimates, devices: number, cfg: EngineConfig, radiusScale: number): Estimates {
  const history = cfg.track.smooth ? newFilterHistory(fixes.length) : undefined;
  const tracked = trackKalman(fixes, newTrackState(devices), cfg.track, radiusScale, history);
  if (history) smoothTracks(tracked, history, devices, cfg.track, radiusScale, fixes.errorRadiusM);
  return tracked;
}

/**
 * [start, end) row ranges of whole chunks of chunkMs (rounded to whole
 * epochs). Boundaries use the aggregator's own epoch arithmetic, so no
 * epoch is ever split between two tasks.
 */
function chunkBounds(tMs: Float64Array, n: number, epochMs: number, chunkMs: number): [number, number][] {
  const epochsPerChunk = Math.max(1, Math.round(chunkMs / epochMs));
  const chunkOf = (t: number): number => Math.floor(Math.floor(t / epochMs) / epochsPerChunk);
  const bounds: [number, number][] = [];
  for (let start = 0; start < n; ) {
    const chunk = chunkOf(tMs[start]);
    let lo = start + 1, hi = n; // first row of a later chunk, by bisection
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (chunkOf(tMs[mid]) > chunk) hi = mid;
      else lo = mid + 1;
    }
    bounds.push([start, lo]);
    start = lo;
  }
  return bounds;
}

type Columns = Pick<LocalizeTask, 'tMs' | 'deviceIdx' | 'apIdx' | 'rssiDbm'>;

/** Rows [start, end) split by deviceIdx mod shards; copies (their buffers get transferred) unless inline. */
function splitShards(obs: ObservationBatch, start: number, end: number, shards: number, inline: boolean): Columns[] {
  if (shards === 1) {
    const cut = inline ? 'subarray' : 'slice';
    return [{ tMs: obs.tMs[cut](start, end), deviceIdx: obs.deviceIdx[cut](start, end), apIdx: obs.apIdx[cut](start, end), rssiDbm: obs.rssiDbm[cut](start, end) }];
  }
  const counts = new Uint32Array(shards);
  for (let i = start; i < end; i++) counts[obs.deviceIdx[i] % shards]++;
  const cols: Columns[] = Array.from(counts, (c) => ({
    tMs: new Float64Array(c), deviceIdx: new Uint32Array(c), apIdx: new Uint16Array(c), rssiDbm: new Float32Array(c),
  }));
  const fill = new Uint32Array(shards);
  for (let i = start; i < end; i++) {
    const s = obs.deviceIdx[i] % shards;
    const k = fill[s]++;
    const c = cols[s];
    c.tMs[k] = obs.tMs[i];
    c.deviceIdx[k] = obs.deviceIdx[i];
    c.apIdx[k] = obs.apIdx[i];
    c.rssiDbm[k] = obs.rssiDbm[i];
  }
  return cols;
}

/** One clear error for input the engine cannot use, before any work starts. */
function checkInputs(site: Site, obs: ObservationBatch, cfg: EngineConfig): void {
  if (!(cfg.localizer in LOCALIZERS)) throw new Error(`unknown localizer '${cfg.localizer}' (known: ${Object.keys(LOCALIZERS).join(', ')})`);
  if (!(cfg.contacts.detector in DETECTORS)) throw new Error(`unknown contact detector '${cfg.contacts.detector}' (known: ${Object.keys(DETECTORS).join(', ')})`);
  if (!Number.isInteger(cfg.workers) || cfg.workers < 0) throw new Error(`workers must be a whole number ≥ 0, got ${cfg.workers}`);
  for (const col of ['tMs', 'deviceIdx', 'apIdx', 'rssiDbm'] as const) {
    if (obs[col].length < obs.length) throw new Error(`observations.${col} has ${obs[col].length} rows, fewer than length ${obs.length}`);
  }
  const unknownTech = obs.devices.find((d) => !TECHS.includes(d.tech));
  if (unknownTech) throw new Error(`device ${unknownTech.id} has unknown tech '${unknownTech.tech}'`);
  for (let i = 0; i < obs.length; i++) {
    if (i > 0 && obs.tMs[i] < obs.tMs[i - 1]) throw new Error(`observations must be time-ordered: row ${i} (t=${obs.tMs[i]} ms) is earlier than row ${i - 1}`);
    if (obs.deviceIdx[i] >= obs.devices.length) throw new Error(`observation row ${i} names device ${obs.deviceIdx[i]}, but there are ${obs.devices.length} devices`);
    if (obs.apIdx[i] >= site.aps.length) throw new Error(`observation row ${i} names AP ${obs.apIdx[i]}, but the site has ${site.aps.length} APs`);
  }
}
