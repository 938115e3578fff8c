// Where people sit in a zone. The validator checks every seat and the
// simulator places people on them, so both must compute the same grid.
import { pointInPolygon, polygonBounds, type Point } from '../engine/contract/geometry.ts';
import type { ScenarioZone } from './types.ts';

/**
 * Seats on a square grid `seatSpacingM` apart, centred in the zone's bounding
 * box, keeping only points inside the polygon and at least half a spacing from
 * every edge (so a seat never touches a wall). Ordered row by row (y, then x),
 * rounded to the millimetre so the order and values are deterministic.
 */
export function seatsOf(zone: Pick<ScenarioZone, 'polygon' | 'seatSpacingM'>): Point[] {
  const { polygon, seatSpacingM: s } = zone;
  const { minX, minY, maxX, maxY } = polygonBounds(polygon);
  const xs = axis(minX, maxX, s);
  const ys = axis(minY, maxY, s);
  const seats: Point[] = [];
  for (const y of ys) {
    for (const x of xs) {
      if (pointInPolygon(x, y, polygon) && distanceToEdges(x, y, polygon) >= s / 2 - 1e-6) seats.push([x, y]);
    }
  }
  return seats;
}

/** Grid coordinates along one axis, centred so the leftover space splits evenly. */
function axis(min: number, max: number, s: number): number[] {
  const count = Math.floor((max - min - s) / s + 1e-9) + 1;
  const start = min + (max - min - (count - 1) * s) / 2;
  return Array.from({ length: Math.max(count, 0) }, (_, i) => Math.round((start + i * s) * 1000) / 1000);
}

function distanceToEdges(x: number, y: number, polygon: readonly Point[]): number {
  let best = Infinity;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    best = Math.min(best, distanceToSegment(x, y, polygon[j], polygon[i]));
  }
  return best;
}

function distanceToSegment(x: number, y: number, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / lengthSq));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}
