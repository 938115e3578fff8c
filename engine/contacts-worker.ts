// One contact task: the estimates of one floor in one time chunk (a slab) in,
// that slab's pair totals out; runEngine merges the slabs. Floors never share
// a contact, so slabs of different floors are independent.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { EngineConfig } from './config.ts';
import { DETECTORS } from './contacts/index.ts';
import { ExposureAccumulator, type ContactParams, type PairColumns } from './contacts/exposure.ts';
import type { Estimates } from './outputs.ts';

export interface SlabTask {
  estimates: Estimates;
  deviceTech: Uint8Array;
  params: ContactParams;
  detector: EngineConfig['contacts']['detector'];
}

export function slabExposure(task: SlabTask): PairColumns {
  const acc = new ExposureAccumulator(task.deviceTech, task.params, DETECTORS[task.detector]);
  acc.add(task.estimates);
  return acc.slab();
}

/** The piscina task (named export `slabTask`): slabExposure, its columns transferred back. */
export function slabTask(task: SlabTask): unknown {
  const part = slabExposure(task);
  const buffers = [part.lo, part.hi, part.epochs, part.minDistanceM, part.firstTMs, part.lastTMs].map((a) => a.buffer as ArrayBuffer);
  return move({ [transferableSymbol]: buffers, [valueSymbol]: part });
}
