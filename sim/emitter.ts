// One device's emissions through the run: on its cadence while its owner is
// in the building, each heard by the APs of its band that can hear it (on
// other floors too, through the slabs). Connected Wi-Fi phones go idle in
// bursts; probing phones send a burst every 0.5-2 intervals, under a fresh
// MAC each time when randomized; BLE receptions land on one of the three
// advertising channels, each with its own gain for this device. With
// radio.effects.temporal each (device, AP) link also drifts slowly in time;
// with radio.effects.bodyOrientation the carrier's body shadows the device by
// which way they face: the way they last walked (at first a random direction),
// or their seat's facing when the scenario sets one. The world's other
// effects (sim/radio/world-effects.ts) come in one bundle: other people's
// bodies on each link's path, the device's model (offsets, directional
// antenna) and BLE advertising/scanning.
// With the Wi-Fi effects (sim/radio/wifi-client.ts) a Wi-Fi phone's frames
// follow its use and its AP's channel, and APs report summaries per interval.
import type { AccessPoint, Tech } from '../engine/contract/site.ts';
import type { BandRadio, DeviceSpec, RadioEffects } from '../scenarios/types.ts';
import type { Carrier, DeviceRegistry } from './devices.ts';
import type { ObservationColumns } from '../engine/contract/observation-columns.ts';
import type { BandChannel } from './radio/channel.ts';
import { orientationGainDb, seatKey } from './radio/body-orientation.ts';
import { advertisingGapMs, SCAN_DUTY } from './radio/ble-timing.ts';
import { blockedShare, PER_BODY_LOSS_DB } from './radio/crowd.ts';
import { ANTENNA_DEPTH_DB, antennaGainDb } from './radio/device-models.ts';
import type { WorldEffects } from './radio/world-effects.ts';
import { slowComponentDb, type TemporalParams } from './radio/temporal.ts';
import { emissionHearing } from './radio/emission-hearing.ts';
import { WifiClient, type WifiNetwork } from './radio/wifi-client.ts';
import { Rng } from './rng.ts';
import { ABSENT_FLOOR, TrackCursor } from './track.ts';
import type { Track } from './types.ts';

/** Cadence jitter of periodic emitters, +-10%. */
const JITTER = 0.1;
/** Probe bursts come every PROBE_GAP[0]..PROBE_GAP[1] intervals (60 s gives 30-120 s). */
const PROBE_GAP = [0.5, 2] as const;
/** Connected Wi-Fi idle gaps, a two-state Markov chain over report slots: idle 0.05 / (0.05 + 0.2) = 20% of slots, ~5 slots per gap. */
const WIFI_GO_IDLE = 0.05;
const WIFI_WAKE = 0.2;
/** BLE advertises on channels 37, 38 and 39. */
export const ADVERTISING_CHANNELS = 3;
/** Moves shorter than this between emissions do not turn the carrier (track interpolation noise), m. */
export const MIN_STEP_M = 0.05;

