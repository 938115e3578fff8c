// What a report needs from a run folder (see bench/harness/write-run.ts), read from
// its files: metrics, the site, per-technology localization errors, true
// occupancy, one device's true and estimated track, and the optional tables
// other stages write (hotzones.arrow, journeys.arrow), and the engine config
// it recorded (config.json).
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Table } from 'apache-arrow';
import { TrackCursor } from '../sim/track.ts';
import { readArrowTable } from '../engine/io/read-arrow.ts';
import { readEstimates } from '../engine/io/estimates-table.ts';
import type { Site } from '../engine/contract/site.ts';
import type { EngineConfig } from '../engine/config.ts';
import { CONFIG_FILE, readConfigFile } from '../engine/io/config-file.ts';
import { readJsonFile } from '../engine/io/json-file.ts';
import type { Track } from '../sim/types.ts';
import type { AsRead, Metrics } from './schemas/metrics.ts';
import { loadScenario } from '../scenarios/load.ts';
import type { RadioEffects, Scenario } from '../scenarios/types.ts';
import { RADIO_PRESETS } from '../scenarios/validate.ts';
import { InputError } from '../engine/contract/input-error.ts';

export interface RunData {
  dir: string;
  /** The parts of metrics.json a report shows (other stages add keys). */
  metrics: AsRead<Pick<Metrics, 'scenario' | 'seed' | 'perTech'>>;
  site: Site;
  /** The engine config the run recorded; null for a folder from before run folders recorded it. */
  config: EngineConfig | null;
  durationS: number;
  /** The radio world the run was simulated in, one phrase (radioWorld). */
  world: string;
  /** Truth positions are sampled this often, seconds. */
  sampleIntervalS: number;
  /** Horizontal error of every fix, per technology, sorted ascending. */
  errorsByTech: Record<string, Float64Array>;
  /** Truth position samples per floor (for the occupancy heatmap). */
  truthSamples: { x: Float32Array; y: Float32Array; floor: Int16Array };
  /** The device with the most fixes of the first technology present. */
  track: DeviceTrack | null;
  hotZones: { zone: string; raisedTMs: number; clearedTMs: number | null }[] | null;
}

export interface DeviceTrack {
  deviceId: string;
  tech: string;
  personId: string;
  truth: { tMs: number; x: number; y: number; floor: number; zoneId: string | null }[];
  estimates: { tMs: number; x: number; y: number; floor: number }[];
  /** Engine zone visits of this device, when the run has journeys.arrow. */
  visits: { zone: string; enterTMs: number; exitTMs: number }[] | null;
}

function readTable(dir: string, file: string): Table {
  const path = join(dir, file);
  if (!existsSync(path)) throw new InputError(`${path}: missing (is this a ctsim run folder?)`);
  return readArrowTable(path);
}

function readJson<T>(dir: string, file: string): T {
  return readJsonFile(join(dir, file), 'missing (is this a ctsim run folder?)') as T;
}

function column<T>(table: Table, name: string, file: string): T[] {
  const col = table.getChild(name);
  if (!col) throw new InputError(`${file}: no column '${name}'`);
  return col.toArray() as T[];
}

/** How a report names a run among `runs`: scenario and seed, and its folder where another run shares both (two scenarios of one name). */
export function runLabel(r: RunData, runs: readonly RunData[]): string {
  const label = `${r.metrics.scenario} seed ${r.metrics.seed}`;
  const shared = runs.some((o) => o !== r && o.metrics.scenario === r.metrics.scenario && o.metrics.seed === r.metrics.seed);
  return shared ? `${label} (${basename(resolve(r.dir))})` : label;
}

