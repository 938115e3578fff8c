// The site map: everything about the building a real deployment knows
// (floor plans, walls, zones, AP positions). Never anything about people.

export type Band = 'wifi' | 'ble';

/** Device technologies, as seen by the APs. */
export type Tech = 'wifi' | 'wifi-probe' | 'ble-badge' | 'ble-app';
export const TECHS: readonly Tech[] = ['wifi', 'wifi-probe', 'ble-badge', 'ble-app'];

/** The radio band a technology uses. */
export function bandOf(tech: Tech): Band {
  return tech === 'wifi' || tech === 'wifi-probe' ? 'wifi' : 'ble';
}

export interface Floor {
  id: number;
  name: string;
  widthM: number;
  heightM: number;
  elevationM: number;
}

export interface Wall {
  floor: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  material: string;
  /** Attenuation of one crossing, resolved from the material table by the loader. */
  lossDb: number;
}

export interface Zone {
  id: string;
  name: string;
  floor: number;
  /** Polygon vertices [x, y] in metres, in order. */
  polygon: [number, number][];
  capacity: number;
}

export interface ApRadio {
  txPowerDbm: number;
}

export interface AccessPoint {
  id: string;
  /** floor, x, y: NaN only from a site map that leaves the AP's place to a survey, until it is placed (engine/calibrate/ap-placement.ts). */
  floor: number;
  x: number;
  y: number;
  radios: Partial<Record<Band, ApRadio>>;
  /** Mounting height above its floor, metres (0-20); absent: localize.apHeightM. Ranges are 3-D. */
  heightM?: number;
  /**
   * The Wi-Fi radio that sends this BSSID (an AP feed's radio or base MAC):
   * APs that share one are one radio's networks, at one place, and the engine
   * reads each radio once (engine/calibrate/same-radio.ts). Absent: a radio of its own.
   */
  radioId?: string;
}

export interface Site {
  floors: Floor[];
  walls: Wall[];
  zones: Zone[];
  aps: AccessPoint[];
  /** Height of the devices above the floor (hand, pocket, lanyard, a tag's pole), metres (0-5); absent: localize.deviceHeightM. */
  deviceHeightM?: number;
}
