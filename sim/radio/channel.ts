// One band's radio channel: the chain of loss models composed in one place.
//   rx = tx + apGain - pathLoss(3-D distance) - walls - floors - shadowing + deviceGain + fading
// then packet loss, rounding to whole dBm (as APs report) and receiver
// sensitivity. deviceGain (per-device offset, body loss, BLE channel gain)
// belongs to the device and is added by its emitter. Links are reciprocal,
// so the same chain serves uplink (device -> AP) and downlink (AP beacon -> phone).
// Each effect can be switched off from the scenario (radio.effects). A
// channel for a survey taken days before the run (survey.ageDays, effect
// `drift`) adds a second field per link: how the site's field has drifted
// since (sim/radio/drift.ts).
import type { Band } from '../../engine/contract/site.ts';
import type { BandRadio, RadioEffects, ScenarioSite } from '../../scenarios/types.ts';
import { Rng } from '../rng.ts';
import { fadingTable, type FadingTable } from './fading-table.ts';
import { FloorStack } from './floors.ts';
import { logDistanceLossDb } from './path-loss.ts';
import { ShadowingField } from './shadowing.ts';
import { apAboveDeviceM, apHeightM, deviceHeightM } from './heights.ts';
import { FloorWalls, WallsFrom } from './wall-loss.ts';

/** A link's static field: its loss at (x, y), dB, and a value no point goes below. */
export interface LinkField {
  atDb(x: number, y: number): number;
  readonly minDb: number;
}

/**
 * Replaces the shadowing field of AP `apIdx` on floor `floor` (made first, from its
 * own stream, or null with shadowing off) by another: a digital twin conditions it
 * on what a real log measured (bench/twin/field-conditioning.ts).
 */
export type FieldConditioning = (apIdx: number, floor: number, field: ShadowingField | null) => LinkField | null;

/** How a digital twin's channel departs from a scenario's (bench/twin/simulate.ts). */
export interface TwinChannel {
  conditioning: FieldConditioning | null;
  /**
   * Links behind walls fade with the band's Rician K too, not Rayleigh: a twin's
   * fading is fitted on all of a log's links together (its obstacles, shelves
   * with a dB of loss, would otherwise make most links Rayleigh, 5.6 dB).
   */
  fittedFadingBehindWalls: boolean;
}

export class BandChannel {
  /** Set by meanRxDbm: false when the link crosses a wall or floor with loss (then fading is Rayleigh). */
  lineOfSight = true;
  private readonly apsByFloor = new Map<number, Uint16Array>();
  /** Index of each floor id in site.floors: links are tabled by (AP, floor index). */
  private readonly floorIndex = new Map<number, number>();
  /**
   * Per floor index and AP with a radio on this band, the floor's walls binned
   * by direction from the AP's place (made when first needed: on another
   * floor than the AP's, a link crosses them on its way down or up).
   */
  private readonly apWalls: (WallsFrom | undefined)[][];
  /** Per floor index, its walls. */
  private readonly floorWalls: FloorWalls[];
  /** Per AP, the index of its floor. */
  private readonly apFloorIdx: Int32Array;
  private readonly apX: Float64Array;
  private readonly apY: Float64Array;
  /** Each AP's own gain on this band (BandRadio.apGainDb), dB. */
  private readonly apGainDb: Float64Array;
  /** Each AP's radio: the index of its BandRadio.sameRadio group's first AP, whose fields (shadowing, drift, slow variation) and losses it shares; its own index when alone. */
  readonly radioOf: Int32Array;
  /** 1 for an AP in a BandRadio.sameRadio group. */
  readonly sharesRadio: Uint8Array;
  /** Each AP's hearing over the band's: its rate (BandRadio.apHearingRate) over 1 − packetLoss; 1 without one. */
  private readonly apHearingScale: Float64Array;
  // Per link (apIdx · floors + floor index), worked out once: meanRxDbm runs for every AP at every move of every device.
  private readonly linkDzM: Float64Array;
  private readonly deviceM: number;
  private readonly apRise: Float64Array;
  private readonly linkFloorsDb: Float64Array;
  /** A link between floors: the share of its horizontal run on the device's floor, and on the AP's (crossLinkShares). */
  private readonly linkDeviceShare: Float64Array;
  private readonly linkApShare: Float64Array;
  /** Shadowing fields per link, made when first needed (undefined until then); null when shadowing is off. */
  private readonly linkShadowing: (LinkField | null | undefined)[];
  /** Drift fields per link, made with the shadowing field; null without drift. */
  private readonly linkDrift: (ShadowingField | null)[];
  private readonly losFading: FadingTable | null;
  private readonly nlosFading: FadingTable | null;
  /** Largest fading gain, dB. */
  readonly fadingMaxDb: number;

