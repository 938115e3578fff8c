// The scenario format: a site map the engine may see, plus everything about
// people, devices and radio physics that only the simulator knows.
import type { PrivacyRules } from '../engine/privacy/rules.ts';
import type { Band, Site, Tech, Zone } from '../engine/site.ts';

/** What people do in a zone. */
export type ZoneKind = 'desks' | 'meeting' | 'lunch' | 'break' | 'corridor' | 'entrance';

export interface ScenarioZone extends Zone {
  kind: ZoneKind;
  /** Walkway node inside the zone where paths into it end. */
  entryNode: string;
  /** Seats (desks, chairs, standing spots) are laid on a grid this far apart inside the polygon. */
  seatSpacingM: number;
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

export interface DeviceSpec {
  /** Share of people carrying this technology, 0..1. */
  share: number;
  /** Emission (or, for ble-app, scan report) cadence, seconds. */
  intervalS: number;
  /** Device transmit power; ble-app phones listen to AP beacons instead (AP's BLE txPowerDbm). */
  txPowerDbm: number;
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
  /** Probability an emission is not received at an AP. */
  packetLoss: number;
}

export interface Scenario {
  name: string;
  description: string;
  seed: number;
  durationS: number;
  site: ScenarioSite;
  population: Population;
  devices: Partial<Record<Tech, DeviceSpec>>;
  radio: Record<Band, BandRadio>;
  truth: {
    /** True contact: within this distance ... */
    contactDistanceM: number;
    /** ... for at least this long in the run, cumulative. */
    contactMinExposureS: number;
    /** Ground truth positions are sampled this often. */
    sampleIntervalS: number;
  };
  /** The site's retention and consent rules; the validator fills in engine defaults for what is left out. */
  privacy?: PrivacyRules;
}
