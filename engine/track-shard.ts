// One device shard's whole day after localization: its fixes (one part per
// time chunk, in order) tracked and smoothed as configured over the walks
// between its pooled stays, and its journeys.
// Both are per device, so a shard's result cannot depend on which other
// devices share its worker, and the tracks land in shared memory for the
// contact slabs to read without copies.
import type { EngineConfig } from './config.ts';
import type { EngineContext } from './engine-context.ts';
import { concatEstimates } from './estimates.ts';
import { buildJourneys } from './journeys/journeys.ts';
import type { Estimates, ZoneVisit } from './outputs.ts';
import { trackGrid } from './track/grid.ts';
import { newFilterHistory, newTrackState, trackKalman } from './track/kalman.ts';
import { trackParticles } from './track/particle.ts';
import { smoothTracks } from './track/smooth.ts';
import { trackWalks } from './track/walks.ts';

export interface TrackShardResult {
  /** Sorted by (tMs, deviceIdx); SharedArrayBuffer-backed. */
  tracked: Estimates;
  /** The shard's devices' visits, sorted by device id then enter time. */
  journeys: ZoneVisit[];
}

export function trackShard(ctx: EngineContext, fixParts: Estimates[]): TrackShardResult {
  const { cfg, devices } = ctx;
  const fixes = fixParts.length === 1 ? fixParts[0] : concatEstimates(fixParts);
  fixParts.length = 0; // the parts can go once joined
  // The factor from a fix's 68% radius back to its spread: the map localizer's own when it had a map.
  const radiusScale = cfg.localizer === 'map' && ctx.maps.some(Boolean) ? cfg.localize.mapRadiusScale : cfg.localize.errorRadiusScale;
  const filter = cfg.track.filter;
  const track = (walks: Estimates): Estimates =>
    filter === 'kalman' ? kalman(walks, devices.length, cfg, radiusScale)
    : filter === 'grid' ? trackGrid(walks, devices.length, ctx.layout, cfg.track, radiusScale)
    : trackParticles(walks, devices.length, ctx.layout, cfg.track, radiusScale);
  // Pooled stays are already fused over time: the filter fills the walks between them.
  const filtered = filter === 'none' ? fixes : trackWalks(fixes, devices.length, track);
  const tracked = concatEstimates([filtered], true);
  return { tracked, journeys: buildJourneys(tracked, devices, ctx.site, cfg.epochMs, cfg.journeys) };
}

function kalman(fixes: Estimates, devices: number, cfg: EngineConfig, radiusScale: number): Estimates {
  const history = cfg.track.smooth ? newFilterHistory(fixes.length) : undefined;
  const tracked = trackKalman(fixes, newTrackState(devices), cfg.track, radiusScale, history);
  if (history) smoothTracks(tracked, history, devices, cfg.track, radiusScale, fixes.errorRadiusM);
  return tracked;
}
