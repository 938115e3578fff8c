// The piscina tasks (worker-entry.js re-exports them by name): each runs the
// engine function of the same job against the run's context (decoded once
// per worker from the shared copy every task carries), with typed-array
// results transferred back. Calibration's parts come first and carry their
// own inputs: the context is what they make.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { contactSlab, type ContactSlabTask, type SlabPairs } from '../contacts/slab.ts';
import { sharedContext, type EngineContext } from './context.ts';
import { estimateBuffers } from './estimates.ts';
import { localizeChunk, type LocalizeTask } from '../localize/chunk.ts';
import type { Contact, Estimates } from '../outputs.ts';
import { phoneContacts } from '../proximity/phone-contacts.ts';
import type { PhoneRssiBatch } from '../contract/phone-rssi.ts';
import { trackShard, type TrackShardResult } from '../track/shard.ts';

export { calibrateTech, mapOffset, surveyBand } from './calibration.ts';

/** A task as posted: the run's context (shareContext) and the job. */
export interface Envelope<T> {
  context: SharedArrayBuffer;
  task: T;
}

// A pool serves one run, so its workers decode one context.
let ctx: EngineContext | undefined;
const context = (shared: SharedArrayBuffer): EngineContext => (ctx ??= sharedContext(shared));

export function localize({ context: shared, task }: Envelope<LocalizeTask>): unknown {
  const result = localizeChunk(context(shared), task);
  return move({ [transferableSymbol]: estimateBuffers(result.estimates), [valueSymbol]: result });
}

/** Its tracks are in shared memory: posting them back copies nothing. */
export function track({ context: shared, task: fixParts }: Envelope<Estimates[]>): TrackShardResult {
  return trackShard(context(shared), fixParts);
}

export function contacts({ context: shared, task }: Envelope<ContactSlabTask>): unknown {
  const pairs: SlabPairs = contactSlab(context(shared), task);
  const { a, b, exposureS, minDistanceM, firstTMs, lastTMs, zoneStart, zones } = pairs;
  return move({ [transferableSymbol]: [a, b, exposureS, minDistanceM, firstTMs, lastTMs, zoneStart, zones].map((x) => x.buffer), [valueSymbol]: pairs });
}

export function phone({ context: shared, task: batch }: Envelope<PhoneRssiBatch>): Contact[] {
  const { devices, cfg } = context(shared);
  return phoneContacts(batch, devices, cfg.proximity);
}
