// Growable observation columns, filled row by row by the simulator and by the
// log readers. Fields are concrete typed arrays (no generic column) so the
// per-row hot path stays monomorphic.
import type { DeviceInfo, ObservationBatch } from './observations.ts';
import { doubled } from './typed-arrays.ts';

export class ObservationColumns {
  length = 0;
  tMs: Float64Array;
  deviceIdx: Uint32Array;
  apIdx: Uint16Array;
  rssiDbm: Float32Array;

  constructor(capacity = 1 << 16) {
    this.tMs = new Float64Array(capacity);
    this.deviceIdx = new Uint32Array(capacity);
    this.apIdx = new Uint16Array(capacity);
    this.rssiDbm = new Float32Array(capacity);
  }

  push(tMs: number, deviceIdx: number, apIdx: number, rssiDbm: number): void {
    if (this.length === this.tMs.length) this.grow();
    const i = this.length++;
    this.tMs[i] = tMs;
    this.deviceIdx[i] = deviceIdx;
    this.apIdx[i] = apIdx;
    this.rssiDbm[i] = rssiDbm;
  }

  clear(): void {
    this.length = 0;
  }

  /** Right-sized copies of the rows. */
  toBatch(devices: DeviceInfo[]): ObservationBatch {
    const n = this.length;
    return {
      length: n,
      tMs: this.tMs.slice(0, n),
      deviceIdx: this.deviceIdx.slice(0, n),
      apIdx: this.apIdx.slice(0, n),
      rssiDbm: this.rssiDbm.slice(0, n),
      devices,
    };
  }

  private grow(): void {
    this.tMs = doubled(this.tMs);
    this.deviceIdx = doubled(this.deviceIdx);
    this.apIdx = doubled(this.apIdx);
    this.rssiDbm = doubled(this.rssiDbm);
  }
}
