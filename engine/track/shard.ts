// One device shard's whole day after localization: its fixes (one part per
// time chunk, in order) tracked and smoothed as configured over the walks
// between its pooled stays, and its journeys.
// Both are per device, so a shard's result cannot depend on which other
// devices share its worker, and the tracks land in shared memory for the
// contact slabs to read without copies.
import type { EngineConfig, TrackConfig } from '../config.ts';
import type { EngineContext } from '../pipeline/context.ts';
import { concatEstimates } from '../pipeline/estimates.ts';
import { buildJourneys } from '../journeys/journeys.ts';
import type { Estimates, ZoneVisit } from '../outputs.ts';
import { trackGrid } from './grid-hmm.ts';
import { newFilterHistory, newTrackState, trackKalman } from './kalman.ts';
import { trackParticles } from './particle.ts';
import { smoothTracks } from './rts-smoother.ts';
import { trackWalks } from './walks.ts';

export interface TrackShardResult {
  /** Sorted by (tMs, deviceIdx); SharedArrayBuffer-backed. */
  tracked: Estimates;
  /** The shard's devices' visits, sorted by device id then enter time. */
  journeys: ZoneVisit[];
}

export function trackShard(ctx: EngineContext, fixParts: Estimates[]): TrackShardResult {
  const { cfg, devices, fixRadiusScale: radiusScale } = ctx;
  const fixes = fixParts.length === 1 ? fixParts[0] : concatEstimates(fixParts);
  fixParts.length = 0; // the parts can go once joined
  const track = (filter: EngineConfig['track']['filter'], trackCfg: TrackConfig, f: Estimates): Estimates =>
    filter === 'kalman' ? kalman(f, devices.length, cfg, radiusScale)
    : filter === 'grid' ? trackGrid(f, devices.length, ctx.layout, trackCfg, radiusScale)
    : filter === 'particle' ? trackParticles(f, devices.length, ctx.layout, trackCfg, radiusScale)
    : f;
  // With a survey, stays are pooled (engine/localize/stays.ts), already fused
  // over time: the walk filter fills the walks between them.
  const pooled = cfg.localize.stillPoolS > 0 && ctx.maps.some(Boolean);
  const walkCfg = { ...cfg.track, gridStillShare: cfg.track.walkGridStillShare };
  const whole = (f: Estimates): Estimates => track(cfg.track.filter, cfg.track, f);
  const filtered = pooled ? trackWalks(fixes, devices.length, (walks) => track(cfg.track.walkFilter, walkCfg, walks), whole) : whole(fixes);
  const tracked = concatEstimates([filtered], true);
  return { tracked, journeys: buildJourneys(tracked, devices, ctx.site, cfg.epochMs, cfg.journeys) };
}

function kalman(fixes: Estimates, devices: number, cfg: EngineConfig, radiusScale: number): Estimates {
  const history = cfg.track.smooth ? newFilterHistory(fixes.length) : undefined;
  const tracked = trackKalman(fixes, newTrackState(devices), cfg.track, radiusScale, history);
  if (history) smoothTracks(tracked, history, devices, cfg.track, radiusScale, fixes.errorRadiusM);
  return tracked;
}
