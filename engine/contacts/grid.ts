// Close-pair search on a uniform grid: cells at least distanceM wide, so a
// pair within distanceM is always in the same or a neighbouring cell and only
// the 3×3 block around each estimate is read. The grid is dense over the
// epoch's bounding box, one layer per floor present, and rows are bucketed
// into it by a counting sort (typed arrays, nothing allocated per epoch once
// warm). Cells widen when the box is large for the number of rows, so the
// grid never has more than about 4 cells per row.
import type { Estimates } from '../outputs.ts';
import { pairDistanceM, type ContactDetector, type PairVisitor } from './detector.ts';

// Cells a hair wider than distanceM: two estimates exactly distanceM apart
// still land in neighbouring cells whatever the rounding of the division.
const CELL_MARGIN = 1 + 1e-9;
const CELLS_PER_ROW = 4;

let cellOf = new Int32Array(256); // cell of rows[k]
let byCell = new Int32Array(256); // k, sorted by cell
let cellStart = new Int32Array(1025); // byCell[cellStart[c] .. cellStart[c + 1]) are in cell c
let layerOf = new Int32Array(256);
const FORWARD_X = [1, -1, 0, 1];
const FORWARD_Y = [0, 1, 1, 1];
const floors: number[] = [];

function near(est: Estimates, a: number, b: number, distanceM: number, visit: PairVisitor): void {
  const d = pairDistanceM(est, a, b);
  if (d <= distanceM) visit(a, b, d);
}

export const grid: ContactDetector = {
  closePairs(est, rows, n, distanceM, visit) {
    if (n < 2) return;
    if (cellOf.length < n) {
      cellOf = new Int32Array(n);
      byCell = new Int32Array(n);
      layerOf = new Int32Array(n);
    }
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    floors.length = 0;
    for (let k = 0; k < n; k++) {
      const r = rows[k];
      const x = est.x[r], y = est.y[r];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      let layer = floors.indexOf(est.floor[r]);
      if (layer < 0) layer = floors.push(est.floor[r]) - 1;
      layerOf[k] = layer;
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
      const c = (layerOf[k] * ny + Math.floor((est.y[r] - minY) / cellM)) * nx + Math.floor((est.x[r] - minX) / cellM);
      cellOf[k] = c;
      cellStart[c + 1]++;
    }
    for (let c = 0; c < cells; c++) cellStart[c + 1] += cellStart[c];
    for (let k = 0; k < n; k++) byCell[cellStart[cellOf[k]]++] = k;
    for (let c = cells; c > 0; c--) cellStart[c] = cellStart[c - 1]; // undo the fill's advance
    cellStart[0] = 0;

    // Each pair once: within a cell, every later entry; across cells, only the
    // four "forward" neighbours (east, and the three to the north), so the
    // other four see the pair from their side.
    for (let c = 0; c < cells; c++) {
      const from = cellStart[c], to = cellStart[c + 1];
      if (from === to) continue;
      const cx = c % nx, cy = Math.floor(c / nx) % ny;
      for (let i = from; i < to; i++) {
        const k = byCell[i];
        for (let j = i + 1; j < to; j++) near(est, rows[k], rows[byCell[j]], distanceM, visit);
        for (let f = 0; f < 4; f++) {
          const ox = FORWARD_X[f], oy = FORWARD_Y[f];
          if (cx + ox < 0 || cx + ox >= nx || cy + oy >= ny) continue;
          const nc = c + oy * nx + ox;
          for (let j = cellStart[nc], end = cellStart[nc + 1]; j < end; j++) near(est, rows[k], rows[byCell[j]], distanceM, visit);
        }
      }
    }
  },
};