  constructor(
    private readonly site: ScenarioSite,
    private readonly band: Band,
    private readonly params: BandRadio,
    private readonly effects: RadioEffects,
    private readonly seed: number,
    /** Sd of the field's drift between this channel's day and the run's, dB (0: the run's own day). */
    private readonly driftSigmaDb = 0,
    private readonly twin: TwinChannel | null = null,
    /** APs gone from the air on this channel's day (sim/radio/ap-turnover.ts): they hear nothing. */
    private readonly gone: ReadonlySet<number> = new Set(),
  ) {
    const floors = new FloorStack(site.floors);
    const banded = site.aps.flatMap((ap, i) => (ap.radios[band] && !gone.has(i) ? [i] : []));
    site.floors.forEach((floor, f) => {
      this.floorIndex.set(floor.id, f);
      // With floor loss modelled every AP of the building may hear the device; without it, only its own floor's.
      const aps = effects.floors ? banded : banded.filter((i) => site.aps[i].floor === floor.id);
      this.apsByFloor.set(floor.id, Uint16Array.from(aps));
    });
    this.floorWalls = site.floors.map((floor) => new FloorWalls(effects.walls ? site.walls.filter((w) => w.floor === floor.id) : []));
    this.apWalls = site.floors.map(() => site.aps.map(() => undefined));
    this.apFloorIdx = Int32Array.from(site.aps, (ap) => site.floors.findIndex((fl) => fl.id === ap.floor));
    this.apX = Float64Array.from(site.aps, (ap) => ap.x);
    this.apY = Float64Array.from(site.aps, (ap) => ap.y);
    this.apGainDb = Float64Array.from(site.aps, (ap) => params.apGainDb[ap.id] ?? 0);
    this.radioOf = Int32Array.from(site.aps.keys());
    this.sharesRadio = new Uint8Array(site.aps.length);
    const apIndex = new Map(site.aps.map((ap, i) => [ap.id, i]));
    for (const group of params.sameRadio ?? []) {
      for (const id of group) {
        this.radioOf[apIndex.get(id)!] = apIndex.get(group[0])!;
        this.sharesRadio[apIndex.get(id)!] = 1;
      }
    }
    const bandHearing = 1 - params.packetLoss;
    this.apHearingScale = Float64Array.from(site.aps, (ap) => {
      const h = params.apHearingRate?.[ap.id];
      return h === undefined || bandHearing <= 0 ? 1 : h / bandHearing;
    });
    const links = site.aps.length * site.floors.length;
    this.linkDzM = new Float64Array(links);
    this.deviceM = deviceHeightM(site);
    this.apRise = Float64Array.from(site.aps, (ap) => apHeightM(ap) - this.deviceM);
    this.linkFloorsDb = new Float64Array(links);
    this.linkDeviceShare = new Float64Array(links);
    this.linkApShare = new Float64Array(links);
    this.linkShadowing = new Array<undefined>(links).fill(undefined);
    this.linkDrift = new Array<null>(links).fill(null);
    site.aps.forEach((ap, a) => site.floors.forEach((floor, f) => {
      const link = a * site.floors.length + f;
      this.linkDzM[link] = apAboveDeviceM(floors, site, ap, floor.id);
      const slabs = floors.slabsBetween(ap.floor, floor.id);
      [this.linkDeviceShare[link], this.linkApShare[link]] = crossLinkShares(this.linkDzM[link], floors.elevationOf(ap.floor) - floors.elevationOf(floor.id), slabs, apHeightM(ap), this.deviceM);
      this.linkFloorsDb[link] = slabs * params.floorLossDb;
    }));
    this.losFading = effects.fading ? fadingTable(10 ** (params.ricianKDb / 10)) : null;
    this.nlosFading = effects.fading ? (twin?.fittedFadingBehindWalls ? this.losFading : fadingTable(0)) : null;
    this.fadingMaxDb = Math.max(this.losFading?.maxDb ?? 0, this.nlosFading?.maxDb ?? 0);
  }

  /** The devices' height above their floor, m (sim/radio/heights.ts). */
  get deviceHeightM(): number {
    return this.deviceM;
  }

  /** How far AP `apIdx` stands above a device on its own floor, m. */
  apRiseM(apIdx: number): number {
    return this.apRise[apIdx];
  }

  get sensitivityDbm(): number {
    return this.params.sensitivityDbm;
  }

  /** Whether AP `apIdx` is on the air on this channel's day. */
  onAir(apIdx: number): boolean {
    return !this.gone.has(apIdx);
  }

