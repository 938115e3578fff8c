// Close-pair search on a uniform grid of cells a hair wider than distanceM,
// so a pair within distanceM is always in the same or a neighbouring cell.
// The grid is sparse: each estimate gets the integer key of its cell (floor
// layer, row, column), the keys are radix-sorted, and the pairs are read
// cell by cell from the sorted order, each one once: within a cell, then
// with the cell to the east and the three cells of the next row (whose keys
// are consecutive, so one contiguous block of the sorted order, found by a
// pointer that only moves forward). Cost grows with the estimates and their
// close neighbours, never with the area of the site. Flat typed arrays
// reused from epoch to epoch: nothing is allocated per epoch once warm.
import type { ContactDetector, PairVisitor } from './detector.ts';

// Cells a hair wider than distanceM: two estimates exactly distanceM apart
// still land in neighbouring cells whatever the rounding of the division.
const CELL_MARGIN = 1 + 1e-9;
// Squared distances are compared against a hair more than distanceM², then
// the root is checked exactly, so a pair is kept exactly when the reference's
// sqrt(dx² + dy²) ≤ distanceM.
const SQUARED_MARGIN = 1 + 1e-9;
// Keys must stay exact small integers: a key space above this (a stray fix
// kilometres away) widens the cells instead, which costs time, never pairs.
const MAX_KEYS = 2 ** 30;
const RADIX_BITS = 8;
const RADIX = 1 << RADIX_BITS;

let keyOf = new Uint32Array(256); // cell key of rows[k], then of the sorted order
let order = new Uint32Array(256); // positions k of rows, in key order
let keyTmp = new Uint32Array(256);
let orderTmp = new Uint32Array(256);
let sortedRow = new Uint32Array(256);
let sortedX = new Float64Array(256);
let sortedY = new Float64Array(256);
const digitCount = new Uint32Array(RADIX);
const floors: number[] = [];

function reserve(n: number): void {
  if (keyOf.length >= n) return;
  const size = Math.max(n, keyOf.length * 2);
  keyOf = new Uint32Array(size);
  order = new Uint32Array(size);
  keyTmp = new Uint32Array(size);
  orderTmp = new Uint32Array(size);
  sortedRow = new Uint32Array(size);
  sortedX = new Float64Array(size);
  sortedY = new Float64Array(size);
}

/** Sorts keyOf[0, n) ascending (stable) by LSD radix, carrying order along. */
function radixSort(n: number, maxKey: number): void {
  let keys = keyOf, ids = order, keysOut = keyTmp, idsOut = orderTmp;
  for (let shift = 0; shift < 32; shift += RADIX_BITS) {
    if (shift > 0 && maxKey >>> shift === 0) break;
    digitCount.fill(0);
    for (let k = 0; k < n; k++) digitCount[(keys[k] >>> shift) & (RADIX - 1)]++;
    for (let d = 0, at = 0; d < RADIX; d++) {
      const c = digitCount[d];
      digitCount[d] = at;
      at += c;
    }
    for (let k = 0; k < n; k++) {
      const at = digitCount[(keys[k] >>> shift) & (RADIX - 1)]++;
      keysOut[at] = keys[k];
      idsOut[at] = ids[k];
    }
    [keys, keysOut] = [keysOut, keys];
    [ids, idsOut] = [idsOut, ids];
  }
  if (keys !== keyOf) {
    keyOf.set(keys.subarray(0, n));
    order.set(ids.subarray(0, n));
  }
}

/** Pairs of sorted entry i with each of [from, to) within distanceM. */
function scan(i: number, from: number, to: number, distanceM: number, maxD2: number, visit: PairVisitor): void {
  const xi = sortedX[i], yi = sortedY[i];
  for (let j = from; j < to; j++) {
    const dx = xi - sortedX[j], dy = yi - sortedY[j];
    const d2 = dx * dx + dy * dy;
    if (d2 > maxD2) continue;
    const d = Math.sqrt(d2);
    if (d <= distanceM) visit(sortedRow[i], sortedRow[j], d);
  }
}

export const grid: ContactDetector = {
  closePairs(est, rows, n, distanceM, visit) {
    if (n < 2) return;
    reserve(n);
    const { x: ex, y: ey, floor: ef } = est;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    floors.length = 0;
    let lastFloor = NaN, lastLayer = -1;
    for (let k = 0; k < n; k++) {
      const r = rows[k];
      const x = ex[r], y = ey[r];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      const f = ef[r];
      if (f !== lastFloor) {
        lastFloor = f;
        lastLayer = floors.indexOf(f);
        if (lastLayer < 0) lastLayer = floors.push(f) - 1;
      }
      keyOf[k] = lastLayer; // the layer for now; the key below
    }
    let cellM = Math.max(distanceM, 1e-6) * CELL_MARGIN;
    // Columns 1 .. w with an empty one on each side, and an empty row after
    // each layer's last, so a neighbour's key (±1 column, +1 row) never wraps
    // into another row or layer.
    const shape = (m: number): [number, number] => [Math.floor((maxX - minX) / m) + 3, Math.floor((maxY - minY) / m) + 2];
    let [nx, ny] = shape(cellM);
    while (nx * ny * floors.length > MAX_KEYS) [nx, ny] = shape((cellM *= 2));
    for (let k = 0; k < n; k++) {
      const r = rows[k];
      // Offsets from the box's corner are ≥ 0, so truncation is the floor.
      keyOf[k] = (keyOf[k] * ny + (((ey[r] - minY) / cellM) | 0)) * nx + (((ex[r] - minX) / cellM) | 0) + 1;
      order[k] = k;
    }
    radixSort(n, nx * ny * floors.length - 1);
    for (let s = 0; s < n; s++) {
      const r = rows[order[s]];
      sortedRow[s] = r;
      sortedX[s] = ex[r];
      sortedY[s] = ey[r];
    }

    const maxD2 = distanceM * distanceM * SQUARED_MARGIN;
    let north = 0; // first sorted entry whose key may be in the row above the current cell
    for (let from = 0; from < n; ) {
      const key = keyOf[from];
      let to = from + 1;
      while (to < n && keyOf[to] === key) to++;
      const eastTo = to < n && keyOf[to] === key + 1 ? cellEnd(to, n) : to;
      while (north < n && keyOf[north] < key + nx - 1) north++;
      let northTo = north;
      while (northTo < n && keyOf[northTo] <= key + nx + 1) northTo++;
      for (let i = from; i < to; i++) {
        scan(i, i + 1, eastTo, distanceM, maxD2, visit);
        if (north < northTo) scan(i, north, northTo, distanceM, maxD2, visit);
      }
      from = to;
    }
  },
};

/** End of the run of equal keys that starts at sorted entry s. */
function cellEnd(s: number, n: number): number {
  const key = keyOf[s];
  let e = s + 1;
  while (e < n && keyOf[e] === key) e++;
  return e;
}
