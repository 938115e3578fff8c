// From the engine's outputs to a store batch: raw ids become pseudonyms,
// devices without consent are dropped (no track, journey or contact where
// either party lacks it), times become absolute. Hot-zone occupancy is kept as
// counts per zone per interval (every device counts, consent or not: no
// identity goes in). Then retention is applied. The live server's reports
// take the same rules (liveReportBlocks).
import type { HotZones } from '../hotzones/hot-zones.ts';
import type { DeviceInfo } from '../contract/observations.ts';
import type { Contact, Estimates } from '../outputs.ts';
import type { Tech } from '../contract/site.ts';
import { consentMask, mayKeep } from '../privacy/consent.ts';
import { pseudonymOf } from '../privacy/pseudonym.ts';
import { retentionCutoffMs, type PrivacyRules } from '../contract/privacy.ts';
import type { DuckStore } from './duckdb-store.ts';
import type { ReportBlock } from './report-codec.ts';
import { emptyTrack } from './track-codec.ts';
import type { DeviceTrack, RowCounts, StoreBatch, StoredZoneCount } from './types.ts';

/** A zone visit as journeys report it: raw device id, ms since the run started. */
export interface VisitInput {
  deviceId: string;
  zoneId: string;
  enterTMs: number;
  exitTMs: number;
}

export interface RunOutputs {
  estimates: Estimates;
  contacts: readonly Contact[];
  devices: readonly DeviceInfo[];
  journeys?: readonly VisitInput[];
  /** Device registry: raw device id → person (the harness plays the organisation's registry). */
  bindings?: ReadonlyMap<string, string>;
  hotZones?: HotZones;
}

export function storeBatch(run: RunOutputs, startMs: number, rules: PrivacyRules, orgSecret: Uint8Array): StoreBatch {
  const keep = consentMask(run.devices, rules);
  const pseudonyms = run.devices.map((d) => pseudonymOf(d.id, orgSecret));
  const kept = new Map<string, string>();
  run.devices.forEach((d, i) => keep[i] && kept.set(d.id, pseudonyms[i]));
  const contacts = run.contacts.flatMap((c) => {
    const a = kept.get(c.a), b = kept.get(c.b);
    if (a === undefined || b === undefined) return [];
    const [lo, hi] = a < b ? [a, b] : [b, a];
    return [{ ...c, a: lo, b: hi, firstTMs: startMs + c.firstTMs, lastTMs: startMs + c.lastTMs }];
  });
  const journeys = (run.journeys ?? []).flatMap((v) => {
    const device = kept.get(v.deviceId);
    return device === undefined ? [] : [{ device, zoneId: v.zoneId, enterTMs: startMs + v.enterTMs, exitTMs: startMs + v.exitTMs }];
  });
  const bindings = [...(run.bindings ?? new Map<string, string>())].flatMap(([id, personId]) => {
    const device = kept.get(id);
    return device === undefined ? [] : [{ device, personId }];
  });
  const zoneCounts = run.hotZones === undefined ? [] : zoneCountsOf(run.hotZones, startMs);
  return { tracks: tracksOf(run.estimates, pseudonyms, keep, startMs), contacts, journeys, bindings, zoneCounts };
}

/** One row per zone per interval, marked hot while an alert is raised and not yet cleared. */
export function zoneCountsOf(hz: HotZones, startMs: number): StoredZoneCount[] {
  const { intervalMs, intervals, zoneIds, counts } = hz.occupancy;
  const rows: StoredZoneCount[] = [];
  // Occupancy intervals start at the log's own first time (occupancy.startMs), in the log's time.
  for (let k = 0; k < intervals; k++) {
    const fromTMs = hz.occupancy.startMs + k * intervalMs;
    const endTMs = fromTMs + intervalMs;
    zoneIds.forEach((zoneId, z) => {
      const i = k * zoneIds.length + z;
      const hot = hz.alerts.some((a) => a.zone === zoneId && a.raisedTMs <= endTMs && !(a.clearedTMs <= endTMs));
      rows.push({ zoneId, startMs: startMs + fromTMs, endMs: startMs + endTMs, count: counts[i], baseline: hz.baselines[i], hot });
    });
  }
  return rows;
}