export function readRun(dir: string): RunData {
  const metrics = readJson<RunData['metrics']>(dir, 'metrics.json');
  if (typeof metrics?.perTech !== 'object' || metrics.perTech === null) throw new InputError(`${join(dir, 'metrics.json')}: no perTech section`);
  const scenario = loadScenario(join(dir, 'scenario.json'));
  const truth = readTable(dir, 'truth.arrow');
  const devicesT = readTable(dir, 'truth-devices.arrow');
  const tf = join(dir, 'truth.arrow');
  const truthCols = {
    tMs: Float64Array.from(column<number>(truth, 'tMs', tf)),
    person: Array.from(column<string>(truth, 'personId', tf)),
    x: Float32Array.from(column<number>(truth, 'x', tf)),
    y: Float32Array.from(column<number>(truth, 'y', tf)),
    floor: Int16Array.from(column<number>(truth, 'floor', tf)),
    zone: Array.from(column<string | null>(truth, 'zoneId', tf)),
  };
  const tracks = tracksByPerson(truthCols);
  const df = join(dir, 'truth-devices.arrow');
  const deviceIds = Array.from(column<string>(devicesT, 'deviceId', df));
  const deviceTech = Array.from(column<string>(devicesT, 'tech', df));
  const devicePerson = Array.from(column<string>(devicesT, 'personId', df));
  const deviceRow = new Map(deviceIds.map((id, i) => [id, i]));

  const ef = join(dir, 'estimates.arrow');
  if (!existsSync(ef)) throw new InputError(`${ef}: missing (is this a ctsim run folder?)`);
  // Through the engine's own reader: column types, known technologies, finite times and positions checked.
  const { est, devices } = readEstimates(ef);
  const e = { tMs: est.tMs, device: Array.from(est.deviceIdx, (k) => devices[k].id), x: est.x, y: est.y, floor: est.floor };
  const errors: Record<string, number[]> = {};
  const fixes = new Map<string, number>();
  // One forward cursor per device: its fixes come in time order, so each steps on from the last.
  const cursors: (TrackCursor | null | undefined)[] = new Array(deviceIds.length);
  for (let i = 0; i < e.tMs.length; i++) {
    const d = deviceRow.get(e.device[i]);
    if (d === undefined) throw new InputError(`${ef}: row ${i} names device '${e.device[i]}', not in truth-devices.arrow`);
    if (cursors[d] === undefined) {
      const track = tracks.get(devicePerson[d]);
      cursors[d] = track ? new TrackCursor(track) : null;
    }
    const p = cursors[d];
    if (!p) continue;
    p.seek(e.tMs[i]);
    if (p.floor < 0) continue;
    (errors[deviceTech[d]] ??= []).push(Math.hypot(e.x[i] - p.x, e.y[i] - p.y));
    fixes.set(e.device[i], (fixes.get(e.device[i]) ?? 0) + 1);
  }
  const errorsByTech = Object.fromEntries(Object.entries(errors).map(([t, xs]) => [t, Float64Array.from(xs).sort()]));

  return {
    dir,
    metrics,
    site: scenario.site,
    config: readConfigFile(join(dir, CONFIG_FILE)),
    durationS: scenario.durationS,
    world: radioWorld(scenario),
    sampleIntervalS: scenario.truth.sampleIntervalS,
    errorsByTech,
    truthSamples: { x: truthCols.x, y: truthCols.y, floor: truthCols.floor },
    track: pickTrack(dir, e, fixes, { deviceIds, deviceTech, devicePerson }, truthCols),
    hotZones: existsSync(join(dir, 'hotzones.arrow')) ? readHotZones(dir) : null,
  };
}

/**
 * Which radio world a scenario ran in, as a report states it: the realistic
 * or ideal preset when its effects are exactly one's, else the effects it
 * adds to the ideal world or leaves out of the realistic one; and the survey's age.
 */
export function radioWorld(scenario: Scenario): string {
  const on = (Object.keys(scenario.radio.effects) as (keyof RadioEffects)[]).filter((k) => scenario.radio.effects[k]);
  const realistic = on.length === Object.keys(scenario.radio.effects).length;
  const extra = on.filter((k) => !RADIO_PRESETS.ideal[k]);
  const missing = (Object.keys(scenario.radio.effects) as (keyof RadioEffects)[]).filter((k) => !scenario.radio.effects[k]);
  const radio = realistic ? 'realistic radio (every effect on)'
    : extra.length === 0 && missing.every((k) => !RADIO_PRESETS.ideal[k]) ? 'ideal radio (the kind world: an upper bound)'
    : extra.length <= missing.length ? `ideal radio plus ${extra.join(', ')}` : `realistic radio without ${missing.join(', ')}`;
  const survey = scenario.survey === null ? 'no survey' : scenario.survey.ageDays === 0 ? 'survey taken that day' : `survey ${scenario.survey.ageDays} days old`;
  return `${radio}, ${survey}`;
}

