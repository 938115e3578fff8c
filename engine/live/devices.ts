// The live engine's device registry: ids to small indices, handed out on a
// device's first report and taken back when it goes idle (so every per-device
// array is as long as the most devices active at once, never the stream's total).
import type { Tech } from '../contract/site.ts';
import { TECHS } from '../contract/site.ts';

export class DeviceRegistry {
  private readonly indexOf = new Map<string, number>();
  private readonly free: number[] = [];
  ids: string[] = [];
  techs = new Uint8Array(64);
  /** Stream time of each active device's last report, ms. */
  lastSeenTMs = new Float64Array(64);
  /** Slots ever handed out (active + free). */
  slots = 0;

  get active(): number {
    return this.indexOf.size;
  }

  /** The device's index, registering it (tech: its technology) if new. */
  index(id: string, tech: Tech): number {
    let d = this.indexOf.get(id);
    if (d !== undefined) return d;
    const t = TECHS.indexOf(tech);
    if (t < 0) throw new Error(`device ${id} has unknown tech '${tech}' (known: ${TECHS.join(', ')})`);
    d = this.free.pop() ?? this.slots++;
    if (d >= this.techs.length) this.grow();
    this.indexOf.set(id, d);
    this.ids[d] = id;
    this.techs[d] = t;
    this.lastSeenTMs[d] = -Infinity;
    return d;
  }

  has(id: string): boolean {
    return this.indexOf.has(id);
  }

  /** Active devices unseen since before tMs. */
  idleSince(tMs: number): number[] {
    const out: number[] = [];
    for (const d of this.indexOf.values()) if (this.lastSeenTMs[d] < tMs) out.push(d);
    return out;
  }

  release(d: number): void {
    this.indexOf.delete(this.ids[d]);
    this.free.push(d);
  }

  private grow(): void {
    const techs = new Uint8Array(this.techs.length * 2);
    techs.set(this.techs);
    this.techs = techs;
    const seen = new Float64Array(this.lastSeenTMs.length * 2);
    seen.set(this.lastSeenTMs);
    this.lastSeenTMs = seen;
  }
}
