// How a run is carried out, not what it concludes from the data: how many
// threads, and how much time each task spans.
import { whole, type Settings } from '../settings/rules.ts';

export interface RunSettings {
  /** Worker threads for localization, tracking and contacts; 0 runs everything inline on the calling thread. */
  workers: number;
  /**
   * Observations per worker task span this much time, ms (rounded to whole
   * epochs): bounds the memory in flight and sets the progress granularity.
   * Pooled stays close at a chunk's end, so it can move fixes.
   */
  chunkMs: number;
}

export const RUN_SETTINGS: Settings<RunSettings> = {
  defaults: { workers: 2, chunkMs: 3_600_000 },
  rules: { workers: whole(0, 128), chunkMs: whole(1000, 86_400_000) },
};
