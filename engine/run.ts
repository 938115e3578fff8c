// The engine's entry point: observations + site map in, estimates and
// contacts out, in three stages over piscina threads (or inline when
// workers = 0), each split so that its result cannot depend on the worker count:
//   1. localization by time chunk × device shard (deviceIdx mod shards);
//   2. per shard, the whole day: tracking, smoothing and journeys (per device);
//   3. contacts by time slab (chunkMs) over every shard's tracks, summed over slabs.
// Phone contacts are a task of their own. Calibration's parts (each survey
// band's map and each technology's fit, then each device offset from its
// map) run on the pool before stage 1.
// This thread only samples the log for them, hands out chunks and merges
// results, then counts hot zones from the merged fixes.
import { Piscina } from 'piscina';
import { resolveConfig, type DeepPartial, type EngineConfig } from './config.ts';
import type { BandFit } from './calibrate/ap-beacons.ts';
import type { RangingSettings } from './calibrate/ranging.ts';
import type { SurveyFit, SurveyRadioMaps } from './calibrate/survey-map.ts';
import { contactSlab, SlabContactTotals, type ContactSlabTask, type SlabPairs } from './contacts/slab.ts';
import { calibrate, calibrateOn, type CalibrationParts, type TechCalibration } from './pipeline/calibration.ts';
import { declaredRadios, joinGroups, oneApPerRadio, sameRadioGroups } from './calibrate/same-radio.ts';
import { engineContext, shareContext } from './pipeline/context.ts';
import { hotZonesFromFixes, type HotZones } from './hotzones/hot-zones.ts';
import { phoneContacts } from './proximity/phone-contacts.ts';
import type { PhoneRssiBatch } from './contract/phone-rssi.ts';
import { estimateBuffers, firstRowAt, sharedEstimates } from './pipeline/estimates.ts';
import { siteLayout } from './localize/layout.ts';
import { localizeChunk, type LocalizeResult, type LocalizeTask } from './localize/chunk.ts';
import type { ObservationBatch } from './contract/observations.ts';
import type { Contact, Estimates, ZoneVisit } from './outputs.ts';
import { toShared } from './pipeline/shared-memory.ts';
import { TECHS, type Band, type Site, type Tech } from './contract/site.ts';
import type { SurveyBatch } from './contract/survey.ts';
import { spanError, timeError } from './contract/time-range.ts';
import { trackShard, type TrackShardResult } from './track/shard.ts';
import { fitWalkingBody, walkingTracks, withoutWalkingBody } from './calibrate/walking-body.ts';
import type { Envelope } from './pipeline/worker-tasks.ts';

export interface EngineResult {
  /** Sorted by (tMs, deviceIdx), whatever the worker count. */
  estimates: Estimates;
  /** Between devices of the same technology; sorted by a, b, tech. */
  contacts: Contact[];
  /** Per band fitted from AP beacons (empty without them); the ranging used is in `ranging`. */
  calibration: Partial<Record<Band, BandFit>>;
  ranging: RangingSettings;
  /** Per technology in the log: where its ranging came from (AP beacons, survey, the log itself, defaults) and how well it fits. */
  calibrationSources: Partial<Record<Tech, TechCalibration>>;
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
  /** Fraction of observations localized, after each time chunk (a second pass, when the carriers' bodies are taken out, counts again from 0); 1 again once contacts are done. */
  onProgress?: (fraction: number) => void;
  /** AP-to-AP beacon reports (engine/contract/observations.ts) to calibrate the ranging models from. */
  apBeacons?: ObservationBatch;
  /** Device id → holder id for devices the site binds to one person (hotZones.dedupeBound). */
  bindings?: ReadonlyMap<string, string>;
  /** Phone-to-phone RSSI, when app phones report what they hear of each other. */
  phoneRssi?: PhoneRssiBatch;
  /** A site survey (calibration walk) to build the map localizer's radio map from. */
  survey?: SurveyBatch;
  /** Radio maps built beforehand (surveyRadioMaps' output, e.g. kept from an earlier run): used instead of building them from `survey`. */
  radioMaps?: SurveyRadioMaps;
}

const WORKER_URL = new URL('./pipeline/worker-entry.js', import.meta.url).href;
// Two chunks in flight: workers localize one while this thread copies out the next.
const CHUNKS_IN_FLIGHT = 2;
// Device shards per worker: a shard's whole-day tracking holds its fixes,
// filter history and journeys at once, so smaller shards bound a worker's
// peak memory (results do not depend on the shard count: all per device).
const SHARDS_PER_WORKER = 2;

