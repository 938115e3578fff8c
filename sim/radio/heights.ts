// How high a link's two ends stand above their floors: an AP at its mounting
// height, a device at its carry height. The site says so when it knows
// (`aps[].heightM`, `deviceHeightM`: calib2021's anchors sit at 1.85-2.62 m and
// its tag rides a 1.3 m pole; a warehouse's APs hang at 8 m), and the world
// then stands them there, as the engine ranges with them. Where it does not:
// - AP_HEIGHT_M 2.5: ceiling-mounted under an office's 2.5-3 m ceiling, the
//   engine's `localize.apHeightM` default too;
// - DEVICE_HEIGHT_M 1.2: a phone or badge carried between waist and chest
//   (calib2021's tag at 1.3 m), the engine's `localize.deviceHeightM`.
import type { AccessPoint, Site } from '../../engine/contract/site.ts';
import type { FloorStack } from './floors.ts';

export const AP_HEIGHT_M = 2.5;
export const DEVICE_HEIGHT_M = 1.2;

/** An AP's height above its own floor, m. */
export function apHeightM(ap: Pick<AccessPoint, 'heightM'>): number {
  return ap.heightM ?? AP_HEIGHT_M;
}

/** The site's devices' height above their floor, m. */
export function deviceHeightM(site: Pick<Site, 'deviceHeightM'>): number {
  return site.deviceHeightM ?? DEVICE_HEIGHT_M;
}

/** How far AP `ap` stands above a device on floor `floor`, m (negative: below it). */
export function apAboveDeviceM(floors: FloorStack, site: Pick<Site, 'deviceHeightM'>, ap: Pick<AccessPoint, 'heightM' | 'floor'>, floor: number): number {
  return floors.elevationOf(ap.floor) + apHeightM(ap) - floors.elevationOf(floor) - deviceHeightM(site);
}