export class DeviceEmitter {
  private nextMs: number;
  /** Index of nextMs in the schedule, when there is one. */
  private scheduled = 0;
  private idle = false;
  private deviceIdx: number;
  private readonly tech: Tech;
  private readonly intervalMs: number;
  /** Per-device offset minus body loss, dB. */
  private readonly gainDb: number;
  /** Its floor above the band's sensitivity (Carrier.floorDb): detection reads its readings less it. */
  private readonly floorDb: number;
  /** Its hearing over the band's (Carrier.hearingScale). */
  private readonly hearingScale: number;
  /** Gain per advertising channel (BLE with channels modelled), else empty. */
  private readonly channelGainDb: Float64Array;
  private readonly cursor: TrackCursor;
  private readonly rng: Rng;
  // Mean RSSI per audible AP, recomputed only when the device moves (people sit most of the day).
  private cachedX = NaN;
  private cachedY = NaN;
  private cachedFloor = ABSENT_FLOOR;
  private audible: Uint16Array;
  private audibleCount = 0;
  private readonly meanDbm: Float64Array;
  private readonly lineOfSight: Uint8Array;
  /** Peak-to-trough body loss by orientation, dB (0 with the effect off). */
  private readonly orientationDepthDb: number;
  /** Which way the carrier faces, radians. */
  private headingRad: number;
  /** Draws the way it faces at each spot it stops at, and reads ahead on its track (Carrier.facesAtRandom); null: it faces the way it walked. */
  private readonly facing: { rng: Rng; ahead: TrackCursor } | null;
  /** Weakest mean (before the device's gains) an AP can be heard at: fixed per device, so worked out once. */
  private readonly minMeanDbm: number;
  /** Where the device's antenna pattern peaks against the carrier's heading, radians; NaN without device models. */
  private readonly antennaPhaseRad: number;
  /** Decides which APs scan while each advert goes out (BLE timing); null with the effect off or for non-BLE emitters. */
  private readonly scanRng: Rng | null;
  /** Slow component per AP link and when it was last drawn (NaN: never); null with the effect off. */
  /** Per radio, its loss draw for the emission at lossDrawAtMs (radioLossDraw). */
  private readonly lossDraw: Float64Array;
  private readonly lossDrawAtMs: Float64Array;
  private readonly temporal: { params: TemporalParams; rng: Rng; slowDb: Float64Array; atS: Float64Array; atX: Float64Array; atY: Float64Array; atFloor: Int32Array } | null;
  /** This phone under the Wi-Fi effects; null for BLE and with them off. */
  private readonly wifi: WifiClient | null;
  /** Draws each emission's shared loss (sim/radio/emission-hearing.ts); null when losses are independent. */
  private readonly hearing: { rng: Rng; meanHeard: number; correlation: number } | null;