/** Reports as the live server parsed them: raw device ids, stream times (ms after the stream's start). */
export interface LiveReports {
  length: number;
  tMs: Float64Array;
  deviceId: readonly string[];
  tech: readonly Tech[];
  apIdx: Uint16Array;
  rssiDbm: Float32Array;
}

/** What turns live reports into stored ones: the site's rules, the stream's start and the organisation secret. */
export interface LiveReportRules {
  rules: PrivacyRules;
  optedIn: ReadonlySet<string>;
  /** Wall-clock time the stream's t = 0 stands for, ms since the Unix epoch. */
  startMs: number;
  orgSecret: Uint8Array;
  /** Site AP ids, by AP index. */
  apIds: readonly string[];
}

/**
 * The live path's storeBatch: of reports[i] with accepted[i], those whose
 * device may be kept (consent) and whose time is within retention (≥ cutoffMs,
 * absolute), grouped into one block per device under its pseudonym.
 * `kept` caches raw id → pseudonym, or null for a device without consent
 * (decided on its first report's technology), across batches; the live
 * outputs of a device are kept by the same entry.
 */
export function liveReportBlocks(reports: LiveReports, accepted: Uint8Array, r: LiveReportRules, cutoffMs: number, kept: Map<string, string | null>): ReportBlock[] {
  const byDevice = new Map<string, { tech: Tech; rows: number[] }>();
  for (let i = 0; i < reports.length; i++) {
    if (!accepted[i] || r.startMs + reports.tMs[i] < cutoffMs) continue;
    const id = reports.deviceId[i];
    let g = byDevice.get(id);
    if (g === undefined) byDevice.set(id, (g = { tech: reports.tech[i], rows: [] }));
    g.rows.push(i);
  }
  const blocks: ReportBlock[] = [];
  for (const [id, { tech, rows }] of byDevice) {
    let device = kept.get(id);
    if (device === undefined) kept.set(id, (device = mayKeep({ id, tech }, r.rules, r.optedIn) ? pseudonymOf(id, r.orgSecret) : null));
    if (device === null) continue;
    blocks.push({
      device, tech, length: rows.length,
      tMs: Float64Array.from(rows, (i) => r.startMs + reports.tMs[i]),
      rssiDbm: Float32Array.from(rows, (i) => reports.rssiDbm[i]),
      apId: rows.map((i) => r.apIds[reports.apIdx[i]]),
    });
  }
  return blocks;
}

/** Ingests, then purges what the retention period no longer allows (relative to nowMs). */
export async function ingestWithRetention(store: DuckStore, batch: StoreBatch, rules: PrivacyRules, nowMs: number): Promise<{ stored: RowCounts; purged: RowCounts }> {
  const stored = await store.ingest(batch);
  const purged = await store.purge(retentionCutoffMs(nowMs, rules.retentionDays));
  return { stored, purged };
}

/** Splits the estimates (sorted by time) into one time-ordered track per kept device. */
function tracksOf(est: Estimates, pseudonyms: readonly string[], keep: readonly boolean[], startMs: number): DeviceTrack[] {
  const counts = new Uint32Array(pseudonyms.length);
  for (let i = 0; i < est.length; i++) counts[est.deviceIdx[i]]++;
  const tracks = Array.from(counts, (n) => emptyTrack(n));
  const fill = new Uint32Array(pseudonyms.length);
  for (let i = 0; i < est.length; i++) {
    const d = est.deviceIdx[i];
    if (!keep[d]) continue;
    const t = tracks[d], k = fill[d]++;
    t.tMs[k] = startMs + est.tMs[i];
    t.x[k] = est.x[i];
    t.y[k] = est.y[i];
    t.floor[k] = est.floor[i];
    t.errorRadiusM[k] = est.errorRadiusM[i];
  }
  return tracks.flatMap((track, d) => (keep[d] && track.length > 0 ? [{ device: pseudonyms[d], track }] : []));
}
