// One emission, one time. The twin reads a log's emissions (each with the
// APs that heard it: the hearing rate, the cadence the simulated devices keep)
// as a device's reports at one time, as a phone's scan or a row of anchors
// stamps them. An AP-side feed stamps each AP's report of the same frame by
// its own clock: there a device's reports arrive spread over part of a
// second, each AP's at a time of its own, and every emission would read as
// heard by one AP (9 APs each 0-0.45 s late: a hearing rate of 0.01 against
// 0.91, test/twin-calibrate.test.ts). So where a device's report times
// each hold one AP's report (at least STAMPED_PER_AP of them), its reports
// within half its links' cadence of a burst's first, each AP at most once,
// are one emission at that first report's time. A scan's time holds all its
// APs: such a device's times are kept (a scan hearing other APs than the one
// before it is not the same emission).
import type { ObservationBatch } from '../../engine/contract/observations.ts';

/** The share of a device's report times holding one AP's report above which its APs stamped their own. */
const STAMPED_PER_AP = 0.9;

/** The log with each report's time moved to its emission's first report's (a log stamped by emission is returned as it is). */
export function atEmissionTimes(obs: ObservationBatch): ObservationBatch {
  const byDevice = obs.devices.map(() => [] as number[]);
  for (let i = 0; i < obs.length; i++) byDevice[obs.deviceIdx[i]].push(i);
  const tMs = Float64Array.from(obs.tMs);
  let moved = false;
  for (const rows of byDevice) {
    if (!stampedPerAp(obs, rows)) continue;
    const windowMs = linkCadenceMs(obs, rows) / 2;
    let start = -Infinity;
    const heard = new Set<number>();
    for (const i of rows) {
      const t = obs.tMs[i], ap = obs.apIdx[i];
      if (t === start || (t - start < windowMs && !heard.has(ap))) {
        if (t !== start) moved = true;
        tMs[i] = start;
      } else {
        start = t;
        heard.clear();
      }
      heard.add(ap);
    }
  }
  if (!moved) return obs;
  // Back in time order (a device's reports moved back by less than its window may pass another's), ties as they were.
  const order = Array.from({ length: obs.length }, (_, i) => i).sort((a, b) => tMs[a] - tMs[b] || a - b);
  return {
    length: obs.length, devices: obs.devices,
    tMs: Float64Array.from(order, (i) => tMs[i]), deviceIdx: Uint32Array.from(order, (i) => obs.deviceIdx[i]),
    apIdx: Uint16Array.from(order, (i) => obs.apIdx[i]), rssiDbm: Float32Array.from(order, (i) => obs.rssiDbm[i]),
  };
}

/** The median time between a link's consecutive reports over one device's links (its rows in time order), ms; 0 when no link is heard twice. */
function linkCadenceMs(obs: ObservationBatch, rows: number[]): number {
  const last = new Map<number, number>();
  const gaps: number[] = [];
  for (const i of rows) {
    const prev = last.get(obs.apIdx[i]);
    if (prev !== undefined && obs.tMs[i] > prev) gaps.push(obs.tMs[i] - prev);
    last.set(obs.apIdx[i], obs.tMs[i]);
  }
  gaps.sort((a, b) => a - b);
  return gaps.length > 0 ? gaps[gaps.length >> 1] : 0;
}

/** Whether a device's report times (its rows in time order) each hold one report, at least STAMPED_PER_AP of them, and it is heard by more than one AP. */
function stampedPerAp(obs: ObservationBatch, rows: number[]): boolean {
  let times = 0, single = 0;
  for (let k = 0; k < rows.length; ) {
    let n = 1;
    while (k + n < rows.length && obs.tMs[rows[k + n]] === obs.tMs[rows[k]]) n++;
    times++;
    if (n === 1) single++;
    k += n;
  }
  return new Set(rows.map((i) => obs.apIdx[i])).size > 1 && single >= STAMPED_PER_AP * times;
}