  constructor(
    private readonly carrier: Carrier,
    private readonly spec: DeviceSpec,
    radio: BandRadio,
    effects: RadioEffects,
    track: Track,
    private readonly channel: BandChannel,
    private readonly siteAps: readonly AccessPoint[],
    private readonly registry: DeviceRegistry,
    seed: number,
    private readonly world: WorldEffects | null = null,
    wifiNetwork: WifiNetwork | null = null,
    /** Emission times, ascending, ms, in place of the cadence (a digital twin replays a real log's report times); null: the spec's cadence. */
    private readonly schedule: Float64Array | null = null,
  ) {
    this.tech = carrier.tech;
    this.deviceIdx = carrier.deviceIdx;
    this.rng = new Rng(seed, `emissions:${carrier.tech}:${carrier.person}`);
    // Drawn even when known, so the stream's later draws stay where they were.
    const drawnDb = this.rng.normal(0, radio.deviceOffsetSigmaDb);
    const offsetDb = carrier.offsetDb ?? drawnDb;
    this.gainDb = (effects.deviceOffsets ? offsetDb : 0) - (effects.bodyLoss ? radio.bodyLossDb[carrier.carry] : 0);
    this.floorDb = effects.deviceOffsets ? carrier.floorDb ?? 0 : 0;
    this.hearingScale = effects.packetLoss ? carrier.hearingScale ?? 1 : 1;
    const channels = carrier.tech.startsWith('ble') && effects.advertisingChannels ? ADVERTISING_CHANNELS : 0;
    this.channelGainDb = Float64Array.from({ length: channels }, () => this.rng.normal(0, radio.channelOffsetSigmaDb));
    this.intervalMs = spec.intervalS * 1000;
    this.cursor = new TrackCursor(track);
    const arrival = track.floor.findIndex((f) => f !== ABSENT_FLOOR);
    this.nextMs = arrival < 0 ? Infinity : Math.round(track.tMs[arrival] + this.rng.uniform(0, this.intervalMs));
    if (schedule) this.nextMs = schedule.length > 0 ? schedule[0] : Infinity;
    this.audible = new Uint16Array(siteAps.length);
    this.meanDbm = new Float64Array(siteAps.length);
    this.lineOfSight = new Uint8Array(siteAps.length);
    this.orientationDepthDb = effects.bodyOrientation ? radio.bodyOrientationDepthDb[carrier.carry] : 0;
    const models = world?.models?.(carrier.tech);
    if (models) {
      // Its own stream, like the heading and temporal ones, so switching an effect on leaves every other draw as it was.
      const modelRng = new Rng(seed, `device-model:${carrier.tech}:${carrier.person}`);
      const model = models[modelRng.int(models.length)];
      // A ble-app phone reports what it hears: its receiver's offset, which moves the floor of what it reports with its
      // readings (it detects what it did: the UJI library's phone1 reads 17 dB above the others and its weakest readings
      // sit 10-12 dB higher); every other device is heard: its transmitter's.
      if (carrier.tech === 'ble-app') {
        this.gainDb += model.rxOffsetDb;
        this.floorDb += Math.round(model.rxOffsetDb);
      } else this.gainDb += model.txOffsetDb;
      this.antennaPhaseRad = modelRng.uniform(-Math.PI, Math.PI);
    } else this.antennaPhaseRad = NaN;
    this.scanRng = world?.bleTiming && carrier.tech === 'ble-badge' ? new Rng(seed, `ble-scan:${carrier.person}`) : null;
    // Per person, so all of one person's devices face the same way; its own stream, like the temporal one below,
    // so switching an effect on leaves every other draw as it was.
    this.headingRad = this.orientationDepthDb > 0 || models ? new Rng(seed, `heading:${carrier.person}`).uniform(-Math.PI, Math.PI) : 0;
    this.facing = carrier.facesAtRandom ? { rng: new Rng(seed, `facing:${carrier.person}`), ahead: new TrackCursor(track) } : null;
    this.temporal = effects.temporal && radio.slowSigmaDb > 0
      ? {
          params: { slowSigmaDb: radio.slowSigmaDb, correlationS: radio.slowCorrelationS, ...(radio.slowDecorrelationM === undefined ? {} : { decorrelationM: radio.slowDecorrelationM }) },
          rng: new Rng(seed, `temporal:${carrier.tech}:${carrier.person}`),
          slowDb: new Float64Array(siteAps.length),
          atS: new Float64Array(siteAps.length).fill(NaN),
          // Where the device was at each link's last draw (floor −1: none yet).
          atX: new Float64Array(siteAps.length),
          atY: new Float64Array(siteAps.length),
          atFloor: new Int32Array(siteAps.length).fill(-1),
        }
      : null;
    this.lossDraw = new Float64Array(siteAps.length);
    this.lossDrawAtMs = new Float64Array(siteAps.length).fill(NaN);
    this.hearing = effects.packetLoss && radio.packetLossCorrelation > 0
      ? { rng: new Rng(seed, `hearing:${carrier.tech}:${carrier.person}`), meanHeard: 1 - radio.packetLoss, correlation: radio.packetLossCorrelation }
      : null;
    this.wifi = wifiNetwork && carrier.tech.startsWith('wifi') ? new WifiClient(wifiNetwork, carrier.tech === 'wifi-probe', spec.txPowerDbm, seed, carrier.person) : null;
    let peakGainDb = this.gainDb + channel.fadingMaxDb;
    if (this.channelGainDb.length > 0) peakGainDb += Math.max(...this.channelGainDb);
    // The slow component rarely climbs past 4 sd (3e-5 of draws); an AP pruned here misses only those.
    if (this.temporal) peakGainDb += 4 * this.temporal.params.slowSigmaDb;
    peakGainDb += this.orientationDepthDb / 2;
    if (models) peakGainDb += ANTENNA_DEPTH_DB / 2;
    // Below this mean not even the strongest fade rounds up to sensitivity.
    this.minMeanDbm = channel.sensitivityDbm + this.floorDb - 0.5 - peakGainDb;
  }

