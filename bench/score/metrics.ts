// metrics.json: the scores of one run. Later work adds keys; never rename these.
import type { Tech } from '../../engine/contract/site.ts';
import type { EngineResult } from '../../engine/run.ts';
import type { HotZoneScore } from './hotzones.ts';
import type { TechScore } from './per-tech.ts';

export interface Metrics {
  scenario: string;
  seed: number;
  perTech: Partial<Record<Tech, TechScore>>;
  /** What the engine fitted from AP-to-AP beacons per band, and the ranging model it then used per technology. */
  calibration: { fits: EngineResult['calibration']; ranging: EngineResult['ranging']; survey: EngineResult['survey'] };
  /** Engine hot-zone alerts against the alerts true occupancy raises under the same rule. */
  hotZones: HotZoneScore;
  /** Timing fields: the only part of metrics.json that differs between identical runs. */
  throughput: {
    observations: number;
    /** Engine observations per second, end to end (ingest, localize, contacts). */
    obsPerSec: number;
    /** Engine wall time, seconds. */
    wallS: number;
    simulateWallS: number;
  };
}
