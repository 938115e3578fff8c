// The scenario format: a site map the engine may see, plus everything about
// people, devices and radio physics that only the simulator knows.
import type { PrivacyRules } from '../engine/contract/privacy.ts';
import type { Band, Site, Tech, Zone } from '../engine/contract/site.ts';

/** What people do in a zone. `ward`: patient rooms (patients' beds, nurses' rounds); `shop`: sales floor (shoppers browse). */
export type ZoneKind = 'desks' | 'meeting' | 'lunch' | 'break' | 'corridor' | 'entrance' | 'ward' | 'shop';

export interface ScenarioZone extends Zone {
  kind: ZoneKind;
  /** Walkway node inside the zone where paths into it end. */
  entryNode: string;
  /** Seats (desks, chairs, standing spots) are laid on a grid this far apart inside the polygon. */
  seatSpacingM: number;
  /** Which way people seated here face, degrees (0: +x, 90: +y), for radio.effects.bodyOrientation; null (default): the way they walked in. */
  seatFacingDeg: number | null;
}

export interface WalkwayNode {
  id: string;
  floor: number;
  x: number;
  y: number;
}

export interface ScenarioSite extends Omit<Site, 'zones'> {
  zones: ScenarioZone[];
  /** Wall materials and the loss of one crossing, dB. */
  materials: Record<string, number>;
  /** The walkable graph: people move only along its edges (and seat <-> entry node inside a zone). */
  walkways: { nodes: WalkwayNode[]; edges: [string, string][] };
}

/** [min, max] of a uniform draw. */
export type Range = [number, number];

export interface RoleSchedule {
  /** Share of the population with this role (shares sum to 1). */
  share: number;
  arriveS: Range;
  leaveS: Range;
  lunchStartS: Range;
  lunchDurationS: Range;
  /** Short breaks (to a `break` zone) per day. */
  breaksPerDay: Range;
  breakDurationS: Range;
  /** Whether this role is invited to meetings. */
  attendsMeetings: boolean;
  /** Kind of zone holding each person's own seat (desk, bed, browsing spot). Default 'desks'. */
  homeKind: ZoneKind;
  /**
   * Repeated trips from the home seat (nurses' rounds, shoppers browsing):
   * wait gapS, then stay stayS at a free seat of a random zone of one of `kinds`. Default none.
   */
  visits: { kinds: ZoneKind[]; gapS: Range; stayS: Range } | null;
}

export interface Population {
  count: number;
  roles: Record<string, RoleSchedule>;
  meetings: {
    durationS: Range;
    /** Gap between consecutive meetings in one room. */
    gapS: Range;
    /** Attendees as a share of the room's capacity. */
    fillShare: Range;
  };
  walkSpeedMps: Range;
}

/** Where a device is carried; each costs its own body loss (BandRadio.bodyLossDb). */
export type CarryPosition = 'hand' | 'pocket' | 'lanyard';
export const CARRY_POSITIONS: readonly CarryPosition[] = ['hand', 'pocket', 'lanyard'];

export interface DeviceSpec {
  /** Share of people carrying this technology, 0..1. */
  share: number;
  /**
   * Emission (or, for ble-app, scan report) cadence, seconds. For wifi-probe
   * the mean gap between probe bursts: each gap is drawn from 0.5x..2x it
   * (60 s gives bursts every 30-120 s).
   */
  intervalS: number;
  /** Device transmit power; unused for ble-app: its phones listen to AP beacons (AP's BLE txPowerDbm) and to each other over radio.ble.phoneLink, fitted as received levels. */
  txPowerDbm: number;
  /** Share of carriers holding it in each position (sums to 1). Default: badges on a lanyard, phones 30% hand / 70% pocket. */
  carry: Record<CarryPosition, number>;
  /** wifi-probe only: a fresh random (locally administered) MAC per burst, so the APs see no stable id. Default true. */
  randomizedMac: boolean;
  /**
   * ble-app only: share of app users who switched the app's scanning on; the others report nothing (no device).
   * Participation, not storage consent: what the store may keep is privacy.optedIn (engine/contract/privacy.ts). Default 1.
   */
  optInShare: number;
  /** wifi and wifi-probe only: share of devices on 5 GHz (radio.wifi5), the rest on 2.4 GHz. Default 0. */
  fiveGhzShare: number;
}

