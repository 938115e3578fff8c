// Mean RSSI per (badge, AP) link over the last ten minutes of a 30-minute
// office run, when most people sit still: what the orientation tests compare.
import type { Scenario } from '../../scenarios/types.ts';
import { simulate } from '../../sim/simulate.ts';
import type { SimResult } from '../../sim/types.ts';

/** Link key: device index · 1000 + AP index. */
export const LINK_AP_BASE = 1000;

export function badgeLinkMeans(s: Scenario): { means: Map<number, number>; result: SimResult } {
  s.durationS = 1800;
  const result = simulate(s);
  const o = result.observations;
  const sums = new Map<number, [number, number]>();
  for (let i = 0; i < o.tMs.length; i++) {
    if (o.tMs[i] < 1_200_000 || o.devices[o.deviceIdx[i]].tech !== 'ble-badge') continue;
    const key = o.deviceIdx[i] * LINK_AP_BASE + o.apIdx[i];
    const e = sums.get(key) ?? [0, 0];
    sums.set(key, [e[0] + o.rssiDbm[i], e[1] + 1]);
  }
  return { means: new Map([...sums].filter(([, [, n]]) => n >= 300).map(([k, [sum, n]]) => [k, sum / n])), result };
}