export async function runEngine(
  site: Site,
  obs: ObservationBatch,
  config: DeepPartial<EngineConfig> = {},
  opts: RunOptions = {},
): Promise<EngineResult> {
  const cfg = resolveConfig(config);
  // Started first: the workers load their code while this thread checks the input.
  const pool = cfg.run.workers > 0 && obs.length > 0 ? new Piscina({ filename: WORKER_URL, minThreads: cfg.run.workers, maxThreads: cfg.run.workers }) : null;
  try {
    // The pool reports a failure outside any task (a worker dying idle, a
    // message for no task) as an 'error' event: unheard, that is an uncaught
    // exception and a raw stack. It fails the run instead, as one line.
    const poolFailed = new Promise<never>((_, reject) => {
      pool?.on('error', (err: unknown) => reject(new Error(`an engine worker failed: ${oneLine(err)}`)));
    });
    poolFailed.catch(() => {});
    // Every task is awaited later or abandoned after the first failure (a task's or the pool's), which is the one reported.
    const watch = <T>(p: Promise<T>): Promise<T> => {
      const settled = Promise.race([p, poolFailed]);
      settled.catch(() => {});
      return settled;
    };
    checkObservations(site, obs);
    const rows = obs.length;
    // One radio's BSSIDs read as one AP, those the site map names and those the log shows (maps built beforehand hold what they hold: left as they are).
    const named = declaredRadios(site), groups = joinGroups([...named, ...(cfg.calibrate.sameRadioFromLog ? sameRadioGroups(obs) : [])]);
    const declared = groups.filter((g) => named.some((n) => g.includes(n[0]))).length;
    const radios = opts.radioMaps ? null : oneApPerRadio(obs, opts.survey, groups, named);
    if (radios && radios.left > 0) {
      obs = radios.log;
      opts = { ...opts, survey: radios.survey };
    }
    const layout = siteLayout(site);
    // Calibration's parts side by side on the pool, when there is one.
    const inputs = { ...opts, log: obs };
    const parts: CalibrationParts | null = pool && {
      band: (t) => watch(pool.run(t, { name: 'surveyBand' })),
      tech: (t) => watch(pool.run(t, { name: 'calibrateTech' })),
      offset: (t) => watch(pool.run(t, { name: 'mapOffset' })),
    };
    const { fits, survey, data, sources } = parts ? await calibrateOn(parts, site, obs.devices, cfg, layout, inputs) : calibrate(site, obs.devices, cfg, layout, inputs);
    if (radios && radios.left > 0) {
      for (const tech of ['wifi', 'wifi-probe'] as const) if (sources[tech]) sources[tech] = { ...sources[tech], sameRadio: { groups: radios.groups, left: radios.left, declared, radios: radios.radios.map((g) => g.map((a) => site.aps[a].id)) } };
    }
    const { ranging } = data;
    const shards = cfg.run.workers > 0 ? cfg.run.workers * SHARDS_PER_WORKER : 1;
    const context = pool ? shareContext(data) : null;
    const post = <T, R>(name: string, task: T, transferList?: ArrayBuffer[]): Promise<R> => pool!.run({ context: context!, task } satisfies Envelope<T>, { name, transferList });
    const inline = pool === null ? engineContext(data, layout) : null;
    const later = <T>(job: () => T): Promise<T> => Promise.resolve().then(job);
    const tasks = {
      localize: (t: LocalizeTask): Promise<LocalizeResult> => (pool ? post('localize', t) : later(() => localizeChunk(inline!, t))),
      track: (parts: Estimates[]): Promise<TrackShardResult> => (pool ? post('track', parts, parts.flatMap(estimateBuffers)) : later(() => trackShard(inline!, parts))),
      contacts: (t: ContactSlabTask): Promise<SlabPairs> => (pool ? post('contacts', t) : later(() => contactSlab(inline!, t))),
      phone: (b: PhoneRssiBatch): Promise<Contact[]> => (pool ? post('phone', sharedPhoneRssi(b)) : later(() => phoneContacts(b, obs.devices, cfg.proximity))),
    };

    // Phone contacts need no fixes: a task of their own, queued behind the first chunks.
    let phone: Promise<Contact[]> | undefined;
    const startPhone = (): Promise<Contact[]> => watch(opts.phoneRssi ? tasks.phone(opts.phoneRssi) : Promise.resolve([]));
    /** 1. Localization, chunk by chunk; 2. tracking and journeys, per shard. */
    const locateAndTrack = async (rows: ObservationBatch, progress?: (fraction: number) => void): Promise<{ shardResults: TrackShardResult[]; epochs: number }> => {
      const fixParts: Estimates[][] = Array.from({ length: shards }, () => []);
      let epochs = 0;
      const chunks = chunkBounds(rows.tMs, rows.length, cfg.ingest.epochMs, cfg.run.chunkMs);
      const inFlight: Promise<LocalizeResult[]>[] = [];
      for (let done = 0, next = 0; done < chunks.length; done++) {
        while (next < chunks.length && next - done < CHUNKS_IN_FLIGHT) {
          const cols = chunkColumns(rows, chunks[next++], pool !== null);
          inFlight.push(watch(Promise.all(Array.from({ length: shards }, (_, shard) => tasks.localize({ ...cols, shard, shards })))));
        }
        phone ??= startPhone();
        const parts = await inFlight.shift()!;
        parts.forEach((p, s) => {
          fixParts[s].push(p.estimates);
          epochs += p.epochs;
        });
        progress?.(chunks[done][1] / rows.length);
      }
      phone ??= startPhone(); // no observations, no chunks
      return { shardResults: await watch(Promise.all(fixParts.map((parts) => tasks.track(parts)))), epochs };
    };
    const located = await locateAndTrack(obs, opts.onProgress);
    const { epochs } = located;
    let { shardResults } = located;
    // The walking body, where the log's tracks tell one: taken out of the readings, and the log located again.
    if (cfg.walkingBody.fromLog && data.maps.some(Boolean)) {
      const walks = walkingTracks(shardResults.map((r) => r.tracked), obs.devices.length, cfg.ingest.epochMs, cfg.walkingBody);
      const bodies = fitWalkingBody(layout, obs, walks, data.maps, cfg.ingest.epochMs, cfg.walkingBody);
      bodies.forEach((b, t) => {
        if (b && sources[TECHS[t]]) sources[TECHS[t]] = { ...sources[TECHS[t]]!, walkingBody: b };
      });
      if (bodies.some((b) => b?.used)) ({ shardResults } = await locateAndTrack(withoutWalkingBody(layout, obs, walks, bodies, cfg.ingest.epochMs), opts.onProgress));
    }

    // 3. Contacts per slab; the slabs also merge the tracks into one time-ordered table.
    const tracks = shardResults.map((r) => r.tracked);
    const merged = sharedEstimates(tracks.reduce((n, t) => n + t.length, 0));
    const slabContacts = slabsOf(tracks, cfg).map((slab) => watch(tasks.contacts({ shards: tracks, ...slab, out: merged })));
    const journeys = mergeJourneys(shardResults.map((r) => r.journeys));
    const totals = new SlabContactTotals(obs.devices, site.zones.map((z) => z.id));
    for (const slab of slabContacts) totals.add(await slab);
    const phoneFound = await (phone ?? startPhone());
    // Every task is done: the shards' tracks (merged now) and the workers' heaps, each hundreds of MB at campus scale, go before this thread builds the outputs.
    tracks.length = 0;
    shardResults.length = 0;
    await pool?.destroy();
    const contacts = totals.contacts(cfg.contacts.minExposureS);
    // Hot zones count the merged fixes, complete once every slab has written its rows.
    // Over the log's own span, whatever its time origin.
    const span = obs.length ? { fromMs: obs.tMs[0], toMs: obs.tMs[obs.length - 1] + 1 } : { fromMs: 0, toMs: 0 };
    const hotZones = hotZonesFromFixes(merged, obs.devices, site, span, cfg.hotZones, opts.bindings);
    opts.onProgress?.(1);
    return {
      estimates: merged, contacts, phoneContacts: phoneFound, journeys, hotZones, calibration: fits, ranging, survey: survey.fits, calibrationSources: sources,
      stats: { observations: rows, epochs },
    };
  } finally {
    await pool?.destroy();
  }
}

