// Replays observations into a running `ctsim serve` (engine/live/server/app.ts): NDJSON
// POSTs in order, events read back from its SSE stream as they arrive, then
// POST /end and wait for the stream's end mark. What arrives is recorded as
// in process (live-recorder.ts), so the two score alike.
import { performance } from 'node:perf_hooks';
import type { DeviceInfo, ObservationBatch } from '../../engine/contract/observations.ts';
import type { Site } from '../../engine/contract/site.ts';
import type { LiveEvent } from '../../engine/live/events.ts';
import type { LiveStats } from '../../engine/live/engine.ts';
import { LiveRecorder } from './live-recorder.ts';
import { cpuSince, paced, type ReplayResult } from './live-replay.ts';

/** Reports per POST: large enough that a request's overhead is small beside its reports. */
const POST_ROWS = 5000;

export interface HttpReplayOptions {
  speed: number;
  /** The device list the recorded fixes are indexed by; default obs.devices. */
  devices?: readonly DeviceInfo[];
  /** The server engine's epoch, ms (for the fix lag); default 5000 (engine/config.ts). */
  epochMs?: number;
  onProgress?: (fraction: number) => void;
  /** Called with each event and the wall time it arrived, ms (performance.now). */
  onEvent?: (e: LiveEvent, wallMs: number) => void;
}

/** One NDJSON body of rows [start, end). */
export function ndjsonOf(obs: ObservationBatch, site: Site, start: number, end: number): string {
  let body = '';
  for (let i = start; i < end; i++) {
    const d = obs.devices[obs.deviceIdx[i]];
    body += `{"tMs":${obs.tMs[i]},"deviceId":${JSON.stringify(d.id)},"tech":"${d.tech}","apId":${JSON.stringify(site.aps[obs.apIdx[i]].id)},"rssiDbm":${obs.rssiDbm[i]}}\n`;
  }
  return body;
}

/** Subscribes to the server's events, calling onEvent per event; resolves `ended` at the stream's end mark. */
export async function subscribe(url: string, token: string, types: string | undefined, onEvent: (e: LiveEvent) => void): Promise<{ ended: Promise<void>; close: () => void }> {
  const ctl = new AbortController();
  const res = await fetch(`${url}/events${types ? `?types=${types}` : ''}`, { headers: { authorization: `Bearer ${token}` }, signal: ctl.signal });
  if (!res.ok || !res.body) throw new Error(`${url}/events: ${res.status} ${await res.text()}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const ended = (async (): Promise<void> => {
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buf += value;
      let cut;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        if (frame === ': end') {
          ctl.abort();
          return;
        }
        const data = frame.split('\n').find((l) => l.startsWith('data: '));
        if (data) onEvent(JSON.parse(data.slice(6)) as LiveEvent);
      }
    }
  })();
  return { ended, close: () => ctl.abort() };
}

export async function replayOverHttp(url: string, token: string, obs: ObservationBatch, site: Site, opts: HttpReplayOptions): Promise<ReplayResult> {
  let streamTMs = -Infinity;
  const recorder = new LiveRecorder(opts.devices ?? obs.devices, opts.epochMs ?? 5000);
  const sub = await subscribe(url, token, undefined, (e) => {
    recorder.add(e, streamTMs);
    opts.onEvent?.(e, performance.now());
  });
  const post = async (path: string, body?: string): Promise<unknown> => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/x-ndjson' }) }, body });
    const text = await res.text();
    if (!res.ok) throw new Error(`${url}${path}: ${res.status} ${text.trim()}`);
    return JSON.parse(text);
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await paced(obs, opts.speed, async (start, end) => {
    // Set before the POST: events it causes arrive while it is in flight.
    streamTMs = obs.tMs[end - 1];
    await post('/reports', ndjsonOf(obs, site, start, end));
    opts.onProgress?.(end / obs.length);
  }, POST_ROWS);
  const stats = (await post('/end')) as LiveStats;
  await sub.ended;
  const wallS = (performance.now() - t0) / 1000;
  // The client's CPU only (the server's is its own process's): reportsPerCpuS here is the client's cost.
  const cpuS = cpuSince(cpu0);
  return { outputs: recorder.outputs(), stats, wallS, cpuS, reportsPerS: obs.length / wallS, reportsPerCpuS: obs.length / cpuS };
}
