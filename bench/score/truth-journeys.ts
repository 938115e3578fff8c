// True journeys: each person's zone visits from the sampled true positions,
// under the same minimum-dwell rule the engine applies to its own.
import type { JourneySettings } from '../../engine/journeys/journeys.ts';
import { applyMinDwell, type Visit } from '../../engine/journeys/visits.ts';
import type { TruthPositions } from '../../sim/types.ts';

/** visits[person], in time order; positions grouped by time as the simulator samples them. */
export function trueJourneys(positions: TruthPositions, personCount: number, sampleIntervalS: number, cfg: JourneySettings): Visit[][] {
  const stepMs = sampleIntervalS * 1000;
  const raw: Visit[][] = Array.from({ length: personCount }, () => []);
  for (let i = 0; i < positions.length; i++) {
    const visits = raw[positions.person[i]];
    const zone = positions.zone[i];
    const t = positions.tMs[i];
    const last = visits[visits.length - 1];
    // Contiguous samples of one zone extend the visit; anything else starts a new one.
    if (last && last.zone === zone && last.exitTMs === t) last.exitTMs = t + stepMs;
    else visits.push({ zone, enterTMs: t, exitTMs: t + stepMs });
  }
  return raw.map((visits) => applyMinDwell(visits.filter((v) => v.zone >= 0), cfg.minDwellS, cfg.maxGapS));
}
