// Close-pair search on a uniform grid: cells at least distanceM wide, so a
// pair within distanceM is always in the same or a neighbouring cell and only
// the 3×3 block around each estimate is read. The grid is dense over the
// epoch's bounding box, one layer per floor present, and rows are bucketed
// into it by a counting sort; their coordinates are copied in cell order, so
// the pair loops read contiguous memory (typed arrays, nothing allocated per
// epoch once warm). Cells widen when the box is large for the number of rows,
// so the grid never has more than about 4 cells per row.
import type { ContactDetector } from './detector.ts';

// Cells a hair wider than distanceM: two estimates exactly distanceM apart
// still land in neighbouring cells whatever the rounding of the division.
const CELL_MARGIN = 1 + 1e-9;
// Squared distances are compared against a hair more than distanceM², then
// the root is checked exactly, so a pair is kept exactly when the reference's
// sqrt(dx² + dy²) ≤ distanceM.
const SQUARED_MARGIN = 1 + 1e-9;
const CELLS_PER_ROW = 4;

let cellOf = new Int32Array(256); // cell of rows[k]
let layerOf = new Int32Array(256);
let sortedRow = new Uint32Array(256); // rows in cell order
let sortedX = new Float64Array(256);
let sortedY = new Float64Array(256);
let cellStart = new Int32Array(1025); // sorted[cellStart[c] .. cellStart[c + 1]) are in cell c
const FORWARD_X = [1, -1, 0, 1];
const FORWARD_Y = [0, 1, 1, 1];
const floors: number[] = [];

function reserve(n: number): void {
  if (cellOf.length >= n) return;
  cellOf = new Int32Array(n);
  layerOf = new Int32Array(n);
  sortedRow = new Uint32Array(n);
  sortedX = new Float64Array(n);
  sortedY = new Float64Array(n);
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
      layerOf[k] = lastLayer;
    }
    let cellM = Math.max(distanceM, 1e-6) * CELL_MARGIN;
    const cellsFor = (m: number): [number, number] => [Math.floor((maxX - minX) / m) + 1, Math.floor((maxY - minY) / m) + 1];
    let [nx, ny] = cellsFor(cellM);
    while (nx * ny * floors.length > CELLS_PER_ROW * n + 64) [nx, ny] = cellsFor((cellM *= 2));
    const cells = nx * ny * floors.length;
    if (cellStart.length < cells + 1) cellStart = new Int32Array(Math.max(cells + 1, cellStart.length * 2));
    cellStart.fill(0, 0, cells + 1);
    for (let k = 0; k < n; k++) {
      const r = rows[k];
      // Offsets from the box's corner are ≥ 0, so truncation is the floor.
      const c = (layerOf[k] * ny + (((ey[r] - minY) / cellM) | 0)) * nx + (((ex[r] - minX) / cellM) | 0);
      cellOf[k] = c;
      cellStart[c + 1]++;
    }
    for (let c = 0; c < cells; c++) cellStart[c + 1] += cellStart[c];
    for (let k = 0; k < n; k++) {
      const at = cellStart[cellOf[k]]++;
      const r = rows[k];
      sortedRow[at] = r;
      sortedX[at] = ex[r];
      sortedY[at] = ey[r];
    }
    for (let c = cells; c > 0; c--) cellStart[c] = cellStart[c - 1]; // undo the fill's advance
    cellStart[0] = 0;

    const maxD2 = distanceM * distanceM * SQUARED_MARGIN;
    const pair = (i: number, j: number): void => {
      const dx = sortedX[i] - sortedX[j], dy = sortedY[i] - sortedY[j];
      const d2 = dx * dx + dy * dy;
      if (d2 > maxD2) return;
      const d = Math.sqrt(d2);
      if (d <= distanceM) visit(sortedRow[i], sortedRow[j], d);
    };
    // Each pair once: within a cell, every later entry; across cells, only the
    // four "forward" neighbours (east, and the three to the north), so the
    // other four see the pair from their side.
    for (let c = 0, layer = 0; layer < floors.length; layer++) {
      for (let cy = 0; cy < ny; cy++) {
        for (let cx = 0; cx < nx; cx++, c++) {
          const from = cellStart[c], to = cellStart[c + 1];
          if (from === to) continue;
          for (let i = from; i < to; i++) for (let j = i + 1; j < to; j++) pair(i, j);
          for (let f = 0; f < 4; f++) {
            const ox = FORWARD_X[f], oy = FORWARD_Y[f];
            if (cx + ox < 0 || cx + ox >= nx || cy + oy >= ny) continue;
            const nc = c + oy * nx + ox;
            const nFrom = cellStart[nc], nTo = cellStart[nc + 1];
            if (nFrom === nTo) continue;
            for (let i = from; i < to; i++) for (let j = nFrom; j < nTo; j++) pair(i, j);
          }
        }
      }
    }
  },
};