/** An error's message on one line, cut short: piscina's can hold a multi-line dump of the message it did not expect. */
function oneLine(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function sharedPhoneRssi(b: PhoneRssiBatch): PhoneRssiBatch {
  return { length: b.length, tMs: toShared(b.tMs), scanner: toShared(b.scanner), advertiser: toShared(b.advertiser), rssiDbm: toShared(b.rssiDbm) };
}

/** Slabs of chunkMs (whole epochs) from the earliest to the latest track row, and where each one's rows start in the merged table. */
function slabsOf(tracks: readonly Estimates[], cfg: EngineConfig): Omit<ContactSlabTask, 'shards' | 'out'>[] {
  const slabMs = Math.max(1, Math.round(cfg.run.chunkMs / cfg.ingest.epochMs)) * cfg.ingest.epochMs;
  const nonEmpty = tracks.filter((t) => t.length > 0);
  if (nonEmpty.length === 0) return [];
  const first = Math.floor(Math.min(...nonEmpty.map((t) => t.tMs[0])) / slabMs);
  const last = Math.floor(Math.max(...nonEmpty.map((t) => t.tMs[t.length - 1])) / slabMs);
  const slabs: Omit<ContactSlabTask, 'shards' | 'out'>[] = [];
  for (let k = first; k <= last; k++) {
    const fromMs = k * slabMs;
    slabs.push({ fromMs, toMs: fromMs + slabMs, outAt: tracks.reduce((n, t) => n + firstRowAt(t, fromMs), 0) });
  }
  return slabs;
}

/** The shards' journeys (each sorted by device id, then enter time) in one list in that order. */
function mergeJourneys(lists: readonly ZoneVisit[][]): ZoneVisit[] {
  const out: ZoneVisit[] = [];
  const pos = new Uint32Array(lists.length);
  const before = (p: ZoneVisit, q: ZoneVisit): boolean => p.deviceId < q.deviceId || (p.deviceId === q.deviceId && p.enterTMs < q.enterTMs);
  for (;;) {
    let best = -1;
    for (let l = 0; l < lists.length; l++) {
      if (pos[l] < lists[l].length && (best < 0 || before(lists[l][pos[l]], lists[best][pos[best]]))) best = l;
    }
    if (best < 0) return out;
    out.push(lists[best][pos[best]++]);
  }
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

/** Rows [start, end) as views when inline or already in shared memory, else copied once into shared memory that every shard's task reads. */
function chunkColumns(obs: ObservationBatch, [start, end]: [number, number], shared: boolean): Columns {
  const cut = <T extends Float64Array | Uint32Array | Uint16Array | Float32Array>(col: T): T => {
    const view = col.subarray(start, end) as T;
    return shared ? toShared(view) : view;
  };
  return { tMs: cut(obs.tMs), deviceIdx: cut(obs.deviceIdx), apIdx: cut(obs.apIdx), rssiDbm: cut(obs.rssiDbm) };
}

/** One clear error for observations the engine cannot use, before any work is handed out. */
function checkObservations(site: Site, obs: ObservationBatch): void {
  const unplaced = site.aps.find((ap) => Number.isNaN(ap.x) || Number.isNaN(ap.y));
  if (unplaced) throw new Error(`AP ${unplaced.id} has no place: place it first (engine/calibrate/ap-placement.ts)`);
  for (const col of ['tMs', 'deviceIdx', 'apIdx', 'rssiDbm'] as const) {
    if (obs[col].length < obs.length) throw new Error(`observations.${col} has ${obs[col].length} rows, fewer than length ${obs.length}`);
  }
  const unknownTech = obs.devices.find((d) => !TECHS.includes(d.tech));
  if (unknownTech) throw new Error(`device ${unknownTech.id} has unknown tech '${unknownTech.tech}'`);
  if (obs.length > 0) {
    const first = { tMs: obs.tMs[0], at: 0 }, last = { tMs: obs.tMs[obs.length - 1], at: obs.length - 1 };
    for (const { tMs, at } of [first, last]) if (timeError(tMs)) throw new Error(`observation row ${at}: ${timeError(tMs)}`);
    const long = spanError(first, last, (first.tMs + last.tMs) / 2);
    if (long) throw new Error(`observation row ${long.at}: ${long.message}`);
  }
  for (let i = 0; i < obs.length; i++) {
    if (i > 0 && obs.tMs[i] < obs.tMs[i - 1]) throw new Error(`observations must be time-ordered: row ${i} (t=${obs.tMs[i]} ms) is earlier than row ${i - 1}`);
    if (obs.deviceIdx[i] >= obs.devices.length) throw new Error(`observation row ${i} names device ${obs.deviceIdx[i]}, but there are ${obs.devices.length} devices`);
    if (obs.apIdx[i] >= site.aps.length) throw new Error(`observation row ${i} names AP ${obs.apIdx[i]}, but the site has ${site.aps.length} APs`);
  }
}
