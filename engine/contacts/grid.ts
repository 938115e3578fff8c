// Close-pair search on a uniform spatial hash: cells distanceM wide, keyed by
// (floor, cell x, cell y), so a pair within distanceM is always in the same
// or a neighbouring cell and only the 3×3 block around each estimate is read.
// Cells are linked lists of rows; the cell table is open addressing on typed
// arrays (integer keys, no Map, nothing allocated per epoch once warm).
import { pairDistanceM, type ContactDetector } from './detector.ts';

// Clamping keeps near points in near cells, so no pair is lost; it only
// keeps cell arithmetic in int32.
const MAX_CELL = 2 ** 29;

let cellX = new Int32Array(256);
let cellY = new Int32Array(256);
let next = new Int32Array(256);
// Cell table: key (floor, x, y) → first row of the cell, or -1 for an empty slot.
let tableFloor = new Int32Array(512);
let tableX = new Int32Array(512);
let tableY = new Int32Array(512);
let tableHead = new Int32Array(512).fill(-1);
let usedSlots = new Int32Array(256);

function clampCell(v: number): number {
  return Math.min(Math.max(v, -MAX_CELL), MAX_CELL);
}

function slotOf(floor: number, cx: number, cy: number): number {
  const mask = tableHead.length - 1;
  let s = (Math.imul(cx, 0x9e3779b1) ^ Math.imul(cy, 0x85ebca77) ^ Math.imul(floor, 0xc2b2ae3d)) & mask;
  while (tableHead[s] >= 0 && (tableX[s] !== cx || tableY[s] !== cy || tableFloor[s] !== floor)) s = (s + 1) & mask;
  return s;
}

function reserve(n: number): void {
  if (cellX.length < n) {
    cellX = new Int32Array(n);
    cellY = new Int32Array(n);
    next = new Int32Array(n);
    usedSlots = new Int32Array(n);
  }
  if (tableHead.length < 2 * n) {
    let size = tableHead.length;
    while (size < 2 * n) size *= 2; // load ≤ 1/2 keeps probes short
    tableFloor = new Int32Array(size);
    tableX = new Int32Array(size);
    tableY = new Int32Array(size);
    tableHead = new Int32Array(size).fill(-1);
  }
}

export const grid: ContactDetector = {
  closePairs(est, rows, n, distanceM, visit) {
    const cellM = Math.max(distanceM, 1e-6);
    reserve(n);
    let used = 0;
    for (let k = 0; k < n; k++) {
      const row = rows[k];
      const floor = est.floor[row];
      const cx = (cellX[k] = clampCell(Math.floor(est.x[row] / cellM)));
      const cy = (cellY[k] = clampCell(Math.floor(est.y[row] / cellM)));
      const s = slotOf(floor, cx, cy);
      if (tableHead[s] < 0) usedSlots[used++] = s;
      next[k] = tableHead[s];
      tableHead[s] = k;
      tableFloor[s] = floor;
      tableX[s] = cx;
      tableY[s] = cy;
    }
    for (let k = 0; k < n; k++) {
      const floor = est.floor[rows[k]];
      for (let ox = -1; ox <= 1; ox++) {
        for (let oy = -1; oy <= 1; oy++) {
          // Lists run from the latest row down; stopping at m ≤ k visits each pair once.
          for (let m = tableHead[slotOf(floor, cellX[k] + ox, cellY[k] + oy)]; m > k; m = next[m]) {
            const d = pairDistanceM(est, rows[k], rows[m]);
            if (d <= distanceM) visit(rows[k], rows[m], d);
          }
        }
      }
    }
    for (let i = 0; i < used; i++) tableHead[usedSlots[i]] = -1;
  },
};
