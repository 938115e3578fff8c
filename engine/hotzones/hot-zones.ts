// Hot zones: occupancy of the configured technologies' devices (de-duplicated
// by holder when asked and the site binds devices), then alerts against each
// zone's baseline. The engine counts from its fixes; the same rule applied to
// zone visits gives the harness its true alerts.
import type { DeviceInfo } from '../contract/observations.ts';
import type { Estimates, HotZoneAlert, ZoneVisit } from '../outputs.ts';
import type { Site } from '../contract/site.ts';
import { zoneLocator } from '../site-map/zone-locator.ts';
import { hotZoneAlerts } from './alerts.ts';
import { baselineOf } from './baseline.ts';
import { occupancyFromFixes, occupancyOf, type Occupancy, type TimeSpan } from './occupancy.ts';
import type { HotZoneSettings } from './settings.ts';

export interface HotZones {
  occupancy: Occupancy;
  alerts: HotZoneAlert[];
  /** What each count was compared with: baselines[interval * zoneIds.length + zone]. */
  baselines: Float32Array;
}

/** bindings: device id → holder id, for devices the site knows one person carries together. */
type Bindings = ReadonlyMap<string, string>;

/** The holder a device counts as, or undefined when its technology is not counted. */
function identities(devices: readonly DeviceInfo[], cfg: HotZoneSettings, bindings: Bindings): (id: string) => string | undefined {
  const counted = new Set(devices.filter((d) => cfg.techs.includes(d.tech)).map((d) => d.id));
  return (id) => (counted.has(id) ? (cfg.dedupeBound ? (bindings.get(id) ?? id) : id) : undefined);
}

/** The engine's hot zones, from its per-epoch fixes. */
export function hotZonesFromFixes(
  est: Estimates, devices: readonly DeviceInfo[], site: Site, span: TimeSpan, cfg: HotZoneSettings, bindings: Bindings = new Map(),
): HotZones {
  const identityOf = identities(devices, cfg, bindings);
  const holderIdx = new Map<string, number>();
  const holderOf = Int32Array.from(devices, (d) => {
    const holder = identityOf(d.id);
    if (holder === undefined) return -1;
    if (!holderIdx.has(holder)) holderIdx.set(holder, holderIdx.size);
    return holderIdx.get(holder)!;
  });
  const zoneAt = zoneLocator(site);
  const occupancy = occupancyFromFixes(
    est, holderOf, holderIdx.size, (i) => zoneAt(est.floor[i], est.x[i], est.y[i]),
    site.zones.map((z) => z.id), span, cfg.intervalS * 1000,
  );
  return hotZonesOf(occupancy, site, cfg);
}

/** Hot zones from zone visits (true journeys in the harness). */
export function hotZonesFromVisits(
  visits: readonly ZoneVisit[], devices: readonly DeviceInfo[], site: Site, span: TimeSpan, cfg: HotZoneSettings, bindings: Bindings = new Map(),
): HotZones {
  const occupancy = occupancyOf(visits, site.zones.map((z) => z.id), span, cfg.intervalS * 1000, identities(devices, cfg, bindings));
  return hotZonesOf(occupancy, site, cfg);
}

function hotZonesOf(occupancy: Occupancy, site: Site, cfg: HotZoneSettings): HotZones {
  const baselineAt = baselineOf(occupancy, site.zones.map((z) => z.capacity), cfg);
  const nz = occupancy.zoneIds.length;
  const baselines = Float32Array.from({ length: occupancy.counts.length }, (_, i) => baselineAt(Math.floor(i / nz), i % nz));
  return { occupancy, alerts: hotZoneAlerts(occupancy, baselineAt, cfg), baselines };
}
