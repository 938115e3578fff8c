// Writes an experiment's pseudonymous tracks, contacts, journeys, identity bindings and hot-zone counts
// into a location store, as a deployment would at the end of a day. The
// simulated device owners stand in for the organisation's device registry.
import { DEFAULT_CONFIG } from '../../engine/config.ts';
import type { DuckStore } from '../../engine/store/duckdb-store.ts';
import { ingestWithRetention, storeBatch, type VisitInput } from '../../engine/store/ingest.ts';
import type { RowCounts } from '../../engine/store/types.ts';
import type { Experiment } from './experiment.ts';

export interface StoreRunOptions {
  /** Wall-clock time the run's t = 0 stands for, ms since the Unix epoch. */
  startMs: number;
  /** "Now" for the retention purge that follows the ingest. */
  nowMs: number;
  /** Default: the engine's journeys. */
  journeys?: readonly VisitInput[];
}

export async function storeRun(store: DuckStore, exp: Experiment, opts: StoreRunOptions): Promise<{ stored: RowCounts; purged: RowCounts }> {
  const obs = exp.sim.observations;
  const people = exp.sim.truth.people;
  const bindings = new Map(obs.devices.map((d, i) => [d.id, people[exp.sim.truth.deviceOwner[i]].id]));
  const rules = exp.scenario.privacy ?? DEFAULT_CONFIG.privacy;
  const batch = storeBatch(
    { estimates: exp.engine.estimates, contacts: exp.engine.contacts, devices: obs.devices, journeys: opts.journeys ?? exp.engine.journeys.map((v) => ({ deviceId: v.deviceId, zoneId: v.zone, enterTMs: v.enterTMs, exitTMs: v.exitTMs })), bindings, hotZones: exp.engine.hotZones },
    opts.startMs, rules, store.key('pseudonym'),
  );
  return ingestWithRetention(store, batch, rules, opts.nowMs);
}
