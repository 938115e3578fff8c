// A real (or simulated) log joined with the devices' true positions: for each
// report whose device's position is known at that time, where it was, how far
// (3-D, with the simulator's AP and device heights) from the AP, the walls of
// each material and the floor slabs between them, and the power the twin's
// devices transmit. Also each emission (a device's distinct report time on a
// band) with every AP of the band that could have heard it: what the hearing
// rate and the engine's scoring read.
import { bandOf, type Band, type Site, type Tech } from '../../engine/contract/site.ts';
import type { ObservationBatch } from '../../engine/contract/observations.ts';
import { apAboveDeviceM } from '../../sim/radio/heights.ts';
import { FloorStack } from '../../sim/radio/floors.ts';
import { FloorWalls, WallsFrom } from '../../sim/radio/wall-loss.ts';
import { ABSENT_FLOOR, TrackCursor } from '../../sim/track.ts';
import { MIN_STEP_M } from '../../sim/emitter.ts';
import type { DeviceTracks } from './positions.ts';

export const BANDS: readonly Band[] = ['wifi', 'ble'];

/**
 * What the twin's devices transmit, dBm: the survey reference device's powers
 * (sim/site-survey.ts, a phone's Wi-Fi and a badge's BLE). Only the reference
 * loss fitted relative to it matters; ble-app phones hear the AP's own beacon power.
 */
export const TWIN_TX_DBM: Record<Band, number> = { wifi: 15, ble: 0 };

export function txDbmOf(site: Site, tech: Tech, apIdx: number): number {
  return tech === 'ble-app' ? site.aps[apIdx].radios.ble?.txPowerDbm ?? TWIN_TX_DBM.ble : TWIN_TX_DBM[bandOf(tech)];
}

/** Distances, walls and slabs between the site's APs and points, as the simulator's channel counts them. */
export class LinkGeometry {
  readonly materials: string[];
  private readonly floors: FloorStack;
  /** Per floor id, per AP, per material: walls of that material from that AP (only for APs on that floor). */
  private readonly walls = new Map<number, (WallsFrom[] | undefined)[]>();

  constructor(private readonly site: Site) {
    this.floors = new FloorStack(site.floors);
    this.materials = [...new Set(site.walls.map((w) => w.material))].sort();
    for (const floor of site.floors) {
      const byMaterial = this.materials.map((m) => new FloorWalls(site.walls.filter((w) => w.floor === floor.id && w.material === m).map((w) => ({ ...w, lossDb: 1 }))));
      this.walls.set(floor.id, site.aps.map((ap) => (ap.floor === floor.id ? byMaterial.map((fw) => new WallsFrom(fw, ap.x, ap.y)) : undefined)));
    }
  }

  distanceM(apIdx: number, x: number, y: number, floor: number): number {
    const ap = this.site.aps[apIdx];
    const dz = apAboveDeviceM(this.floors, this.site, ap, floor);
    return Math.hypot(x - ap.x, y - ap.y, dz);
  }

  slabs(apIdx: number, floor: number): number {
    return this.floors.slabsBetween(this.site.aps[apIdx].floor, floor);
  }

  /** Walls of each material (in `materials` order) crossed between the AP and (x, y); none between floors, as in the channel. */
  wallCounts(apIdx: number, x: number, y: number, floor: number): number[] {
    const from = this.walls.get(floor)?.[apIdx];
    return from ? from.map((w) => w.lossDb(x, y)) : this.materials.map(() => 0);
  }
}

/** Reports with a known true position, column-wise. */
export interface Samples {
  length: number;
  band: Uint8Array;
  /** Index into the log's devices. */
  device: Uint32Array;
  ap: Uint16Array;
  tMs: Float64Array;
  x: Float32Array;
  y: Float32Array;
  floor: Int16Array;
  distanceM: Float64Array;
  slabs: Uint8Array;
  /** walls[m][i]: walls of material m (LinkGeometry.materials) crossed by sample i. */
  walls: Float32Array[];
  rssiDbm: Float32Array;
  txDbm: Float32Array;
  /** Which way the device was heading (its last move between report positions, as the simulator turns a carrier), radians; NaN before it first moved. */
  headingRad: Float32Array;
}

/** One emission: a device's report time on a band, where it truly was, and which APs heard it. */
export interface Emission {
  device: number;
  band: number;
  tMs: number;
  x: number;
  y: number;
  floor: number;
  heard: Set<number>;
  /** As Samples.headingRad. */
  headingRad: number;
}

export interface JoinedLog {
  samples: Samples;
  emissions: Emission[];
}