  /** Appends every reception of emissions before `endMs` (rows in time order, APs ascending). */
  emitUntil(endMs: number, out: ObservationColumns): void {
    while (this.nextMs < endMs) {
      const tMs = this.nextMs;
      const trafficMs = this.wifi ? this.wifi.nextFrameMs(tMs) : NaN;
      this.nextMs = this.schedule ? this.schedule[++this.scheduled] ?? Infinity : Number.isNaN(trafficMs) ? tMs + this.gapMs() : trafficMs;
      this.wifi?.drain(tMs, out);
      if (this.tech === 'wifi' && Number.isNaN(trafficMs)) {
        this.idle = this.rng.chance(this.idle ? 1 - WIFI_WAKE : WIFI_GO_IDLE);
        if (this.idle) continue;
      }
      this.cursor.seek(tMs);
      if (this.cursor.floor === ABSENT_FLOOR) continue;
      this.updateMeans();
      if (this.wifi && !this.wifi.associate(this.audible, this.audibleCount, this.meanDbm)) continue;
      // A randomized probe burst gets its MAC when an AP first hears it, so no id goes unheard.
      if (this.carrier.deviceIdx < 0) this.deviceIdx = -1;
      const channels = this.channelGainDb.length;
      const lossShare = this.hearing ? 1 - emissionHearing(this.hearing.meanHeard, this.hearing.correlation, this.hearing.rng) : undefined;
      for (let k = 0; k < this.audibleCount; k++) {
        const ap = this.audible[k];
        const heardMs = this.wifi ? this.wifi.heardAtMs(ap, tMs) : tMs;
        if (Number.isNaN(heardMs)) continue;
        let meanDbm = channels > 0 ? this.meanDbm[ap] + this.channelGainDb[this.rng.int(channels)] : this.meanDbm[ap];
        // BSSIDs of one radio share its slow variation (BandRadio.sameRadio).
        if (this.temporal) meanDbm += this.slowDb(this.channel.radioOf[ap], heardMs / 1000, this.temporal);
        if (this.scanRng && !this.scanRng.chance(SCAN_DUTY)) continue;
        const fadeDb = this.channel.fade(this.lineOfSight[ap] === 1, this.rng, this.channel.lossShareAt(ap, lossShare, this.hearingScale), this.channel.sharesRadio[ap] ? this.radioLossDraw(this.channel.radioOf[ap], tMs) : NaN);
        if (Number.isNaN(fadeDb)) continue;
        if (this.world?.crowd) {
          // Bodies only take more away: a reception too weak without them is not traced through the crowd.
          if (!this.channel.reaches((this.wifi ? meanDbm + this.wifi.txOffsetDb : meanDbm) - this.floorDb, fadeDb)) continue;
          meanDbm -= this.crowdLossDb(tMs, ap, this.world.crowd);
        }
        if (this.wifi) meanDbm += this.wifi.txOffsetDb;
        const rssiDbm = this.channel.detect(meanDbm - this.floorDb, fadeDb, this.rng) + this.floorDb;
        if (Number.isNaN(rssiDbm)) continue;
        if (this.deviceIdx < 0) this.deviceIdx = this.registry.addWithMac('wifi-probe', this.carrier.person, true);
        if (this.wifi) this.wifi.receive(heardMs, this.deviceIdx, ap, rssiDbm);
        else out.push(tMs, this.deviceIdx, ap, rssiDbm);
      }
    }
    this.wifi?.drain(endMs, out);
  }

  /** One draw per radio and emission, which its BSSIDs' losses share (BandRadio.sameRadio). */
  private radioLossDraw(radio: number, tMs: number): number {
    if (this.lossDrawAtMs[radio] !== tMs) {
      this.lossDrawAtMs[radio] = tMs;
      this.lossDraw[radio] = this.rng.random();
    }
    return this.lossDraw[radio];
  }

  private slowDb(ap: number, tS: number, t: NonNullable<DeviceEmitter['temporal']>): number {
    const { x, y, floor } = this.cursor;
    const movedM = t.atFloor[ap] === floor ? Math.hypot(x - t.atX[ap], y - t.atY[ap]) : Infinity;
    t.slowDb[ap] = slowComponentDb(t.slowDb[ap], t.atS[ap], tS, t.params, t.rng, movedM);
    t.atS[ap] = tS;
    t.atX[ap] = x;
    t.atY[ap] = y;
    t.atFloor[ap] = floor;
    return t.slowDb[ap];
  }

