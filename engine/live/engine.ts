// The live engine: reports in (roughly time-ordered; see reorder.ts), events
// out as soon as the data allows, using only the past. Per released epoch:
//   aggregation (the batch EpochAggregator) → a fix per device from the batch
//   localizer; over a survey map the device's stay so far is pooled (the
//   batch StayPooler's stay rules; pooledSoFar instead of the whole stay) →
//   the Kalman forward pass (trackKalman; no backward smoothing) → a fix
//   event, zone votes (LiveVisits), hot-zone votes (LiveHotZones) and this
//   epoch's close pairs (LiveContacts).
// A device unseen for idleEvictS is dropped with all its state, so memory
// follows the devices active at once, not the length of the stream.
import type { SurveyRadioMaps } from '../calibrate/survey-map.ts';
import { resolveConfig, type DeepPartial, type EngineConfig } from '../config.ts';
import type { ObservationBatch } from '../contract/observations.ts';
import { TECHS, type Site, type Tech } from '../contract/site.ts';
import type { SurveyBatch } from '../contract/survey.ts';
import { EpochAggregator, type EpochView } from '../ingest/epochs.ts';
import { ReportHold } from '../ingest/hold.ts';
import { LOCALIZERS, type LocalizeTuning } from '../localize/index.ts';
import { siteLayout } from '../localize/layout.ts';
import { localizeModels, stayPoolers } from '../localize/chunk.ts';
import type { StayPooler, FixSink } from '../localize/stays.ts';
import type { Fix, Localizer, LocalizeModel, Readings } from '../localize/types.ts';
import { calibrate } from '../pipeline/calibration.ts';
import { allButFirst, declaredRadios, surveyWithout } from '../calibrate/same-radio.ts';
import { engineContext, type EngineContext } from '../pipeline/context.ts';
import { EstimatesBuilder } from '../pipeline/estimates.ts';
import { snappingZoneLocator, zoneLocator } from '../site-map/zone-locator.ts';
import { newTrackState, trackKalman, type TrackState } from '../track/kalman.ts';
import { floorTrackedRadii, ResidualShares } from '../track/residual-share.ts';
import { LiveContacts, type PairState } from './contacts.ts';
import { DeviceRegistry } from './devices.ts';
import type { LiveEvent } from './events.ts';
import { LiveHotZones, type IntervalCounts } from './hotzones.ts';
import { ReorderBuffer, type Intake } from './reorder.ts';
import { LiveVisits } from './visits.ts';

export interface LiveOptions {
  /**
   * Reports up to this far behind the newest one seen are put back in order;
   * older ones are rejected (counted). Every fix waits this long after its
   * epoch ends. Valid range ≥ 0 ms; default 2000 (APs batch their reports
   * for a second or two before sending).
   */
  latenessMs?: number;
  /**
   * A device unseen this long (stream time) is dropped with all its state,
   * its open visit and contacts closed. Valid range ≥ 1 s; default 600: longer
   * than journeys.maxGapS (300) and track.resetAfterS (120), past which the
   * batch engine also ends its visit and restarts its track.
   */
  idleEvictS?: number;
  /** AP-to-AP beacons to calibrate the ranging models from (as runEngine). */
  apBeacons?: ObservationBatch;
  /** A site survey to build the map localizer's radio maps from, or the maps built beforehand. */
  survey?: SurveyBatch;
  radioMaps?: SurveyRadioMaps;
  /** Device id → holder id for devices one person carries together (hotZones.dedupeBound). */
  bindings?: ReadonlyMap<string, string>;
  /** Called with every closed hot-zone interval's counts (the server stores them). */
  onCounts?: (c: IntervalCounts) => void;
}

export interface LiveStats {
  reportsIn: number;
  /** Reports refused as behind the lateness window. */
  rejected: number;
  /** Reports refused as too far past the stream's time (an AP's clock ahead, reorder.ts AHEAD_MS). */
  ahead: number;
  /** Reports held in the lateness window. */
  pending: number;
  activeDevices: number;
  eventsOut: number;
  alertsOpen: number;
  /** The stream's time minus the end of the last released epoch, ms: how far behind stream time the outputs are. */
  lagMs: number;
}

export type EventHandler = (e: LiveEvent) => void;

/** The newest fix of each device, and a sink that keeps it (no setFix: the stay pooler's rows are never rewritten live, so a closing stay is not fixed). */
class LastFix implements FixSink {
  length = 0;
  fix: Fix | null = null;
  push(_tMs: number, _device: number, fix: Fix): void {
    this.length++;
    this.fix = fix;
  }
}

/**
 * A stay's pooled fix is made again once the stay has this share more fixes
 * (5, 7, 10, 15, ... epochs at 0.5): with a fix from the pool every epoch
 * the live engine localized twice per epoch (office: 84k reports/s).
 */
