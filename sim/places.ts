// Where people can be: seats in zones and routes between them. A route is
// seat -> zone entry node -> walkway path -> zone entry node -> seat, so
// nobody crosses a wall as long as walkway edges do not.
import { segmentsCross, type Point } from '../engine/contract/geometry.ts';
import { seatsOf } from '../scenarios/seats.ts';
import type { ScenarioSite, ZoneKind } from '../scenarios/types.ts';
import type { Rng } from './rng.ts';
import type { Walkways } from './walkways.ts';

/** Walking distance per metre climbed on stairs (a flight's run is about twice its rise). */
const STAIR_RUN_PER_RISE = 2;

export interface Spot {
  zone: number;
  x: number;
  y: number;
  floor: number;
}

export class Places {
  /** Usable seats per zone: those with a wall-free straight line to the zone's entry node. */
  readonly seats: Point[][];

  constructor(private readonly site: ScenarioSite, private readonly walkways: Walkways) {
    this.seats = site.zones.map((zone, z) => {
      const entry = this.entry(z);
      const walls = site.walls.filter((w) => w.floor === zone.floor);
      return seatsOf(zone).filter(([x, y]) => !walls.some((w) => segmentsCross(x, y, entry.x, entry.y, w.x1, w.y1, w.x2, w.y2)));
    });
  }

  zonesOfKind(kind: ZoneKind): number[] {
    return this.site.zones.flatMap((zone, z) => (zone.kind === kind ? [z] : []));
  }

  entry(zone: number): Spot {
    const node = this.walkways.nodes[this.walkways.index(this.site.zones[zone].entryNode)];
    return { zone, x: node.x, y: node.y, floor: node.floor };
  }

  seat(zone: number, seat: number): Spot {
    const [x, y] = this.seats[zone][seat];
    return { zone, x, y, floor: this.site.zones[zone].floor };
  }

  /** Walking length of one leg of a route: flights of stairs run about twice their rise. */
  legLengthM(a: Spot, b: Spot): number {
    const climbM = a.floor === b.floor ? 0 : Math.abs(this.elevationM(a.floor) - this.elevationM(b.floor)) * STAIR_RUN_PER_RISE;
    return Math.hypot(b.x - a.x, b.y - a.y) + climbM;
  }

  private elevationM(floor: number): number {
    return this.site.floors.find((f) => f.id === floor)!.elevationM;
  }

  /** Waypoints from `from` to `to`, both included, without repeated points. */
  route(from: Spot, to: Spot): Spot[] {
    const fromEntry = this.site.zones[from.zone].entryNode;
    const toEntry = this.site.zones[to.zone].entryNode;
    const nodes = this.walkways.shortestPath(fromEntry, toEntry).map((i) => this.walkways.nodes[i]);
    const points: Spot[] = [from, ...nodes.map((n) => ({ zone: -1, x: n.x, y: n.y, floor: n.floor })), to];
    return points.filter((p, i) => i === 0 || p.x !== points[i - 1].x || p.y !== points[i - 1].y || p.floor !== points[i - 1].floor);
  }
}

/** Free/taken seats of one shared zone (lunch, break). */
export class SeatPool {
  private readonly taken: Uint8Array;

  constructor(readonly zone: number, seatCount: number) {
    this.taken = new Uint8Array(seatCount);
  }

  /** A random free seat, taken; -1 when the zone is full. */
  take(rng: Rng): number {
    const free: number[] = [];
    this.taken.forEach((t, i) => {
      if (!t) free.push(i);
    });
    if (free.length === 0) return -1;
    const seat = free[rng.int(free.length)];
    this.taken[seat] = 1;
    return seat;
  }

  release(seat: number): void {
    this.taken[seat] = 0;
  }
}
