// A tiny discrete-event core: a clock and a queue of scheduled handlers,
// run in (time, insertion) order so equal-time events are deterministic.
// It knows nothing of people or radios.
import { KeyedHeap } from './heap.ts';

export type EventHandler = () => void;

export class Des {
  private clockMs = 0;
  private seq = 0;
  private readonly queue = new KeyedHeap<EventHandler>();

  get nowMs(): number {
    return this.clockMs;
  }

  schedule(tMs: number, handler: EventHandler): void {
    if (!(tMs >= this.clockMs)) throw new Error(`cannot schedule an event at ${tMs} ms, before now (${this.clockMs} ms)`);
    this.queue.push(tMs, this.seq++, handler);
  }

  /** Runs every event due at or before `untilMs`, then sets the clock to `untilMs`. */
  run(untilMs: number): void {
    while (this.queue.peekKey() <= untilMs) {
      this.clockMs = this.queue.peekKey();
      this.queue.pop()!();
    }
    this.clockMs = Math.max(this.clockMs, untilMs);
  }
}
