// Trace query: given an index device and a time window, the devices exposed to
// it ranked by exposure within that window (with where and when), plus its
// journey. Exposure is recomputed from the window's estimates with the same
// contact pipeline as the run, so a window that cuts a contact counts only
// its part.
import type { EngineConfig } from '../config.ts';
import { contactsFromTracks } from '../contacts/track-contacts.ts';
import { timeSlice } from '../pipeline/estimates.ts';
import type { DeviceInfo } from '../contract/observations.ts';
import type { Estimates, ZoneVisit } from '../outputs.ts';
import type { Site } from '../contract/site.ts';
import { InputError } from '../contract/input-error.ts';
import { quote } from '../contract/quote.ts';

export interface TraceQuery {
  deviceId: string;
  /** Window [fromTMs, toTMs), ms since start; open ends by default. */
  fromTMs?: number;
  toTMs?: number;
  /** List devices exposed at least this long in the window, seconds (default contacts.minExposureS). */
  minExposureS?: number;
}

export interface Exposure {
  deviceId: string;
  exposureS: number;
  minDistanceM: number;
  zones: string[];
  firstTMs: number;
  lastTMs: number;
}

export interface TraceResult {
  deviceId: string;
  fromTMs: number;
  toTMs: number;
  /** Most exposed first (ties by device id); only those reaching the query's minExposureS in the window. */
  exposed: Exposure[];
  /** The index device's visits overlapping the window. */
  journey: ZoneVisit[];
}

export function traceDevice(
  est: Estimates, devices: readonly DeviceInfo[], journeys: readonly ZoneVisit[], site: Site, cfg: EngineConfig, query: TraceQuery,
): TraceResult {
  const index = devices.findIndex((d) => d.id === query.deviceId);
  if (index < 0) {
    const known = devices.slice(0, 3).map((d) => d.id).join(', ');
    throw new InputError(`unknown device ${quote(query.deviceId)}: ${devices.length ? `the run located ${devices.length} devices (e.g. ${known})` : 'the run located no device'}`);
  }
  const fromTMs = query.fromTMs ?? -Infinity;
  const toTMs = query.toTMs ?? Infinity;
  if (!(fromTMs < toTMs)) throw new InputError(`empty time window: from ${fromTMs} ms is not before to ${toTMs} ms`);
  const windowed = timeSlice(est, fromTMs, toTMs);
  const tech = devices[index].tech;
  const exposed: Exposure[] = [];
  for (const c of contactsFromTracks(windowed, devices, site, cfg.ingest.epochMs, { ...cfg.contacts, minExposureS: query.minExposureS ?? cfg.contacts.minExposureS })) {
    if (c.tech !== tech || (c.a !== query.deviceId && c.b !== query.deviceId)) continue;
    const other = c.a === query.deviceId ? c.b : c.a;
    exposed.push({ deviceId: other, exposureS: c.exposureS, minDistanceM: c.minDistanceM, zones: c.zones, firstTMs: c.firstTMs, lastTMs: c.lastTMs });
  }
  exposed.sort((p, q) => q.exposureS - p.exposureS || (p.deviceId < q.deviceId ? -1 : 1));
  const journey = journeys.filter((v) => v.deviceId === query.deviceId && v.exitTMs > fromTMs && v.enterTMs < toTMs);
  return { deviceId: query.deviceId, fromTMs, toTMs, exposed, journey };
}
