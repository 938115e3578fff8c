// The piscina tasks (worker-entry.js re-exports them by name): each runs the
// engine function of the same job against the context the pool handed every
// worker once (workerData), with typed-array results transferred back.
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { contactSlab, type ContactSlabTask, type SlabPairs } from './contact-slab.ts';
import { engineContext, type ContextData, type EngineContext } from './engine-context.ts';
import { estimateBuffers } from './estimates.ts';
import { localizeChunk, type LocalizeTask } from './localize-worker.ts';
import type { Contact, Estimates } from './outputs.ts';
import { phoneContacts } from './proximity/phone-contacts.ts';
import type { PhoneRssiBatch } from './proximity/phone-rssi.ts';
import { trackShard, type TrackShardResult } from './track-shard.ts';

let ctx: EngineContext | undefined;
const context = (): EngineContext => (ctx ??= engineContext(workerData as ContextData));

export function localize(task: LocalizeTask): unknown {
  const result = localizeChunk(context(), task);
  return move({ [transferableSymbol]: estimateBuffers(result.estimates), [valueSymbol]: result });
}

/** Its tracks are in shared memory: posting them back copies nothing. */
export function track(fixParts: Estimates[]): TrackShardResult {
  return trackShard(context(), fixParts);
}

export function contacts(task: ContactSlabTask): unknown {
  const pairs: SlabPairs = contactSlab(context(), task);
  const { a, b, exposureS, minDistanceM, firstTMs, lastTMs, zoneStart, zones } = pairs;
  return move({ [transferableSymbol]: [a, b, exposureS, minDistanceM, firstTMs, lastTMs, zoneStart, zones].map((x) => x.buffer), [valueSymbol]: pairs });
}

export function phone(batch: PhoneRssiBatch): Contact[] {
  return phoneContacts(batch, context().devices, context().cfg.proximity);
}