  /** Indices (ascending) of the APs with a radio on this band, on the air, that may hear a device on `floor`. */
  apsHearing(floor: number): Uint16Array {
    return this.apsByFloor.get(floor) ?? new Uint16Array(0);
  }

  /**
   * Received power before fading and device gain for a device at (x, y) on
   * `floor` from AP `apIdx` (one with a radio on this band, as apsHearing lists); sets `lineOfSight`. Returns -Infinity early, before tracing
   * walls, when even the field's most favourable shadowing would leave it below `minDbm`.
   */
  meanRxDbm(apIdx: number, txDbm: number, x: number, y: number, floor: number, minDbm = -Infinity): number {
    const f = this.floorIndex.get(floor)!;
    const link = apIdx * this.apWalls.length + f;
    const dx = x - this.apX[apIdx];
    const dy = y - this.apY[apIdx];
    const dz = this.linkDzM[link];
    const distanceM = Math.sqrt(dx * dx + dy * dy + dz * dz);
    const floorsDb = this.linkFloorsDb[link];
    // A BSSID of another AP's radio (radioOf) takes that radio's shadowing and drift: one antenna, one field.
    const radio = this.radioOf[apIdx], fieldLink = radio * this.apWalls.length + f;
    const made = this.linkShadowing[fieldLink];
    const field = made === undefined ? this.shadowingField(radio, floor, fieldLink) : made;
    const drift = this.linkDrift[fieldLink];
    const openDbm = txDbm + this.apGainDb[apIdx] - logDistanceLossDb(distanceM, this.params.refLossDbAt1m, this.params.pathLossExponent) - floorsDb;
    if (openDbm - (field?.minDb ?? 0) - (drift?.minDb ?? 0) < minDbm) return -Infinity;
    // Walls only take more away: below minDbm without them, the link is not traced.
    const unwalledDbm = openDbm - (field?.atDb(x, y) ?? 0) - (drift?.atDb(x, y) ?? 0);
    if (unwalledDbm < minDbm) return -Infinity;
    const wallsDb = this.apFloorIdx[apIdx] === f ? this.wallsFrom(f, apIdx).lossDb(x, y) : this.crossFloorWallsDb(apIdx, link, f, x, y);
    this.lineOfSight = wallsDb === 0 && floorsDb === 0;
    return openDbm - wallsDb - (field?.atDb(x, y) ?? 0) - (drift?.atDb(x, y) ?? 0);
  }

  /**
   * The walls a link between floors crosses: the device's floor's on the part
   * of the path below (or above) its slab, the AP's floor's on the part on the
   * AP's side, as the COST 231 multi-wall model counts every wall on the
   * direct path (COST Action 231 final report, 1999, ch. 4.7); the floors in
   * between add their slabs only.
   */
  private crossFloorWallsDb(apIdx: number, link: number, f: number, x: number, y: number): number {
    const ax = this.apX[apIdx], ay = this.apY[apIdx], td = this.linkDeviceShare[link], ta = this.linkApShare[link];
    const fromDevice = td > 0 ? this.wallsFrom(f, apIdx).lossDbOnRay(x, y, x + td * (ax - x), y + td * (ay - y)) : 0;
    const fromAp = ta > 0 ? this.wallsFrom(this.apFloorIdx[apIdx], apIdx).lossDb(ax + ta * (x - ax), ay + ta * (y - ay)) : 0;
    return fromDevice + fromAp;
  }

  /** Floor f's walls binned by direction from AP apIdx's place (apWalls). */
  private wallsFrom(f: number, apIdx: number): WallsFrom {
    return (this.apWalls[f][apIdx] ??= new WallsFrom(this.floorWalls[f], this.apX[apIdx], this.apY[apIdx]));
  }

  /** Mean of one reception's fading in dB, below 0 (deep fades weigh more in dB), dB (0 with fading off). */
  fadingMeanDb(lineOfSight: boolean): number {
    return (lineOfSight ? this.losFading : this.nlosFading)?.meanDb ?? 0;
  }

  /** Spread of one reception's fading around the link's mean, dB (0 with fading off). */
  fadingSigmaDb(lineOfSight: boolean): number {
    return (lineOfSight ? this.losFading : this.nlosFading)?.sigmaDb ?? 0;
  }

  /** The chance an emission is lost at this AP, given the emission's own loss share (sim/radio/emission-hearing.ts) and the device's hearing over the band's (Carrier.hearingScale). */
  lossShareAt(apIdx: number, lossShare = this.params.packetLoss, deviceScale = 1): number {
    const scale = this.apHearingScale[apIdx] * deviceScale;
    return scale === 1 ? lossShare : 1 - Math.min(1, (1 - lossShare) * scale);
  }