  /** Other people's bodies on the path to `ap` (same floor only: between floors the slab dominates), dB. */
  private crowdLossDb(tMs: number, ap: number, crowd: NonNullable<WorldEffects['crowd']>): number {
    const a = this.siteAps[ap];
    const { x, y, floor } = this.cursor;
    if (a.floor !== floor) return 0;
    const share = blockedShare(this.channel.deviceHeightM, this.channel.apRiseM(ap));
    return PER_BODY_LOSS_DB * crowd.bodiesOnPath(tMs, this.carrier.person, floor, x, y, a.x, a.y, share);
  }

  private gapMs(): number {
    if (this.scanRng) return Math.round(advertisingGapMs(this.intervalMs, this.rng));
    const [lo, hi] = this.tech === 'wifi-probe' ? PROBE_GAP : [1 - JITTER, 1 + JITTER];
    return Math.max(1, Math.round(this.intervalMs * this.rng.uniform(lo, hi)));
  }

  /** Whether the carrier, now at (x, y, floor), is still there at its next emission. */
  private stopsHere(x: number, y: number, floor: number): boolean {
    if (!Number.isFinite(this.nextMs)) return false;
    const ahead = this.facing!.ahead;
    ahead.seek(this.nextMs);
    return ahead.floor === floor && Math.hypot(ahead.x - x, ahead.y - y) <= MIN_STEP_M;
  }

  /** Means of every AP that could hear this device here; APs no fading peak can lift above sensitivity are skipped. */
  private updateMeans(): void {
    const { x, y, floor } = this.cursor;
    if (x === this.cachedX && y === this.cachedY && floor === this.cachedFloor) return;
    // A carrier who faces at random (Carrier.facesAtRandom) turns as it stops: still there at its next emission.
    if (this.facing && this.stopsHere(x, y, floor)) this.headingRad = this.facing.rng.uniform(-Math.PI, Math.PI);
    // A step of more than a few centimetres sets the heading; standing still keeps it.
    else if (floor === this.cachedFloor && Math.hypot(x - this.cachedX, y - this.cachedY) > MIN_STEP_M) this.headingRad = Math.atan2(y - this.cachedY, x - this.cachedX);
    const seatFacingRad = this.world?.seatFacing?.get(seatKey(floor, x, y));
    if (seatFacingRad !== undefined) this.headingRad = seatFacingRad;
    this.cachedX = x;
    this.cachedY = y;
    this.cachedFloor = floor;
    this.audibleCount = 0;
    for (const ap of this.channel.apsHearing(floor)) {
      // ble-app phones listen to the AP's beacon; everything else is heard by the AP.
      const txDbm = this.tech === 'ble-app' ? this.siteAps[ap].radios.ble!.txPowerDbm : this.spec.txPowerDbm;
      const meanDbm = this.channel.meanRxDbm(ap, txDbm, x, y, floor, this.minMeanDbm);
      if (meanDbm < this.minMeanDbm) continue;
      this.meanDbm[ap] = meanDbm + this.gainDb;
      if (this.orientationDepthDb > 0 || !Number.isNaN(this.antennaPhaseRad)) {
        const bearingRad = Math.atan2(this.siteAps[ap].y - y, this.siteAps[ap].x - x);
        if (this.orientationDepthDb > 0) this.meanDbm[ap] += orientationGainDb(this.orientationDepthDb, bearingRad, this.headingRad);
        if (!Number.isNaN(this.antennaPhaseRad)) this.meanDbm[ap] += antennaGainDb(bearingRad, this.headingRad, this.antennaPhaseRad);
      }
      this.lineOfSight[ap] = this.channel.lineOfSight ? 1 : 0;
      this.audible[this.audibleCount++] = ap;
    }
  }
}