export interface BandRadio {
  pathLossExponent: number;
  /** Path loss at 1 m, dB. */
  refLossDbAt1m: number;
  /** Log-normal shadowing standard deviation, dB. */
  shadowingSigmaDb: number;
  /** Distance over which shadowing decorrelates (autocorrelation e^-1), m. */
  shadowingDecorrelationM: number;
  /** Rician K-factor in line of sight, dB (behind walls fading is Rayleigh). */
  ricianKDb: number;
  /** Weakest RSSI an AP (or phone) reports, dBm. */
  sensitivityDbm: number;
  /**
   * Width above sensitivity over which the receiver's chance of reporting a
   * reading rises linearly from 0 to 1, dB (0: a hard floor). A scanning
   * receiver detects a weak frame less often the nearer it is to its floor
   * (packet error rate against SNR, a scan's dwell per channel), so it reports
   * readings down to its floor but fewer weak links than a hard floor gives.
   * `ctsim calibrate` fits it per log (bench/twin/hearing-fit.ts). Default 0.
   */
  sensitivityRampDb: number;
  /** Probability an emission is not received at an AP. */
  packetLoss: number;
  /**
   * Correlation of that loss between the APs of one emission, share (0:
   * independent, 1: all or none; radio.effects.packetLoss; sim/radio/emission-hearing.ts). Default 0.
   */
  packetLossCorrelation: number;
  /** Loss per floor slab between device and AP, dB (multi-wall model; default 15, ITU-R P.1238 office at 2.4 GHz). */
  floorLossDb: number;
  /** Standard deviation of the per-device transmit/receive offset (hardware heterogeneity), dB. Default 2. */
  deviceOffsetSigmaDb: number;
  /** Body loss by carry position, dB. Default hand 0, pocket 6 (fitted to ble-proximity-pcng), lanyard 3. */
  bodyLossDb: Record<CarryPosition, number>;
  /**
   * BLE only: standard deviation of the per-device gain on each of the three
   * advertising channels (37/38/39; antenna and frequency-selective response), dB.
   * Each reception is on one channel at random. Default 1.5.
   */
  channelOffsetSigmaDb: number;
  /** Stationary sd of each link's slow temporal component (radio.effects.temporal; sim/radio/temporal.ts), dB. */
  slowSigmaDb: number;
  /** Correlation time of that slow component, s. */
  slowCorrelationS: number;
  /** Distance a moving device leaves that slow component behind over (falls to 1/e), m; absent: it follows time alone. Fitted by `ctsim calibrate` from a log whose devices move. */
  slowDecorrelationM?: number;
  /**
   * Peak-to-trough body loss by which way the carrier faces, per carry
   * position, dB (radio.effects.bodyOrientation; sim/radio/body-orientation.ts).
   */
  bodyOrientationDepthDb: Record<CarryPosition, number>;
  /** How far the field drifts from the survey once it is old (radio.effects.drift; sim/radio/drift.ts), dB. */
  driftSigmaInfDb: number;
  /** Time constant of that drift, days. */
  driftTimeDays: number;
  /** Mean life of an AP's identity on the air, days: an AP is gone by the run with probability 1 − exp(−survey age / apLifeDays) (radio.effects.drift; sim/radio/ap-turnover.ts). */
  apLifeDays: number;
  /**
   * Each AP's own gain on this band (antenna, mounting, cabling), dB, by AP id,
   * added to every link of that AP; APs not named get 0. Fitted by `ctsim calibrate`
   * (bench/twin/calibrate.ts) as per-AP offsets from the band's path-loss line. Default none.
   */
  apGainDb: Record<string, number>;
  /**
   * Each AP's own hearing rate on this band, share, by AP id, in place of
   * 1 − packetLoss for its links: real APs differ far more than packet loss
   * does (one is off part of the time, or stands elsewhere than the map says).
   * Fitted by `ctsim calibrate` (bench/twin/hearing-fit.ts fitApHearing).
   * Absent: every AP hears at the band's rate.
   */
  apHearingRate?: Record<string, number>;
  /**
   * Groups of AP ids that are one radio's BSSIDs (a radio sends one beacon
   * per network it serves, each under its own BSSID): each group's members
   * share its first member's shadowing, drift and slow variation (one
   * antenna) and one loss draw per emission (one radio is heard or not),
   * keeping their own place, gain and fading, so their readings move together
   * as real ones do. Found by `ctsim calibrate` from the log
   * (engine/calibrate/same-radio.ts). Absent: every AP is its own radio.
   */
  sameRadio?: string[][];
}