const POOL_REFRESH_SHARE = 0.5;

const PAIR_KEY_SPACE = 2 ** 24; // device indices stay below this (16M devices at once)

export class LiveEngine {
  readonly cfg: EngineConfig;
  private readonly ctx: EngineContext;
  private readonly devices = new DeviceRegistry();
  private readonly reorder: ReorderBuffer;
  private readonly agg: EpochAggregator;
  /** Each AP's newest report per device, held for ingest.holdS (engine/ingest/hold.ts). */
  private readonly hold: ReportHold;
  /** 1 for an AP the site map names as another BSSID of a radio listed before it (its reports are left out). */
  private readonly otherBssid: Uint8Array;
  private readonly localizer: Localizer<LocalizeTuning>;
  private readonly models: LocalizeModel<LocalizeTuning>[];
  private readonly poolers: (StayPooler | null)[];
  private readonly sinks: LastFix[];
  private track: TrackState;
  /** Each device's residuals from its track, which floor its tracked radii (engine/track/residual-share.ts). */
  private readonly shares = new ResidualShares(64);
  /** This epoch's own fixes, reused epoch to epoch (trackKalman reads rows [0, length) only). */
  private readonly fixes = new EstimatesBuilder(64);
  /** Last tracked fix per device slot, for contacts (x, y, floor, radius, tMs). */
  private lastX = new Float32Array(64);
  private lastY = new Float32Array(64);
  private lastFloor = new Int16Array(64);
  private lastRadius = new Float32Array(64);
  private lastTMs = new Float64Array(64).fill(-Infinity);
  private readonly visits: (LiveVisits | undefined)[] = [];
  private readonly hot: LiveHotZones;
  private readonly contacts: LiveContacts;
  private readonly zoneOf: (floor: number, x: number, y: number) => number;
  private readonly snapZoneOf: (floor: number, x: number, y: number) => number;
  private readonly countedTech: boolean[];
  private readonly idleEvictMs: number;
  private nextEvictTMs = -Infinity;
  private releasedToTMs = -Infinity;
  private reports = 0;
  private events = 0;
  private ended = false;

  constructor(private readonly site: Site, config: DeepPartial<EngineConfig>, private readonly onEvent: EventHandler, private readonly opts: LiveOptions = {}) {
    const cfg = resolveConfig(config);
    const latenessMs = opts.latenessMs ?? 2000;
    const idleEvictS = opts.idleEvictS ?? 600;
    if (!(idleEvictS >= 1)) throw new Error(`idleEvictS must be ≥ 1 s, got ${idleEvictS}`);
    this.idleEvictMs = idleEvictS * 1000;
    const localizer = LOCALIZERS[cfg.localize.method];
    this.localizer = localizer;
    this.cfg = cfg;
    const layout = siteLayout(site);
    // One radio's BSSIDs the site map names (radioId) are read once, as the first listed: this engine has no log to find others in, or the best-heard by.
    const radios = opts.radioMaps ? [] : declaredRadios(site);
    this.otherBssid = new Uint8Array(site.aps.length);
    for (const a of allButFirst(radios)) this.otherBssid[a] = 1;
    const survey = opts.survey && radios.length > 0 ? surveyWithout(opts.survey, allButFirst(radios)) : opts.survey;
    this.ctx = engineContext(calibrate(site, [], cfg, layout, { ...opts, survey }).data, layout);
    this.models = localizeModels(this.ctx);
    this.sinks = TECHS.map(() => new LastFix());
    this.poolers = stayPoolers(this.ctx, localizer, this.models, (tech) => this.sinks[tech]);
    this.track = newTrackState(64);
    this.zoneOf = zoneLocator(site);
    this.snapZoneOf = snappingZoneLocator(site, cfg.journeys.snapM);
    this.countedTech = TECHS.map((t) => cfg.hotZones.techs.includes(t));
    this.hot = new LiveHotZones(site.zones.map((z) => z.id), site.zones.map((z) => z.capacity), cfg.hotZones, {
      raised: (a, occupancy) => this.emit({ type: 'hotzone-raised', tMs: a.raisedTMs, zone: a.zone, risingTMs: a.risingTMs, occupancy, threshold: a.threshold }),
      cleared: (a) => this.emit({ type: 'hotzone-cleared', tMs: a.clearedTMs, zone: a.zone, raisedTMs: a.raisedTMs, peakOccupancy: a.peakOccupancy }),
      counted: opts.onCounts,
    });
    this.contacts = new LiveContacts(site, cfg.contacts, cfg.ingest.epochMs, PAIR_KEY_SPACE, {
      reached: (p, tMs) => this.emit(this.contactEvent('contact', p, tMs)),
      ended: (p, tMs) => this.emit(this.contactEvent('contact-end', p, tMs)),
    });
    this.hold = new ReportHold(cfg.ingest.holdS, cfg.ingest.epochMs);
    this.agg = new EpochAggregator(cfg.ingest.epochMs, (ep) => this.epoch(ep), Math.max(1, site.aps.length));
    this.reorder = new ReorderBuffer(cfg.ingest.epochMs, latenessMs, Math.max(1, site.aps.length), (epoch, b) => {
      for (let i = 0; i < b.n; i++) this.agg.add(b.tMs[i], b.deviceIdx[i], b.apIdx[i], b.rssiDbm[i]);
      this.agg.flush();
      this.releasedToTMs = (epoch + 1) * cfg.ingest.epochMs;
    });
  }

