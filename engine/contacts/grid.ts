// Close-pair search on a uniform grid of cells a hair wider than distanceM,
// so a pair within distanceM is always in the same or a neighbouring cell.
// Each estimate gets the integer key of its cell (floor layer, row, column)
// and is linked into that cell's list (a head per cell, a next per
// estimate: no sorting, no per-cell objects). Each pair is read once: with
// the later entries of its own cell's list, then with the cell to the east
// and the three cells of the next row. Only the cells used are reset
// afterwards, so a call costs time in its estimates and their close
// neighbours, not in the site's area. Flat typed arrays reused from epoch to
// epoch: nothing is allocated per epoch once warm.
import type { ContactDetector } from './detector.ts';

// Cells a hair wider than distanceM: two estimates exactly distanceM apart
// still land in neighbouring cells whatever the rounding of the division.
const CELL_MARGIN = 1 + 1e-9;
// Squared distances are compared against a hair more than distanceM², then
// the root is checked exactly, so a pair is kept exactly when the reference's
// sqrt(dx² + dy²) ≤ distanceM.
const SQUARED_MARGIN = 1 + 1e-9;
// Cell heads kept for up to this many cells (4 MiB); a larger box for the
// estimates (a stray fix kilometres away) widens the cells instead, which
// costs time, never pairs.
const MAX_CELLS = 1 << 20;
const FLOOR_OFFSET = 32768; // Int16 floor numbers → 0 .. 65535
const NONE = -1;

let inX = new Float64Array(256);
let inY = new Float64Array(256);
let cellOf = new Int32Array(256);
let next = new Int32Array(256); // next estimate in the same cell, or NONE
let head = new Int32Array(1024).fill(NONE); // first estimate of each cell; all NONE between calls
/** Layer + 1 of each floor present in the call (0: not seen yet); reset after each call. */
const layerOfFloor = new Int32Array(65536);
const floorsSeen: number[] = [];
const forward = new Int32Array(5);

function reserve(n: number, cells: number): void {
  if (inX.length < n) {
    const size = Math.max(n, inX.length * 2);
    inX = new Float64Array(size);
    inY = new Float64Array(size);
    cellOf = new Int32Array(size);
    next = new Int32Array(size);
  }
  if (head.length < cells) head = new Int32Array(Math.min(MAX_CELLS, Math.max(cells, head.length * 2))).fill(NONE);
}

export const grid: ContactDetector = {
  closePairs(est, rows, n, distanceM, visit) {
    if (n < 2) return;
    reserve(n, 0);
    const { x: ex, y: ey, floor: ef } = est;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let k = 0; k < n; k++) {
      const r = rows[k];
      const x = ex[r], y = ey[r];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      inX[k] = x;
      inY[k] = y;
      const f = ef[r] + FLOOR_OFFSET;
      let layer = layerOfFloor[f];
      if (layer === 0) layer = layerOfFloor[f] = floorsSeen.push(f);
      cellOf[k] = layer - 1; // the layer for now; the cell below
    }
    const layers = floorsSeen.length;
    for (const f of floorsSeen) layerOfFloor[f] = 0;
    floorsSeen.length = 0;

    // Columns 1 .. w with an empty one on each side, and an empty row after
    // each layer's last, so a neighbour (±1 column, +1 row) never wraps into
    // another row or layer.
    let cellM = Math.max(distanceM, 1e-6) * CELL_MARGIN;
    let nx = 0, ny = 0;
    for (;; cellM *= 2) {
      nx = Math.floor((maxX - minX) / cellM) + 3;
      ny = Math.floor((maxY - minY) / cellM) + 2;
      if (nx * ny * layers <= MAX_CELLS) break;
    }
    reserve(n, nx * ny * layers);
    const perM = 1 / cellM;
    // Linked in reverse, so each list runs in ascending k.
    for (let k = n - 1; k >= 0; k--) {
      // Offsets from the box's corner are ≥ 0, so truncation is the floor.
      const c = (cellOf[k] * ny + (((inY[k] - minY) * perM) | 0)) * nx + (((inX[k] - minX) * perM) | 0) + 1;
      cellOf[k] = c;
      next[k] = head[c];
      head[c] = k;
    }

    const maxD2 = distanceM * distanceM * SQUARED_MARGIN;
    // The cells after an estimate's own: east, then the next row's three.
    forward[1] = 1;
    forward[2] = nx - 1;
    forward[3] = nx;
    forward[4] = nx + 1;
    for (let k = 0; k < n; k++) {
      const c = cellOf[k], xk = inX[k], yk = inY[k];
      for (let f = 0; f < 5; f++) {
        // Its own cell's later entries first, then every entry of the forward cells.
        for (let j = f === 0 ? next[k] : head[c + forward[f]]; j !== NONE; j = next[j]) {
          const dx = xk - inX[j], dy = yk - inY[j];
          const d2 = dx * dx + dy * dy;
          if (d2 <= maxD2 && Math.sqrt(d2) <= distanceM) visit(rows[k], rows[j], Math.sqrt(d2));
        }
      }
    }
    for (let k = 0; k < n; k++) head[cellOf[k]] = NONE;
  },
};
