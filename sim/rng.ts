// Seeded random streams. Each purpose gets its own named substream of the
// scenario seed, so e.g. changing the device mix never changes movement.
import seedrandom from 'seedrandom';
import type { Range } from '../scenarios/types.ts';

export class Rng {
  private readonly next: () => number;

  constructor(seed: number, stream: string) {
    this.next = seedrandom.alea(`${seed}:${stream}`);
  }

  /** Uniform in [0, 1). */
  random(): number {
    return this.next();
  }

  /** Uniform in (0, 1]: safe to take the log of. */
  positive(): number {
    return 1 - this.next();
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  inRange([min, max]: Range): number {
    return this.uniform(min, max);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Box-Muller; one draw per call (the second variate is discarded for simplicity). */
  normal(mean = 0, sd = 1): number {
    return mean + sd * Math.sqrt(-2 * Math.log(this.positive())) * Math.cos(2 * Math.PI * this.next());
  }

  /** Fisher-Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}
