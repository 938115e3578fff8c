// One device shard's whole day after localization: its fixes (one part per
// time chunk, in order) tracked and smoothed as configured over the walks
// between its pooled stays, and its journeys.
// Both are per device, so a shard's result cannot depend on which other
// devices share its worker, and the tracks land in shared memory for the
// contact slabs to read without copies.
import type { EngineContext } from '../pipeline/context.ts';
import { concatEstimates } from '../pipeline/estimates.ts';
import { buildJourneys } from '../journeys/journeys.ts';
import type { Estimates, ZoneVisit } from '../outputs.ts';
import { trackWith, type TrackerName } from './index.ts';
import { trackWalks } from './walks.ts';
import { floorTrackedRadii, ResidualShares } from './residual-share.ts';
import { apsClass } from '../calibrate/map-radius.ts';

export interface TrackShardResult {
  /** Sorted by (tMs, deviceIdx); SharedArrayBuffer-backed. */
  tracked: Estimates;
  /** The shard's devices' visits, sorted by device id then enter time. */
  journeys: ZoneVisit[];
}

export function trackShard(ctx: EngineContext, fixParts: Estimates[]): TrackShardResult {
  const { cfg, devices, layout, fixRadiusScale } = ctx;
  const fixes = fixParts.length === 1 ? fixParts[0] : concatEstimates(fixParts);
  fixParts.length = 0; // the parts can go once joined
  const track = (name: TrackerName, walks: boolean) => (f: Estimates): Estimates =>
    trackWith(name, { fixes: f, devices: devices.length, layout, fixRadiusScale, walks }, cfg.track);
  // With a survey, stays are pooled (engine/localize/stays.ts), already fused
  // over time: the walk filter fills the walks between them.
  const pooled = cfg.stays.poolS > 0 && ctx.maps.some(Boolean);
  const whole = track(cfg.track.filter, false);
  const filtered = pooled ? trackWalks(fixes, devices.length, track(cfg.track.walkFilter, true), whole) : whole(fixes);
  floorTrackedRadii(fixes, filtered, new ResidualShares(devices.length));
  const tracked = concatEstimates([filtered], true);
  widenMoved(tracked, ctx);
  return { tracked, journeys: buildJourneys(tracked, devices, ctx.site, cfg.ingest.epochMs, cfg.journeys) };
}

/**
 * What the world moved since the survey adds to every error beyond the
 * fixes' misfit (RadiusFloor.movedFactor): a place's field moved, not a
 * reading's, so it neither weighs fixes in a track nor averages down in one;
 * it widens the reported radii once tracked, by the factor of the APs each used.
 */
function widenMoved(est: Estimates, { maps, deviceTech }: EngineContext): void {
  const factor = maps.map((m) => m?.radiusFloor.movedFactor);
  if (factor.every((f) => f === undefined)) return;
  for (let i = 0; i < est.length; i++) {
    const f = factor[deviceTech[est.deviceIdx[i]]];
    const c = f ? apsClass(est.apsUsed[i]) : -1;
    if (c >= 0) est.errorRadiusM[i] *= f![c];
  }
}
