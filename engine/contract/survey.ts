// A site survey (calibration walk): an operator carries a reference device
// over the floor and stands at known, recorded points while the APs report
// what they hear of it. Deployment input like the site map, not ground truth
// about occupants: the engine builds its survey radio map from it
// (engine/calibrate/survey-map.ts). One row per AP reading.
import type { Band } from './site.ts';
import { GrowableColumn } from './typed-arrays.ts';

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

/** Survey readings pushed one at a time, built into a SurveyBatch. */
export class SurveyColumns {
  private readonly floor = new GrowableColumn(Int16Array);
  private readonly x = new GrowableColumn(Float32Array);
  private readonly y = new GrowableColumn(Float32Array);
  private readonly apIdx = new GrowableColumn(Uint16Array);
  private readonly band = new GrowableColumn(Uint8Array);
  private readonly rssiDbm = new GrowableColumn(Float32Array);

  get length(): number {
    return this.floor.length;
  }

  push(floor: number, x: number, y: number, apIdx: number, band: number, rssiDbm: number): void {
    this.floor.push(floor);
    this.x.push(x);
    this.y.push(y);
    this.apIdx.push(apIdx);
    this.band.push(band);
    this.rssiDbm.push(rssiDbm);
  }

  build(): SurveyBatch {
    return {
      length: this.length, floor: this.floor.toArray(), x: this.x.toArray(), y: this.y.toArray(),
      apIdx: this.apIdx.toArray(), band: this.band.toArray(), rssiDbm: this.rssiDbm.toArray(),
    };
  }
}
