// A spatial grid for fixed-radius neighbour search, rebuilt each time step.
import type { Floor } from '../engine/contract/site.ts';

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
    if (this.head[cell] < 0) this.used.push(cell);
    this.next[row] = this.head[cell];
    this.head[cell] = row;
  }

  /**
   * Calls `visit(row)` for every row in the cell of (x, y) on `floor` and its
   * 8 neighbours: every row within one cell width, and some further; the
   * caller checks the distance.
   */
  forEachNear(floor: number, x: number, y: number, visit: (row: number) => void): void {
    const f = this.floor(floor);
    const ix = this.cellIndex(x, f.cols), iy = this.cellIndex(y, f.rows);
    for (let ny = Math.max(iy - 1, 0); ny <= Math.min(iy + 1, f.rows - 1); ny++) {
      for (let nx = Math.max(ix - 1, 0); nx <= Math.min(ix + 1, f.cols - 1); nx++) {
        for (let j = this.head[f.base + ny * f.cols + nx]; j >= 0; j = this.next[j]) visit(j);
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
  }
}
