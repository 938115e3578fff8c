// One localization task: a time chunk of one shard's observations (whole
// epochs, time-ordered) in, that shard's fixes for the chunk out, sorted by
// (tMs, deviceIdx). Runs in a piscina worker (through worker-entry.js) or
// inline when workers = 0; both paths run localizeChunk.
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { EngineConfig, LocalizeConfig, RangingModel } from './config.ts';
import { addColumns, EpochAggregator } from './epochs.ts';
import { EstimatesBuilder, estimateBuffers } from './estimates.ts';
import { LOCALIZERS } from './localize/index.ts';
import type { SiteLayout } from './localize/layout.ts';
import type { LocalizeModel, Readings, TechRadioMap } from './localize/types.ts';
import type { Estimates } from './outputs.ts';

export interface LocalizeTask {
  localizer: EngineConfig['localizer'];
  epochMs: number;
  layout: SiteLayout;
  localize: LocalizeConfig;
  /** Ranging model per technology, indexed like TECHS. */
  ranging: RangingModel[];
  /** Survey radio map per technology, indexed like TECHS (undefined: none). */
  maps: (TechRadioMap | undefined)[];
  /** Technology (index into TECHS) of every device in the batch. */
  deviceTech: Uint8Array;
  tMs: Float64Array;
  deviceIdx: Uint32Array;
  apIdx: Uint16Array;
  rssiDbm: Float32Array;
}

export interface LocalizeResult {
  estimates: Estimates;
  /** (device, epoch) aggregates formed. */
  epochs: number;
}

export function localizeChunk(task: LocalizeTask): LocalizeResult {
  const localizer = LOCALIZERS[task.localizer];
  if (!localizer) throw new Error(`unknown localizer '${task.localizer}' (known: ${Object.keys(LOCALIZERS).join(', ')})`);
  const models: LocalizeModel[] = task.ranging.map((ranging, t) => ({ layout: task.layout, ranging, localize: task.localize, map: task.maps[t] }));
  const out = new EstimatesBuilder(task.tMs.length >> 3);
  const readings: Readings = { apIdx: new Uint16Array(0), rssiDbm: new Float32Array(0), count: new Uint32Array(0), start: 0, end: 0 };
  let epochs = 0;
  const agg = new EpochAggregator(task.epochMs, (ep) => {
    readings.apIdx = ep.apIdx;
    readings.rssiDbm = ep.rssiDbm;
    readings.count = ep.count;
    epochs += ep.groups;
    for (let g = 0; g < ep.groups; g++) {
      const device = ep.deviceIdx[g];
      readings.start = ep.groupStart[g];
      readings.end = ep.groupStart[g + 1];
      const fix = localizer.locate(models[task.deviceTech[device]], readings);
      if (fix !== null) out.push(ep.tMs, device, fix);
    }
  });
  addColumns(agg, task.tMs, task.deviceIdx, task.apIdx, task.rssiDbm);
  agg.flush();
  return { estimates: out.build(), epochs };
}

/** The piscina task: localizeChunk, with the result's buffers transferred back. */
export default function localizeTask(task: LocalizeTask): unknown {
  const result = localizeChunk(task);
  return move({ [transferableSymbol]: estimateBuffers(result.estimates), [valueSymbol]: result });
}
