// Replays observations into the in-process live engine at N× real time (or as
// fast as it takes), recording every event as it arrives (live-recorder.ts).
import type { DeepPartial, EngineConfig } from '../../engine/config.ts';
import type { DeviceInfo, ObservationBatch } from '../../engine/contract/observations.ts';
import type { Site } from '../../engine/contract/site.ts';
import { LiveEngine, type LiveOptions, type LiveStats } from '../../engine/live/engine.ts';
import { LiveRecorder, type LiveOutputs } from './live-recorder.ts';

export interface ReplayOptions {
  /** Stream time per wall time: 60 replays an hour in a minute; Infinity as fast as the engine takes it. Valid range > 0. */
  speed: number;
  live?: LiveOptions;
  /** The device list the recorded fixes are indexed by (the scorer's: a simulation's own order); default obs.devices. */
  devices?: readonly DeviceInfo[];
  onProgress?: (fraction: number) => void;
}

export interface ReplayResult {
  outputs: LiveOutputs;
  stats: LiveStats;
  wallS: number;
  /** This process's CPU time over the replay (user + system), seconds: on a shared machine the wall time also holds waits for a core. */
  cpuS: number;
  reportsPerS: number;
  /** Reports per CPU second. */
  reportsPerCpuS: number;
}

/** Rows pushed between checks of the clock and progress. */
const SLICE_ROWS = 8192;
/** The longest delay setTimeout takes, ms (a signed 32-bit int). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export async function replayInProcess(
  site: Site, obs: ObservationBatch, config: DeepPartial<EngineConfig>, opts: ReplayOptions,
): Promise<ReplayResult> {
  if (!(opts.speed > 0)) throw new Error(`speed must be > 0, got ${opts.speed}`);
  let streamTMs = -Infinity;
  let recorder: LiveRecorder | null = null;
  const engine = new LiveEngine(site, config, (e) => recorder!.add(e, streamTMs), opts.live);
  recorder = new LiveRecorder(opts.devices ?? obs.devices, engine.cfg.ingest.epochMs);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await paced(obs, opts.speed, (start, end) => {
    for (let i = start; i < end; i++) {
      streamTMs = obs.tMs[i];
      const d = obs.devices[obs.deviceIdx[i]];
      engine.push(obs.tMs[i], d.id, d.tech, obs.apIdx[i], obs.rssiDbm[i]);
    }
    opts.onProgress?.(end / obs.length);
  });
  engine.end();
  const wallS = (performance.now() - t0) / 1000;
  const cpuS = cpuSince(cpu0);
  return { outputs: recorder.outputs(), stats: engine.stats(), wallS, cpuS, reportsPerS: obs.length / wallS, reportsPerCpuS: obs.length / cpuS };
}

/**
 * Hands rows [start, end) of obs to `send` slice by slice, each once the wall
 * clock has reached its stream time at `speed` (Infinity: at once); awaits
 * what send returns.
 */
export async function paced(obs: ObservationBatch, speed: number, send: (start: number, end: number) => void | Promise<void>, sliceRows = SLICE_ROWS): Promise<void> {
  const t0 = performance.now();
  const first = obs.length ? obs.tMs[0] : 0;
  for (let start = 0; start < obs.length; start += sliceRows) {
    // In steps Node's timer takes (a longer delay fires at once, with a TimeoutOverflowWarning): a slow replay of a long log waits days.
    for (let dueWallMs = Infinity; Number.isFinite(speed) && dueWallMs > 1;) {
      dueWallMs = (obs.tMs[start] - first) / speed - (performance.now() - t0);
      if (dueWallMs > 1) await new Promise((r) => setTimeout(r, Math.min(dueWallMs, MAX_TIMER_MS)));
    }
    await send(start, Math.min(obs.length, start + sliceRows));
  }
}

/** CPU seconds (user + system) of this process since `from`. */
export function cpuSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
}
