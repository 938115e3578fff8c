// One band's radio channel: the chain of loss models composed in one place.
//   rx = tx - pathLoss(3-D distance) - walls - shadowing + deviceOffset + fading
// then packet loss, rounding to whole dBm (as APs report) and receiver sensitivity.
// Links are reciprocal, so the same chain serves uplink (device -> AP) and
// downlink (AP beacon -> phone). Only APs on the device's floor are heard.
import type { Band } from '../../engine/site.ts';
import type { BandRadio, ScenarioSite } from '../../scenarios/types.ts';
import { Rng } from '../rng.ts';
import { rayleighFadingDb, ricianFadingDb } from './fading.ts';
import { logDistanceLossDb } from './pathLoss.ts';
import { ShadowingField } from './shadowing.ts';
import { packWalls, wallLossDb, type PackedWalls } from './walls.ts';

export const AP_HEIGHT_M = 2.5;
export const DEVICE_HEIGHT_M = 1.2;
const HEIGHT_DIFF_SQ = (AP_HEIGHT_M - DEVICE_HEIGHT_M) ** 2;

export class BandChannel {
  /** Set by meanRxDbm: false when the link crosses a wall with loss (then fading is Rayleigh). */
  lineOfSight = true;
  private readonly apsByFloor = new Map<number, Uint16Array>();
  private readonly wallsByFloor = new Map<number, PackedWalls>();
  /** Per AP index; null when the AP has no radio on this band or shadowing is off. */
  private readonly shadowing: (ShadowingField | null)[];
  private readonly kLinear: number;

  constructor(private readonly site: ScenarioSite, band: Band, private readonly params: BandRadio, seed: number) {
    this.kLinear = 10 ** (params.ricianKDb / 10);
    for (const floor of site.floors) {
      const aps = site.aps.flatMap((ap, i) => (ap.floor === floor.id && ap.radios[band] ? [i] : []));
      this.apsByFloor.set(floor.id, Uint16Array.from(aps));
      this.wallsByFloor.set(floor.id, packWalls(site.walls.filter((w) => w.floor === floor.id)));
    }
    this.shadowing = site.aps.map((ap) => {
      if (!ap.radios[band] || params.shadowingSigmaDb <= 0) return null;
      const floor = site.floors.find((f) => f.id === ap.floor);
      if (!floor) throw new Error(`AP "${ap.id}" is on floor ${ap.floor}, which the site does not define`);
      const rng = new Rng(seed, `shadowing:${ap.id}:${band}`);
      return new ShadowingField(floor.widthM, floor.heightM, params.shadowingSigmaDb, params.shadowingDecorrelationM, rng);
    });
  }

  /** Indices of the APs with a radio on this band on `floor`. */
  apsOn(floor: number): Uint16Array {
    return this.apsByFloor.get(floor) ?? new Uint16Array(0);
  }

  /** Received power before fading for a device at (x, y) on the AP's floor; sets `lineOfSight`. */
  meanRxDbm(apIdx: number, txDbm: number, deviceOffsetDb: number, x: number, y: number): number {
    const ap = this.site.aps[apIdx];
    const dx = x - ap.x;
    const dy = y - ap.y;
    const distanceM = Math.sqrt(dx * dx + dy * dy + HEIGHT_DIFF_SQ);
    const wallsDb = wallLossDb(this.wallsByFloor.get(ap.floor)!, ap.x, ap.y, x, y);
    this.lineOfSight = wallsDb === 0;
    const shadowDb = this.shadowing[apIdx]?.atDb(x, y) ?? 0;
    return txDbm - logDistanceLossDb(distanceM, this.params.refLossDbAt1m, this.params.pathLossExponent) - wallsDb - shadowDb + deviceOffsetDb;
  }

  /** One reception of a link with this mean: whole dBm, or NaN when lost or too weak. */
  receive(meanDbm: number, lineOfSight: boolean, rng: Rng): number {
    if (rng.chance(this.params.packetLoss)) return NaN;
    const fadingDb = lineOfSight ? ricianFadingDb(this.kLinear, rng) : rayleighFadingDb(rng);
    const rssiDbm = Math.round(meanDbm + fadingDb);
    return rssiDbm < this.params.sensitivityDbm ? NaN : rssiDbm;
  }
}
