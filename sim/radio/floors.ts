// Floor geometry for links between floors: floors stack by elevation, and a
// link crosses one slab per floor between the device's and the AP's.
import type { Floor } from '../../engine/contract/site.ts';

export class FloorStack {
  private readonly rank = new Map<number, number>();
  private readonly elevationM = new Map<number, number>();

  constructor(floors: readonly Floor[]) {
    [...floors].sort((a, b) => a.elevationM - b.elevationM).forEach((f, i) => {
      this.rank.set(f.id, i);
      this.elevationM.set(f.id, f.elevationM);
    });
  }

  /** Slabs between two floors (0 on the same floor). */
  slabsBetween(a: number, b: number): number {
    return Math.abs(this.rank.get(a)! - this.rank.get(b)!);
  }

  elevationOf(floor: number): number {
    return this.elevationM.get(floor)!;
  }
}