function tracksByPerson(t: { tMs: Float64Array; person: string[]; x: Float32Array; y: Float32Array; floor: Int16Array }): Map<string, Track> {
  const rows = new Map<string, number[]>();
  t.person.forEach((p, i) => {
    const r = rows.get(p);
    if (r) r.push(i);
    else rows.set(p, [i]);
  });
  const tracks = new Map<string, Track>();
  for (const [p, r] of rows) {
    r.sort((a, b) => t.tMs[a] - t.tMs[b]);
    tracks.set(p, {
      tMs: Float64Array.from(r, (i) => t.tMs[i]), x: Float32Array.from(r, (i) => t.x[i]),
      y: Float32Array.from(r, (i) => t.y[i]), floor: Int16Array.from(r, (i) => t.floor[i]),
    });
  }
  return tracks;
}

/** Among devices of the first scored device's technology, the one with the most fixes; ties to the smaller id. */
function pickTrack(
  dir: string,
  e: { tMs: ArrayLike<number>; device: string[]; x: ArrayLike<number>; y: ArrayLike<number>; floor: ArrayLike<number> },
  fixes: Map<string, number>,
  dev: { deviceIds: string[]; deviceTech: string[]; devicePerson: string[] },
  truth: { tMs: Float64Array; person: string[]; x: Float32Array; y: Float32Array; floor: Int16Array; zone: (string | null)[] },
): DeviceTrack | null {
  let best = -1;
  for (let d = 0; d < dev.deviceIds.length; d++) {
    const n = fixes.get(dev.deviceIds[d]) ?? 0;
    if (n === 0) continue;
    if (best < 0) { best = d; continue; }
    const firstTech = dev.deviceTech[best];
    if (dev.deviceTech[d] !== firstTech) continue;
    const nb = fixes.get(dev.deviceIds[best]) ?? 0;
    if (n > nb || (n === nb && dev.deviceIds[d] < dev.deviceIds[best])) best = d;
  }
  if (best < 0) return null;
  const deviceId = dev.deviceIds[best];
  const personId = dev.devicePerson[best];
  const truthRows: DeviceTrack['truth'] = [];
  for (let i = 0; i < truth.tMs.length; i++) {
    if (truth.person[i] === personId) truthRows.push({ tMs: truth.tMs[i], x: truth.x[i], y: truth.y[i], floor: truth.floor[i], zoneId: truth.zone[i] });
  }
  truthRows.sort((a, b) => a.tMs - b.tMs);
  const estimates: DeviceTrack['estimates'] = [];
  for (let i = 0; i < e.tMs.length; i++) if (e.device[i] === deviceId) estimates.push({ tMs: e.tMs[i], x: e.x[i], y: e.y[i], floor: e.floor[i] });
  let visits: DeviceTrack['visits'] = null;
  if (existsSync(join(dir, 'journeys.arrow'))) {
    const j = readTable(dir, 'journeys.arrow');
    const jf = join(dir, 'journeys.arrow');
    const ids = column<string>(j, 'deviceId', jf), zones = column<string>(j, 'zone', jf);
    const enter = column<number>(j, 'enterTMs', jf), exit = column<number>(j, 'exitTMs', jf);
    visits = [];
    for (let i = 0; i < ids.length; i++) if (ids[i] === deviceId) visits.push({ zone: zones[i], enterTMs: enter[i], exitTMs: exit[i] });
  }
  return { deviceId, tech: dev.deviceTech[best], personId, truth: truthRows, estimates, visits };
}

function readHotZones(dir: string): RunData['hotZones'] {
  const t = readTable(dir, 'hotzones.arrow');
  const f = join(dir, 'hotzones.arrow');
  const zone = column<string>(t, 'zone', f), raised = column<number>(t, 'raisedTMs', f), cleared = column<number | null>(t, 'clearedTMs', f);
  return Array.from(zone, (z, i) => ({ zone: z, raisedTMs: raised[i], clearedTMs: cleared[i] ?? null }));
}