/** Where each device of `obs` was at time tMs (NaN position outside its track's span). */
export function truthLookup(obs: ObservationBatch, tracks: DeviceTracks): (device: number, tMs: number) => { x: number; y: number; floor: number } | null {
  const cursors = obs.devices.map((d) => {
    const t = tracks.get(d.id);
    return t ? { cursor: new TrackCursor(t), first: t.tMs[0], last: t.tMs[t.tMs.length - 1] } : null;
  });
  return (device, tMs) => {
    const c = cursors[device];
    if (!c || tMs < c.first || tMs > c.last) return null;
    c.cursor.seek(tMs);
    return c.cursor.floor === ABSENT_FLOOR ? null : { x: c.cursor.x, y: c.cursor.y, floor: c.cursor.floor };
  };
}

export function joinLog(site: Site, obs: ObservationBatch, tracks: DeviceTracks, geometry = new LinkGeometry(site)): JoinedLog {
  const at = truthLookup(obs, tracks);
  const rows: number[] = [];
  const pos: { x: number; y: number; floor: number }[] = [];
  const emissions = new Map<string, Emission>();
  for (let i = 0; i < obs.length; i++) {
    const p = at(obs.deviceIdx[i], obs.tMs[i]);
    if (!p) continue;
    rows.push(i);
    pos.push(p);
    const band = BANDS.indexOf(bandOf(obs.devices[obs.deviceIdx[i]].tech));
    const key = `${obs.deviceIdx[i]}|${band}|${obs.tMs[i]}`;
    let e = emissions.get(key);
    if (!e) emissions.set(key, (e = { device: obs.deviceIdx[i], band, tMs: obs.tMs[i], ...p, heard: new Set(), headingRad: NaN }));
    e.heard.add(obs.apIdx[i]);
  }
  const n = rows.length;
  const s: Samples = {
    length: n,
    band: new Uint8Array(n), device: new Uint32Array(n), ap: new Uint16Array(n), tMs: new Float64Array(n),
    x: new Float32Array(n), y: new Float32Array(n), floor: new Int16Array(n), distanceM: new Float64Array(n), slabs: new Uint8Array(n),
    walls: geometry.materials.map(() => new Float32Array(n)), rssiDbm: new Float32Array(n), txDbm: new Float32Array(n), headingRad: new Float32Array(n),
  };
  const headings = headingsOf([...emissions.values()]);
  rows.forEach((i, k) => {
    const tech = obs.devices[obs.deviceIdx[i]].tech;
    const ap = obs.apIdx[i], p = pos[k];
    s.band[k] = BANDS.indexOf(bandOf(tech));
    s.device[k] = obs.deviceIdx[i];
    s.ap[k] = ap;
    s.tMs[k] = obs.tMs[i];
    s.x[k] = p.x;
    s.y[k] = p.y;
    s.floor[k] = p.floor;
    s.distanceM[k] = geometry.distanceM(ap, p.x, p.y, p.floor);
    s.slabs[k] = geometry.slabs(ap, p.floor);
    geometry.wallCounts(ap, p.x, p.y, p.floor).forEach((c, m) => (s.walls[m][k] = c));
    s.rssiDbm[k] = obs.rssiDbm[i];
    s.txDbm[k] = txDbmOf(site, tech, ap);
    s.headingRad[k] = headings.get(`${obs.deviceIdx[i]}|${obs.tMs[i]}`) ?? NaN;
  });
  return { samples: s, emissions: [...emissions.values()] };
}

/** Each device's heading at each of its report times (key `device|tMs`), set on the emissions too: the direction of its last move of more than MIN_STEP_M between report positions on one floor, as the twin's emitter turns its carrier. */
function headingsOf(emissions: Emission[]): Map<string, number> {
  const out = new Map<string, number>();
  const byDevice = new Map<number, Emission[]>();
  for (const e of emissions) {
    const list = byDevice.get(e.device);
    if (list) list.push(e);
    else byDevice.set(e.device, [e]);
  }
  for (const list of byDevice.values()) {
    list.sort((a, b) => a.tMs - b.tMs);
    let heading = NaN, prev: Emission | null = null;
    for (const e of list) {
      if (prev && prev.floor === e.floor && (e.x !== prev.x || e.y !== prev.y)) {
        if (Math.hypot(e.x - prev.x, e.y - prev.y) > MIN_STEP_M) heading = Math.atan2(e.y - prev.y, e.x - prev.x);
      }
      if (!prev || e.x !== prev.x || e.y !== prev.y || e.floor !== prev.floor) prev = e;
      e.headingRad = heading;
      out.set(`${e.device}|${e.tMs}`, heading);
    }
  }
  return out;
}

/** APs with a radio on `band` (index into BANDS). */
export function bandAps(site: Site, band: number): number[] {
  return site.aps.flatMap((ap, i) => (ap.radios[BANDS[band]] ? [i] : []));
}