  /**
   * One reception of a link with this mean: whole dBm, or NaN when lost (with probability `lossShare`: this emission's,
   * sim/radio/emission-hearing.ts), too weak, or not detected on the ramp above sensitivity (BandRadio.sensitivityRampDb).
   */
  receive(meanDbm: number, lineOfSight: boolean, rng: Rng, lossShare = this.params.packetLoss): number {
    const fadeDb = this.fade(lineOfSight, rng, lossShare);
    return Number.isNaN(fadeDb) ? NaN : this.detect(meanDbm, fadeDb, rng);
  }

  /**
   * receive's first part: the reception's fading, dB (0 with fading off), or NaN when the packet is lost: when a
   * uniform draw falls below lossShare, `lossDraw` if given (one radio's BSSIDs are lost on one draw), else rng's.
   */
  fade(lineOfSight: boolean, rng: Rng, lossShare = this.params.packetLoss, lossDraw = NaN): number {
    if (this.effects.packetLoss && (Number.isNaN(lossDraw) ? rng.chance(lossShare) : lossDraw < lossShare)) return NaN;
    const table = lineOfSight ? this.losFading : this.nlosFading;
    return table ? table.draw(rng) : 0;
  }

  /** Whether a reception of this mean and fading reaches sensitivity (before the ramp): detect gives NaN, drawing nothing, when not. */
  reaches(meanDbm: number, fadeDb: number): boolean {
    return Math.round(meanDbm + fadeDb) >= this.params.sensitivityDbm;
  }

  /** receive's second part: the reading of a reception of this mean and fading (fade), or NaN below sensitivity or not detected on the ramp. */
  detect(meanDbm: number, fadeDb: number, rng: Rng): number {
    const rssiDbm = Math.round(meanDbm + fadeDb);
    const above = rssiDbm - this.params.sensitivityDbm, ramp = this.params.sensitivityRampDb;
    if (above < 0) return NaN;
    return ramp > 0 && above < ramp && !rng.chance(above / ramp) ? NaN : rssiDbm;
  }

  /** This channel on an earlier day whose field has drifted from this one's by `driftSigmaDb` (a survey's day): a twin's conditioned field stays the base; every AP was on the air. */
  earlierDay(driftSigmaDb: number): BandChannel {
    return new BandChannel(this.site, this.band, this.params, this.effects, this.seed, driftSigmaDb, this.twin);
  }

  /** Each (AP, floor) has its own field from its own stream, so creation order does not matter. */
  private shadowingField(apIdx: number, floor: number, link: number): LinkField | null {
    let field: ShadowingField | null = null;
    const f = this.site.floors.find((fl) => fl.id === floor)!;
    const ap = this.site.aps[apIdx];
    if (this.effects.shadowing && this.params.shadowingSigmaDb > 0) {
      const rng = new Rng(this.seed, `shadowing:${ap.id}:${this.band}:${floor}`);
      field = new ShadowingField(f.widthM, f.heightM, this.params.shadowingSigmaDb, this.params.shadowingDecorrelationM, rng);
    }
    // What moved since (furniture, people's things, AP tweaks) moves the field on the same spatial scale.
    if (this.driftSigmaDb > 0) {
      const rng = new Rng(this.seed, `drift:${ap.id}:${this.band}:${floor}`);
      this.linkDrift[link] = new ShadowingField(f.widthM, f.heightM, this.driftSigmaDb, this.params.shadowingDecorrelationM, rng);
    }
    const used = this.twin?.conditioning ? this.twin.conditioning(apIdx, floor, field) : field;
    this.linkShadowing[link] = used;
    return used;
  }
}

/**
 * For a link between floors (dz: AP height above the device, rise: the AP's
 * floor's elevation above the device's, over `slabs` storeys of equal height),
 * the shares of its horizontal run that lie on the device's floor and on the
 * AP's: the straight path runs from the device at `deviceM` above its floor to
 * the slab above it (or down to its own floor), and from the AP's slab to the
 * AP at `apM` above its floor (sim/radio/heights.ts). [0, 0] on one floor.
 */
export function crossLinkShares(dz: number, rise: number, slabs: number, apM: number, deviceM: number): [number, number] {
  if (slabs === 0 || dz === 0) return [0, 0];
  const storey = Math.abs(rise) / slabs;
  const device = rise > 0 ? storey - deviceM : deviceM;
  const ap = rise > 0 ? apM : storey - apM;
  const clamp = (v: number): number => Math.min(Math.max(v / Math.abs(dz), 0), 1);
  return [clamp(device), clamp(ap)];
}
