// The effects of the world beyond one link's physics, built once per run from
// the scenario and handed to every emitter: other people's bodies (crowd.ts),
// the fleet's device models (device-models.ts), BLE advertising and scanning
// (ble-timing.ts), seats' facing for the carrier's body (body-orientation.ts),
// and the world the radio runs in rather than the map (world-map.ts). Each is
// null when its radio.effects switch is off, and each draws from its own
// random stream, so switching one on leaves every other draw as it was.
import type { Tech } from '../../engine/contract/site.ts';
import type { Scenario, ScenarioSite } from '../../scenarios/types.ts';
import type { Track } from '../types.ts';
import { seatFacings } from './body-orientation.ts';
import { Crowd } from './crowd.ts';
import { deviceModels, type DeviceModel } from './device-models.ts';
import { worldSite } from './world-map.ts';

export interface WorldEffects {
  /** The site the radio runs in (the scenario's own with mapDrawing off). */
  site: ScenarioSite;
  crowd: Crowd | null;
  /** Each technology's device models; null with deviceModels off. */
  models: ((tech: Tech) => DeviceModel[]) | null;
  bleTiming: boolean;
  /** Facing (radians) of each seat that has one, by seatKey; null when no zone sets one or neither bodyOrientation nor deviceModels is on. */
  seatFacing: Map<string, number> | null;
}

export function worldEffects(scenario: Scenario, tracks: readonly Track[]): WorldEffects {
  const { effects } = scenario.radio;
  const site = effects.mapDrawing ? worldSite(scenario.site, scenario.seed) : scenario.site;
  const models = new Map<Tech, DeviceModel[]>();
  // Seats' facing turns the carrier (body orientation) and the device's antenna (device models).
  const facing = effects.bodyOrientation || effects.deviceModels ? seatFacings(scenario.site) : null;
  return {
    site,
    crowd: effects.otherBodies ? new Crowd(tracks, site.floors) : null,
    models: effects.deviceModels ? (tech) => models.get(tech) ?? models.set(tech, deviceModels(tech, scenario.seed)).get(tech)! : null,
    bleTiming: effects.bleTiming,
    seatFacing: facing && facing.size > 0 ? facing : null,
  };
}
