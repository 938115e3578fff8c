// A spatial grid for fixed-radius neighbour search, rebuilt each time step.
import type { Floor } from '../engine/site.ts';

/** Half of the 8 neighbours: with the cell itself, every adjacent pair of cells once. */
const FORWARD: readonly [number, number][] = [[1, 0], [-1, 1], [0, 1], [1, 1]];

/**
 * Square cells one search radius wide over every floor, so all partners of
 * a point lie in its own or the 8 neighbouring cells. Each cell is a linked
 * list of rows (head per cell, next per row); points off the floor are clamped into it.
 */
export class CellGrid {
  private readonly floors = new Map<number, { base: number; cols: number; rows: number }>();
  private readonly head: Int32Array;
  private readonly next: Int32Array;
  private readonly used: number[] = [];
  /** The floor of each used cell. */
  private readonly usedFloor: { base: number; cols: number; rows: number }[] = [];

  constructor(floors: readonly Floor[], private readonly cellM: number, rowCount: number) {
    let cells = 0;
    for (const f of floors) {
      const cols = Math.ceil(f.widthM / cellM) + 1;
      const rows = Math.ceil(f.heightM / cellM) + 1;
      this.floors.set(f.id, { base: cells, cols, rows });
      cells += cols * rows;
    }
    this.head = new Int32Array(cells).fill(-1);
    this.next = new Int32Array(rowCount);
  }

  insert(row: number, floor: number, x: number, y: number): void {
    const f = this.floor(floor);
    const cell = f.base + this.cellIndex(y, f.rows) * f.cols + this.cellIndex(x, f.cols);
    if (this.head[cell] < 0) {
      this.used.push(cell);
      this.usedFloor.push(f);
    }
    this.next[row] = this.head[cell];
    this.head[cell] = row;
  }

  /**
   * Calls `visit(i, j)` once for every pair of rows in the same or adjacent
   * cells (on one floor): each cell with itself and with its four "forward"
   * neighbours, so no pair is seen twice. Pairs further apart than a cell
   * may be visited too; the caller checks the distance.
   */
  forEachNearPair(visit: (i: number, j: number) => void): void {
    const { head, next } = this;
    for (let u = 0; u < this.used.length; u++) {
      const cell = this.used[u];
      const f = this.usedFloor[u];
      const local = cell - f.base;
      const ix = local % f.cols;
      const iy = (local - ix) / f.cols;
      for (let i = head[cell]; i >= 0; i = next[i]) for (let j = next[i]; j >= 0; j = next[j]) visit(i, j);
      for (const [dx, dy] of FORWARD) {
        const nx = ix + dx;
        const ny = iy + dy;
        if (nx < 0 || nx >= f.cols || ny >= f.rows) continue;
        const other = f.base + ny * f.cols + nx;
        if (head[other] < 0) continue;
        for (let i = head[cell]; i >= 0; i = next[i]) for (let j = head[other]; j >= 0; j = next[j]) visit(i, j);
      }
    }
  }

  private floor(id: number): { base: number; cols: number; rows: number } {
    const f = this.floors.get(id);
    if (!f) throw new Error(`a track is on floor ${id}, which the site does not define`);
    return f;
  }

  private cellIndex(m: number, count: number): number {
    return Math.min(Math.max(Math.floor(m / this.cellM), 0), count - 1);
  }

  /** Empties the cells used since the last clear. */
  clear(): void {
    for (const cell of this.used) this.head[cell] = -1;
    this.used.length = 0;
    this.usedFloor.length = 0;
  }
}
