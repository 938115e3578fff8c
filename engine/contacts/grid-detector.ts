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
import type { ContactDetector, PairVisitor } from './detector.ts';

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
/** The lists an estimate is paired with: its own cell's rest, then the cells east and in the next row. */
const listStarts = new Int32Array(5);

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
    const gx = inX, gy = inY, layerOf = cellOf;
    for (let k = 0; k < n; k++) {
      const r = rows[k];
      const x = ex[r], y = ey[r];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      gx[k] = x;
      gy[k] = y;
      const f = ef[r] + FLOOR_OFFSET;
      let layer = layerOfFloor[f];
      if (layer === 0) layer = layerOfFloor[f] = floorsSeen.push(f);
      layerOf[k] = layer - 1; // the layer for now; the cell in sweep()
    }
    const layers = floorsSeen.length;
    for (const f of floorsSeen) layerOfFloor[f] = 0;
    floorsSeen.length = 0;

    if (!Number.isFinite(maxX - minX + maxY - minY)) throw new Error('grid close-pair search: an estimate has an infinite x or y');
    // Columns 1 .. w with an empty one on each side, and an empty row after
    // each layer's last, so a neighbour (±1 column, +1 row) never wraps into
    // another row or layer. Cells are sized with the same product sweep()
    // uses, so no estimate rounds into the padding.
    let perM = 1 / (Math.max(distanceM, 1e-6) * CELL_MARGIN);
    let nx = 0, ny = 0;
    for (;; perM /= 2) {
      nx = Math.floor((maxX - minX) * perM) + 3;
      ny = Math.floor((maxY - minY) * perM) + 2;
      if (nx * ny * layers <= MAX_CELLS) break;
    }
    reserve(n, nx * ny * layers);
    sweep(rows, n, minX, minY, perM, nx, ny, distanceM, visit);
  },
};

/** Links rows[0, n) into their cells, visits the close pairs, and empties the cells again. */
function sweep(
  rows: Uint32Array, n: number, minX: number, minY: number, perM: number, nx: number, ny: number, distanceM: number, visit: PairVisitor,
): void {
  // Locals, not the module's bindings, so the loops keep them in registers across visit calls.
  const x = inX, y = inY, cell = cellOf, nextOf = next, first = head, lists = listStarts;
  // Linked in reverse, so each list runs in ascending k.
  for (let k = n - 1; k >= 0; k--) {
    // Offsets from the box's corner are ≥ 0, so truncation is the floor.
    const c = (cell[k] * ny + (((y[k] - minY) * perM) | 0)) * nx + (((x[k] - minX) * perM) | 0) + 1;
    cell[k] = c;
    nextOf[k] = first[c];
    first[c] = k;
  }
  const maxD2 = distanceM * distanceM * SQUARED_MARGIN;
  for (let k = 0; k < n; k++) {
    const c = cell[k], xk = x[k], yk = y[k];
    // Its own cell's later entries first, then every entry of the cells east and in the next row.
    lists[0] = nextOf[k];
    lists[1] = first[c + 1];
    lists[2] = first[c + nx - 1];
    lists[3] = first[c + nx];
    lists[4] = first[c + nx + 1];
    for (let f = 0; f < 5; f++) {
      for (let j = lists[f]; j !== NONE; j = nextOf[j]) {
        const dx = xk - x[j], dy = yk - y[j];
        const d2 = dx * dx + dy * dy;
        if (d2 > maxD2) continue;
        const d = Math.sqrt(d2);
        if (d <= distanceM) visit(rows[k], rows[j], d);
      }
    }
  }
  for (let k = 0; k < n; k++) first[cell[k]] = NONE;
}
