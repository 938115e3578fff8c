// A site survey (calibration walk): an operator carries a reference device
// over the floor and stands at known, recorded points while the APs report
// what they hear of it. Deployment input like the site map, not ground truth
// about occupants: the engine builds its survey radio map from it
// (engine/calibrate/survey-map.ts). One row per AP reading.
import type { Band } from './site.ts';
import { doubled } from './typed-arrays.ts';

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

/**
 * Survey readings pushed one at a time, built into a SurveyBatch. Concrete
 * typed fields grown with `doubled`, like ObservationColumns: a GrowableColumn
 * per field would make that class's push see more array types than V8 keeps
 * fast (measured: 4 types 20 ns a push, 6 types 70 ns).
 */
export class SurveyColumns {
  length = 0;
  private floor = new Int16Array(1024);
  private x = new Float32Array(1024);
  private y = new Float32Array(1024);
  private apIdx = new Uint16Array(1024);
  private band = new Uint8Array(1024);
  private rssiDbm = new Float32Array(1024);

  push(floor: number, x: number, y: number, apIdx: number, band: number, rssiDbm: number): void {
    if (this.length === this.floor.length) this.grow();
    const i = this.length++;
    this.floor[i] = floor;
    this.x[i] = x;
    this.y[i] = y;
    this.apIdx[i] = apIdx;
    this.band[i] = band;
    this.rssiDbm[i] = rssiDbm;
  }

  build(): SurveyBatch {
    const n = this.length;
    return {
      length: n, floor: this.floor.slice(0, n), x: this.x.slice(0, n), y: this.y.slice(0, n),
      apIdx: this.apIdx.slice(0, n), band: this.band.slice(0, n), rssiDbm: this.rssiDbm.slice(0, n),
    };
  }

  private grow(): void {
    this.floor = doubled(this.floor);
    this.x = doubled(this.x);
    this.y = doubled(this.y);
    this.apIdx = doubled(this.apIdx);
    this.band = doubled(this.band);
    this.rssiDbm = doubled(this.rssiDbm);
  }
}
