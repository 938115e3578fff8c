// Hot zones from journeys: occupancy of the configured technologies' devices
// (de-duplicated by holder when asked and the site binds devices), then alerts
// against each zone's baseline.
import type { DeviceInfo } from '../observations.ts';
import type { HotZoneAlert, ZoneVisit } from '../outputs.ts';
import type { Site } from '../site.ts';
import { hotZoneAlerts, type HotZoneConfig } from './alerts.ts';
import { baselineOf } from './baseline.ts';
import { occupancyOf, type Occupancy } from './occupancy.ts';

export interface HotZones {
  occupancy: Occupancy;
  alerts: HotZoneAlert[];
  /** What each count was compared with: baselines[interval * zoneIds.length + zone]. */
  baselines: Float32Array;
}

/** bindings: device id → holder id, for devices the site knows one person carries together. */
export function hotZonesOf(
  journeys: readonly ZoneVisit[], devices: readonly DeviceInfo[], site: Site, durationMs: number, cfg: HotZoneConfig,
  bindings: ReadonlyMap<string, string> = new Map(),
): HotZones {
  const counted = new Set(devices.filter((d) => cfg.techs.includes(d.tech)).map((d) => d.id));
  const identityOf = (id: string): string | undefined => (counted.has(id) ? (cfg.dedupeBound ? (bindings.get(id) ?? id) : id) : undefined);
  const occupancy = occupancyOf(journeys, site.zones.map((z) => z.id), durationMs, cfg.intervalS * 1000, identityOf);
  const baselineAt = baselineOf(occupancy, site.zones.map((z) => z.capacity), cfg);
  const nz = occupancy.zoneIds.length;
  const baselines = Float32Array.from({ length: occupancy.counts.length }, (_, i) => baselineAt(Math.floor(i / nz), i % nz));
  return { occupancy, alerts: hotZoneAlerts(occupancy, baselineAt, cfg), baselines };
}
