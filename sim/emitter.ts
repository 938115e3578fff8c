// One device's emissions through the run: on its cadence (+-10% jitter)
// while its owner is in the building, each heard by the APs of its band on
// the owner's floor. Connected Wi-Fi phones also go idle in bursts.
import type { AccessPoint, Tech } from '../engine/site.ts';
import type { DeviceSpec } from '../scenarios/types.ts';
import type { ObservationColumns } from './observations.ts';
import type { BandChannel } from './radio/channel.ts';
import { Rng } from './rng.ts';
import { ABSENT_FLOOR, TrackCursor } from './track.ts';
import type { Track } from './types.ts';

const JITTER = 0.1;
/** Per-device RSSI offset (hardware, antenna, case) standard deviation, dB. */
const DEVICE_OFFSET_SIGMA_DB = 2;
/** Connected Wi-Fi idle gaps, a two-state Markov chain over report slots: idle 0.05 / (0.05 + 0.2) = 20% of slots, ~5 slots per gap. */
const WIFI_GO_IDLE = 0.05;
const WIFI_WAKE = 0.2;

export class DeviceEmitter {
  private nextMs: number;
  private idle = false;
  private readonly intervalMs: number;
  private readonly offsetDb: number;
  private readonly cursor: TrackCursor;
  private readonly rng: Rng;
  // Mean RSSI per AP of the floor, recomputed only when the device moves (people sit most of the day).
  private cachedX = NaN;
  private cachedY = NaN;
  private cachedFloor = ABSENT_FLOOR;
  private aps: Uint16Array = new Uint16Array(0);
  private readonly meanDbm: Float64Array;
  private readonly lineOfSight: Uint8Array;

  constructor(
    private readonly deviceIdx: number,
    private readonly tech: Tech,
    private readonly spec: DeviceSpec,
    track: Track,
    private readonly channel: BandChannel,
    private readonly siteAps: readonly AccessPoint[],
    seed: number,
    ownerIdx: number,
  ) {
    this.rng = new Rng(seed, `emissions:${tech}:${ownerIdx}`);
    this.offsetDb = this.rng.normal(0, DEVICE_OFFSET_SIGMA_DB);
    this.intervalMs = spec.intervalS * 1000;
    this.cursor = new TrackCursor(track);
    const arrival = track.floor.findIndex((f) => f !== ABSENT_FLOOR);
    this.nextMs = arrival < 0 ? Infinity : Math.round(track.tMs[arrival] + this.rng.uniform(0, this.intervalMs));
    this.meanDbm = new Float64Array(siteAps.length);
    this.lineOfSight = new Uint8Array(siteAps.length);
  }

  /** Appends every reception of emissions before `endMs` (rows in time order, APs ascending). */
  emitUntil(endMs: number, out: ObservationColumns): void {
    while (this.nextMs < endMs) {
      const tMs = this.nextMs;
      this.nextMs = tMs + Math.max(1, Math.round(this.intervalMs * (1 + this.rng.uniform(-JITTER, JITTER))));
      if (this.tech === 'wifi') {
        this.idle = this.rng.chance(this.idle ? 1 - WIFI_WAKE : WIFI_GO_IDLE);
        if (this.idle) continue;
      }
      this.cursor.seek(tMs);
      if (this.cursor.floor === ABSENT_FLOOR) continue;
      this.updateMeans();
      for (let k = 0; k < this.aps.length; k++) {
        const ap = this.aps[k];
        const rssiDbm = this.channel.receive(this.meanDbm[ap], this.lineOfSight[ap] === 1, this.rng);
        if (!Number.isNaN(rssiDbm)) out.push(tMs, this.deviceIdx, ap, rssiDbm);
      }
    }
  }

  private updateMeans(): void {
    const { x, y, floor } = this.cursor;
    if (x === this.cachedX && y === this.cachedY && floor === this.cachedFloor) return;
    this.cachedX = x;
    this.cachedY = y;
    this.cachedFloor = floor;
    this.aps = this.channel.apsOn(floor);
    for (const ap of this.aps) {
      // ble-app phones listen to the AP's beacon; everything else is heard by the AP.
      const txDbm = this.tech === 'ble-app' ? this.siteAps[ap].radios.ble!.txPowerDbm : this.spec.txPowerDbm;
      this.meanDbm[ap] = this.channel.meanRxDbm(ap, txDbm, this.offsetDb, x, y);
      this.lineOfSight[ap] = this.channel.lineOfSight ? 1 : 0;
    }
  }
}