/**
 * Switches for each effect of the radio chain, on by default (temporal off
 * until the realistic preset recalibrates fading with it): turn one off to see what it costs.
 */
export interface RadioEffects {
  walls: boolean;
  floors: boolean;
  shadowing: boolean;
  fading: boolean;
  deviceOffsets: boolean;
  bodyLoss: boolean;
  advertisingChannels: boolean;
  packetLoss: boolean;
  /** A slow per-link component that drifts with time on top of per-reading fading. */
  temporal: boolean;
  /** The carrier's body shadows the device more when they turn their back to the AP. */
  bodyOrientation: boolean;
  /** The site's field has drifted since the survey (by survey.ageDays). */
  drift: boolean;
  /** Other people's bodies near a link's path attenuate it (sim/radio/crowd.ts). */
  otherBodies: boolean;
  /** Devices come in models with their own transmit and receive offsets and a directional antenna (sim/radio/device-models.ts). */
  deviceModels: boolean;
  /** BLE adverts get the spec's advDelay and an AP hears one only while scanning (sim/radio/ble-timing.ts). */
  bleTiming: boolean;
  /** The radio runs in a world that differs from the map: per-wall losses, furniture, APs off their drawn spots (sim/radio/world-map.ts). */
  mapDrawing: boolean;
  /** APs serve on planned channels; phones roam and are heard on their AP's channel (sim/radio/wifi-client.ts). */
  wifiChannels: boolean;
  /** Connected phones transmit by use: power-save idle, active sessions (sim/radio/wifi-traffic.ts). */
  wifiTraffic: boolean;
  /** APs report a per-client summary per interval, not every frame (sim/radio/wifi-reports.ts). */
  wifiReports: boolean;
}

/**
 * The phone-to-phone BLE link (sim/phone-proximity.ts): phones advertise far
 * weaker than APs and read each other far lower than an AP reads a badge, so
 * the link has its own log-distance line, fitted on real phone pairs
 * (bench/studies/radio-fit/phone-link.ts). Walls, each phone's carry body
 * loss (BandRadio.bodyLossDb) and fading come on top, as for every BLE link.
 */
export interface PhoneLink {
  /** RSSI one phone reads of another 1 m away, both in hand, dBm. Default −75.3 (ble-proximity-pcng, hand-hand). */
  refRssiDbmAt1m: number;
  /** Log-distance exponent. Default 2.25 (ble-proximity-pcng, hand-hand). */
  pathLossExponent: number;
  /** Sd of each phone's own RSSI offset (model, case), dB. Default 5.4 (spread of ble-proximity-pcng's pair levels). */
  offsetSigmaDb: number;
}

export interface BleRadio extends BandRadio {
  phoneLink: PhoneLink;
}

export interface Radio extends Record<Band, BandRadio> {
  ble: BleRadio;
  /** Wi-Fi at 5 GHz (steeper path loss, more wall loss); `wifi` is 2.4 GHz. Needed when any device has a fiveGhzShare. */
  wifi5: BandRadio | null;
  effects: RadioEffects;
}

/** The site survey (calibration walk, sim/site-survey.ts): a reference device at grid points over the zones. */
export interface SurveySpec {
  /** Grid spacing of the surveyed points, metres. */
  spacingM: number;
  /** Time the operator stands at each point, seconds. */
  dwellS: number;
  /** The reference device emits this often, seconds. Default 1. */
  intervalS: number;
  /** Days between the survey and the run (the field drifts in between, radio.effects.drift). Default 0. */
  ageDays: number;
}

export interface Scenario {
  name: string;
  description: string;
  seed: number;
  durationS: number;
  site: ScenarioSite;
  population: Population;
  devices: Partial<Record<Tech, DeviceSpec>>;
  radio: Radio;
  truth: {
    /** A true contact, named as the engine's config names its own (contacts.distanceM, contacts.minExposureS). */
    contacts: {
      /** Within this distance, metres ... */
      distanceM: number;
      /** ... for at least this long in the run, cumulative, seconds. */
      minExposureS: number;
    };
    /** Ground truth positions are sampled this often. */
    sampleIntervalS: number;
  };
  /** A site survey the engine may build a radio map from; null: none. */
  survey: SurveySpec | null;
  /** The site's retention and consent rules; the validator fills in engine defaults for what is left out. */
  privacy?: PrivacyRules;
}
