// AP selection shared by the localizers: the strongest AP sets the floor,
// then up to maxAps of the strongest APs on that floor are used.
import type { LocalizeModel, Readings } from './types.ts';

/** The selected APs, strongest first, in reused buffers (valid until the next call). */
export interface Selection {
  floorIdx: number;
  count: number;
  apIdx: Uint16Array;
  rssiDbm: Float64Array;
  /** Reports behind each mean (weighted, so fractional, when pooled over epochs). */
  reports: Float64Array;
}

const selection: Selection = { floorIdx: 0, count: 0, apIdx: new Uint16Array(16), rssiDbm: new Float64Array(16), reports: new Float64Array(16) };

/** Up to `max` of the strongest APs on the strongest one's floor; null when fewer than localize.minAps. */
export function selectStrongest(model: LocalizeModel, r: Readings, max = model.localize.maxAps): Selection | null {
  const { apFloorIdx } = model.layout;
  let best = -1;
  for (let i = r.start; i < r.end; i++) if (best < 0 || r.rssiDbm[i] > r.rssiDbm[best]) best = i;
  if (best < 0) return null;
  const floorIdx = apFloorIdx[r.apIdx[best]];
  if (selection.apIdx.length < max) {
    selection.apIdx = new Uint16Array(max);
    selection.rssiDbm = new Float64Array(max);
    selection.reports = new Float64Array(max);
  }
  // Insertion into a short sorted list: maxAps is small, readings are few.
  let n = 0;
  for (let i = r.start; i < r.end; i++) {
    const ap = r.apIdx[i];
    if (apFloorIdx[ap] !== floorIdx) continue;
    const rssi = r.rssiDbm[i];
    let k: number;
    if (n < max) k = n++;
    else if (rssi > selection.rssiDbm[max - 1]) k = max - 1;
    else continue;
    while (k > 0 && selection.rssiDbm[k - 1] < rssi) {
      selection.apIdx[k] = selection.apIdx[k - 1];
      selection.rssiDbm[k] = selection.rssiDbm[k - 1];
      selection.reports[k] = selection.reports[k - 1];
      k--;
    }
    selection.apIdx[k] = ap;
    selection.rssiDbm[k] = rssi;
    selection.reports[k] = r.count ? r.count[i] : 1;
  }
  if (n < model.localize.minAps) return null;
  selection.floorIdx = floorIdx;
  selection.count = n;
  return selection;
}
