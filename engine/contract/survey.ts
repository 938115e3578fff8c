// A site survey (calibration walk): an operator carries a reference device
// over the floor and stands at known, recorded points while the APs report
// what they hear of it. Deployment input like the site map, not ground truth
// about occupants: the engine builds its survey radio map from it
// (engine/calibrate/survey-map.ts). One row per AP reading.
import type { Band } from './site.ts';

export const SURVEY_BANDS: readonly Band[] = ['wifi', 'ble'];

export interface SurveyBatch {
  length: number;
  /** Floor id of the surveyed point. */
  floor: Int16Array;
  /** The surveyed point, metres in the floor's frame. */
  x: Float32Array;
  y: Float32Array;
  /** The AP that heard the reference device (index into site.aps). */
  apIdx: Uint16Array;
  /** Index into SURVEY_BANDS. */
  band: Uint8Array;
  rssiDbm: Float32Array;
}

/** Growable survey columns, filled reading by reading. */
export class SurveyColumns {
  private rows: SurveyBatch = allocSurvey(1024);

  get length(): number {
    return this.rows.length;
  }

  push(floor: number, x: number, y: number, apIdx: number, band: number, rssiDbm: number): void {
    let r = this.rows;
    if (r.length === r.floor.length) {
      const bigger = allocSurvey(r.floor.length * 2);
      for (const k of COLUMNS) bigger[k].set(r[k] as never);
      bigger.length = r.length;
      this.rows = r = bigger;
    }
    const i = r.length++;
    r.floor[i] = floor;
    r.x[i] = x;
    r.y[i] = y;
    r.apIdx[i] = apIdx;
    r.band[i] = band;
    r.rssiDbm[i] = rssiDbm;
  }

  build(): SurveyBatch {
    const r = this.rows, n = r.length;
    return { length: n, floor: r.floor.slice(0, n), x: r.x.slice(0, n), y: r.y.slice(0, n), apIdx: r.apIdx.slice(0, n), band: r.band.slice(0, n), rssiDbm: r.rssiDbm.slice(0, n) };
  }
}

const COLUMNS = ['floor', 'x', 'y', 'apIdx', 'band', 'rssiDbm'] as const;

function allocSurvey(n: number): SurveyBatch {
  return {
    length: 0, floor: new Int16Array(n), x: new Float32Array(n), y: new Float32Array(n),
    apIdx: new Uint16Array(n), band: new Uint8Array(n), rssiDbm: new Float32Array(n),
  };
}
