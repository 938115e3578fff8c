// One localization task: a time chunk of observations (whole epochs,
// time-ordered) in, the fixes of one device shard (deviceIdx mod shards) out,
// sorted by (tMs, deviceIdx). Every shard's task reads the same chunk (shared
// memory, not copies), so the calling thread never splits rows by shard.
import type { EngineContext } from '../pipeline/context.ts';
import { addColumns, EpochAggregator } from '../ingest/epochs.ts';
import { ReportHold } from '../ingest/hold.ts';
import { EstimatesBuilder } from '../pipeline/estimates.ts';
import { LOCALIZERS, type LocalizeTuning } from './index.ts';
import { StayPooler, type FixSink } from './stays.ts';
import type { Localizer, LocalizeModel, Readings } from './types.ts';
import { localizeModel } from './model.ts';
import type { Estimates } from '../outputs.ts';
import { TECHS } from '../contract/site.ts';

export interface LocalizeTask {
  tMs: Float64Array;
  deviceIdx: Uint32Array;
  apIdx: Uint16Array;
  rssiDbm: Float32Array;
  shard: number;
  shards: number;
}

export interface LocalizeResult {
  estimates: Estimates;
  /** (device, epoch) aggregates formed. */
  epochs: number;
}

export function localizeChunk(ctx: EngineContext, task: LocalizeTask): LocalizeResult {
  const { cfg } = ctx;
  const localizer = LOCALIZERS[cfg.localize.method];
  const models = localizeModels(ctx);
  const out = new EstimatesBuilder(task.tMs.length >> 3);
  const poolers = stayPoolers(ctx, localizer, models, () => out);
  const readings: Readings = { apIdx: new Uint16Array(0), rssiDbm: new Float32Array(0), count: new Uint32Array(0), start: 0, end: 0 };
  let epochs = 0;
  const hold = new ReportHold(cfg.ingest.holdS, cfg.ingest.epochMs);
  const agg = new EpochAggregator(cfg.ingest.epochMs, (ep) => {
    epochs += ep.groups;
    for (let g = 0; g < ep.groups; g++) {
      const device = ep.deviceIdx[g];
      const tech = ctx.deviceTech[device];
      const r = hold.readings(ep, g, tech, readings);
      const pooler = poolers[tech];
      if (pooler) {
        pooler.add(ep.tMs, device, r);
        continue;
      }
      const fix = localizer.locate(models[tech], r);
      if (fix !== null) out.push(ep.tMs, device, fix);
    }
  }, Math.max(1, ctx.site.aps.length));
  addColumns(agg, task.tMs, task.deviceIdx, task.apIdx, task.rssiDbm, 0, task.tMs.length, task.shard, task.shards);
  agg.flush();
  for (const p of poolers) p?.flush();
  return { estimates: out.build(), epochs };
}

/** Each technology's localization model, in TECHS order. Shared by the batch chunks and the live engine. */
export function localizeModels(ctx: EngineContext): LocalizeModel<LocalizeTuning>[] {
  return TECHS.map((t, i) => localizeModel(ctx.layout, ctx.ranging[t], ctx.cfg.localize, { apGainDb: ctx.apGainDb[i], map: ctx.maps[i] }));
}

/**
 * One stay pooler per technology writing to sinkOf(tech), each with its
 * fading spread (the log's own where calibration read it, else the survey's),
 * only over a survey map (else null: own fixes only):
 * without one, stale pooled APs mostly add worse fixes at twice the cost (see
 * stays.poolS). Shared by the batch chunks and the live engine.
 */
export function stayPoolers(
  ctx: EngineContext, localizer: Localizer<LocalizeTuning>, models: readonly LocalizeModel<LocalizeTuning>[], sinkOf: (tech: number) => FixSink,
): (StayPooler | null)[] {
  const { poolS, changeChi2, moveChi2, minEpochs, blipEpochs } = ctx.cfg.stays;
  return models.map((m, i) => (poolS > 0 && m.map
    ? new StayPooler(localizer, m, {
      maxSpanMs: poolS * 1000, changeChi2, moveChi2, minEpochs, blipEpochs,
      readingVarDb2: (m.map.stayReadingSigmaDb ?? m.map.readingSigmaDb) ** 2, radiusScale: ctx.fixRadiusScale,
    }, sinkOf(i))
    : null));
}