  /** One report of device `deviceId` (registered on first sight; apIdx: index into site.aps): taken, or refused as late or too far ahead (reorder.ts). */
  push(tMs: number, deviceId: string, tech: Tech, apIdx: number, rssiDbm: number): Intake {
    if (this.ended) throw new Error('the live engine has ended');
    this.reports++;
    const device = this.devices.index(deviceId, tech);
    // Another BSSID of a radio already read: taken, and left out (as a batch run leaves it out of the log).
    if (this.otherBssid[apIdx] === 1) return 'taken';
    const intake = this.reorder.push(tMs, device, apIdx, rssiDbm);
    const seen = this.devices.lastSeenTMs;
    if (intake === 'taken' && seen[device] < tMs) seen[device] = tMs;
    return intake;
  }

  /** Whether each report (its time and AP), pushed now in this order, would be taken (1) or refused (0); changes nothing. */
  admits(tMs: ArrayLike<number>, apIdx: ArrayLike<number>, length = tMs.length): Uint8Array {
    return this.reorder.admits(tMs, apIdx, length);
  }

  /** The stream's time, ms: the newest report time two APs vouch for, or where advanceTo took it (reorder.ts). */
  get streamTMs(): number {
    return this.reorder.newest;
  }

  /** Stream time has reached tMs (e.g. a wall clock while the stream is quiet, quiet-clock.ts): releases the epochs and hot-zone intervals it closes. */
  advanceTo(tMs: number): void {
    const closedTMs = tMs - (this.opts.latenessMs ?? 2000);
    this.reorder.advanceTo(tMs);
    // Only to the epoch boundary: the next epoch released may start there and still votes.
    const epochMs = this.cfg.ingest.epochMs;
    if (Number.isFinite(this.reorder.newest)) this.hot.advanceTo(Math.floor(closedTMs / epochMs) * epochMs);
  }

  /** The stream ended: releases everything held and closes every device's visits and contacts. */
  end(): void {
    if (this.ended) return;
    this.reorder.releaseAll();
    const t = Number.isFinite(this.reorder.newest) ? this.reorder.newest : 0;
    this.hot.advanceTo(t + this.cfg.hotZones.intervalS * 1000);
    for (const d of this.devices.idleSince(Infinity)) this.evict(d, t);
    this.ended = true;
  }

  /** Open contacts with their exposure so far (every pair with any, announced or not). */
  openContacts(): IterableIterator<PairState> {
    return this.contacts.open();
  }

  stats(): LiveStats {
    return {
      reportsIn: this.reports, rejected: this.reorder.rejected, ahead: this.reorder.ahead, pending: this.reorder.pending, activeDevices: this.devices.active, eventsOut: this.events, alertsOpen: this.hot.open,
      lagMs: Number.isFinite(this.reorder.newest) && Number.isFinite(this.releasedToTMs) ? Math.max(0, this.reorder.newest - this.releasedToTMs) : 0,
    };
  }

  private emit(e: LiveEvent): void {
    this.events++;
    this.onEvent(e);
  }

  private contactEvent(type: 'contact' | 'contact-end', p: PairState, tMs: number): LiveEvent {
    const [a, b] = [this.devices.ids[p.lo], this.devices.ids[p.hi]].sort();
    return {
      type, tMs, a, b, tech: TECHS[this.devices.techs[p.lo]], exposureS: p.exposureS, minDistanceM: p.minDistanceM, firstTMs: p.firstTMs,
      zones: [...p.zones].sort((x, y) => x - y).map((z) => this.site.zones[z].id),
    };
  }

