// The live server's Prometheus metrics (prom-client), on its own registry:
//   ctsim_reports_in_total            reports accepted into the engine (late ones included, see below)
//   ctsim_reports_rejected_total{reason}  late (behind the lateness window), ahead (past the stream's time by more than reorder.ts AHEAD_MS), malformed, unknown_ap (lines of refused bodies count 1 per body), oversized, credential
//   ctsim_lag_ms                      newest report time minus the end of the last epoch released: how far outputs trail the stream
//   ctsim_pending_reports             reports held in the lateness window
//   ctsim_active_devices              devices with state (seen within the idle-eviction time)
//   ctsim_events_out_total{type}      events emitted by the engine, per type
//   ctsim_alerts_open                 hot-zone alerts raised and not cleared
//   ctsim_subscribers                 open event streams
//   ctsim_streams_dropped_total       event streams closed because their reader fell too far behind
//   ctsim_reports_stored_total        reports committed to the privacy store (serve --store; 0 without)
import { Counter, Gauge, Registry } from 'prom-client';
import type { LiveStats } from '../engine.ts';

export function liveMetrics(stats: () => LiveStats, subscribers: () => number, stored: () => number = () => 0) {
  const registry = new Registry();
  const gauge = (name: string, help: string, read: () => number): Gauge => new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  new Counter({ name: 'ctsim_reports_in_total', help: 'Reports accepted into the live engine', registers: [registry], collect() { this.reset(); this.inc(stats().reportsIn); } });
  const rejected = new Counter({ name: 'ctsim_reports_rejected_total', help: 'Reports or requests refused, by reason', labelNames: ['reason'], registers: [registry] });
  gauge('ctsim_lag_ms', 'Newest report time minus the end of the last released epoch, ms', () => stats().lagMs);
  gauge('ctsim_pending_reports', 'Reports held in the lateness window', () => stats().pending);
  gauge('ctsim_active_devices', 'Devices with live state', () => stats().activeDevices);
  gauge('ctsim_alerts_open', 'Hot-zone alerts open', () => stats().alertsOpen);
  gauge('ctsim_subscribers', 'Open event streams', subscribers);
  new Counter({ name: 'ctsim_reports_stored_total', help: 'Reports committed to the privacy store', registers: [registry], collect() { this.reset(); this.inc(stored()); } });
  const events = new Counter({ name: 'ctsim_events_out_total', help: 'Events emitted, by type', labelNames: ['type'], registers: [registry] });
  const dropped = new Counter({ name: 'ctsim_streams_dropped_total', help: 'Event streams closed: their reader fell too far behind', registers: [registry] });
  return {
    contentType: registry.contentType,
    text: (): Promise<string> => registry.metrics(),
    rejected: (reason: string, n: number): void => { if (n > 0) rejected.inc({ reason }, n); },
    eventOut: (type: string): void => events.inc({ type }),
    streamDropped: (): void => dropped.inc(),
  };
}