  /** One released epoch, aggregated: fix, track, and feed zones, hot zones and contacts. */
  private epoch(ep: EpochView): void {
    const t = ep.tMs;
    const fixes = this.fixes;
    fixes.clear();
    const into: Readings = { apIdx: ep.apIdx, rssiDbm: ep.rssiDbm, count: ep.count, start: 0, end: 0 };
    for (let g = 0; g < ep.groups; g++) {
      const d = ep.deviceIdx[g];
      const tech = this.devices.techs[d];
      const readings = this.hold.readings(ep, g, tech, into);
      const pooler = this.poolers[tech];
      let fix: Fix | null;
      if (pooler) {
        const sink = this.sinks[tech];
        sink.fix = null;
        pooler.add(t, d, readings);
        fix = pooler.pooledSoFar(d, POOL_REFRESH_SHARE) ?? sink.fix;
      } else {
        fix = this.localizer.locate(this.models[tech], readings);
      }
      if (fix !== null) fixes.push(t, d, fix);
    }
    this.ensureSlots(this.devices.slots);
    const own = fixes.view();
    const tracked = this.cfg.track.filter === 'none' ? own : trackKalman(own, this.track, this.cfg.track, this.ctx.fixRadiusScale);
    if (tracked !== own) floorTrackedRadii(own, tracked, this.shares);
    this.hot.advanceTo(t);
    const techs = this.devices.techs, ids = this.devices.ids;
    for (let i = 0; i < tracked.length; i++) {
      const d = tracked.deviceIdx[i], x = tracked.x[i], y = tracked.y[i], floor = tracked.floor[i], r = tracked.errorRadiusM[i];
      this.lastX[d] = x;
      this.lastY[d] = y;
      this.lastFloor[d] = floor;
      this.lastRadius[d] = r;
      this.lastTMs[d] = t;
      this.emit({ type: 'fix', tMs: t, deviceId: ids[d], x, y, floor, errorRadiusM: r });
      let v = this.visits[d];
      if (v === undefined) {
        v = this.visits[d] = new LiveVisits(this.site, this.snapZoneOf, this.cfg.ingest.epochMs, this.cfg.journeys, {
          enter: (zone, enterTMs) => this.emit({ type: 'zone-enter', tMs: enterTMs, deviceId: ids[d], zone: this.site.zones[zone].id }),
          exit: (zone, enterTMs, exitTMs) => this.emit({ type: 'zone-exit', tMs: exitTMs, deviceId: ids[d], zone: this.site.zones[zone].id, enterTMs }),
        });
      }
      v.step(t, floor, x, y);
      if (this.countedTech[techs[d]]) this.hot.vote(t, this.holderOf(ids[d]), this.zoneOf(floor, x, y));
    }
    this.contactEpoch(t);
    if (t >= this.nextEvictTMs) {
      for (const d of this.devices.idleSince(t - this.idleEvictMs)) this.evict(d, t);
      this.nextEvictTMs = t + Math.min(60_000, this.idleEvictMs);
    }
  }

  /** Every device tracked within fillGapS, at its last tracked position, paired for this epoch. */
  private contactEpoch(t: number): void {
    const freshMs = Math.max(this.cfg.contacts.fillGapS * 1000, this.cfg.ingest.epochMs);
    const pos = this.contacts.scratch(this.devices.slots);
    for (let d = 0; d < this.devices.slots; d++) {
      if (!(t - this.lastTMs[d] < freshMs)) continue;
      const i = pos.length++;
      pos.tMs[i] = t;
      pos.deviceIdx[i] = d;
      pos.x[i] = this.lastX[d];
      pos.y[i] = this.lastY[d];
      pos.floor[i] = this.lastFloor[d];
      pos.errorRadiusM[i] = this.lastRadius[d];
    }
    const techs = this.devices.techs;
    this.contacts.epoch(t, pos, (d) => techs[d], TECHS.length);
  }

  private holderOf(id: string): string {
    return this.cfg.hotZones.dedupeBound ? (this.opts.bindings?.get(id) ?? id) : id;
  }

  /** Drops an idle device: its visit and contacts close, its slot is free for the next new device. */
  private evict(d: number, tMs: number): void {
    this.visits[d]?.end();
    this.visits[d] = undefined;
    this.contacts.dropDevice(d, tMs);
    this.poolers[this.devices.techs[d]]?.forget(d);
    this.hold.forget(d);
    this.track.lastTMs[d] = NaN;
    this.shares.forget(d);
    this.lastTMs[d] = -Infinity;
    this.devices.release(d);
  }

  /** Per-device arrays sized for `slots` devices. */
  private ensureSlots(slots: number): void {
    if (slots <= this.lastTMs.length) return;
    const n = Math.max(slots, this.lastTMs.length * 2);
    const grow = <T extends Float32Array | Float64Array | Int16Array>(a: T, fill = 0): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.fill(fill);
      b.set(a);
      return b;
    };
    this.lastX = grow(this.lastX);
    this.lastY = grow(this.lastY);
    this.lastFloor = grow(this.lastFloor);
    this.lastRadius = grow(this.lastRadius);
    this.lastTMs = grow(this.lastTMs, -Infinity);
    const st = newTrackState(n);
    st.state.set(this.track.state);
    st.lastTMs.set(this.track.lastTMs);
    st.floor.set(this.track.floor);
    this.track = st;
    this.shares.grow(n);
  }
}
