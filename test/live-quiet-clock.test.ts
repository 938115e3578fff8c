// The idle tick (engine/live/quiet-clock.ts), on a fake wall clock: once no
// report has come for quietMs, stream time runs on with the wall clock, so the
// epochs held in the lateness window come out (the same fixes the stream's end
// would give) and open hot-zone alerts clear; before that, nothing moves.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { engineInputs } from '../bench/harness/experiment.ts';
import { withDeviceShare } from '../bench/harness/device-share.ts';
import { ndjsonOf } from '../bench/harness/live-replay-http.ts';
import { LiveEngine } from '../engine/live/engine.ts';
import type { LiveEvent } from '../engine/live/events.ts';
import { QuietClock } from '../engine/live/quiet-clock.ts';
import { liveServer } from '../engine/live/server/app.ts';
import { tokenVerifier } from '../engine/live/server/credentials.ts';
import { loadScenario } from '../scenarios/load.ts';
import { simulate } from '../sim/simulate.ts';

// The ideal preset: these test the streaming and I/O mechanics (lags, counts, ordering), with thresholds set on its steady reports.
const scenario = loadScenario('office', { radioPreset: 'ideal' });
scenario.durationS = 600;
const sim = simulate(scenario);
const obs = sim.observations;
const inputs = engineInputs(sim);
// Alerts at a twentieth of capacity, so ten minutes of office raise some.
const config = withDeviceShare(scenario, { hotZones: { alertFactor: 0.05, alertForS: 30 } });
const live = { apBeacons: inputs.apBeacons, survey: inputs.survey, bindings: inputs.bindings, latenessMs: 2000 };
const lastTMs = obs.tMs[obs.length - 1];

function fed(events: LiveEvent[]): LiveEngine {
  const engine = new LiveEngine(scenario.site, config, (e) => events.push(e), live);
  for (let i = 0; i < obs.length; i++) {
    const d = obs.devices[obs.deviceIdx[i]];
    engine.push(obs.tMs[i], d.id, d.tech, obs.apIdx[i], obs.rssiDbm[i]);
  }
  return engine;
}

describe('QuietClock', () => {
  it('advances from the newest report by the quiet wall time, only once quiet for quietMs; 0 is off', () => {
    const seen: number[] = [];
    const clock = new QuietClock((t) => seen.push(t), 10_000);
    clock.tick(50_000); // nothing arrived yet: no stream time to run on from
    clock.arrived(120_000, 1_000);
    clock.arrived(90_000, 2_000); // an older report: the stream's newest stays
    clock.tick(11_999);
    expect(seen).toEqual([]);
    clock.tick(12_000);
    clock.tick(15_500);
    expect(seen).toEqual([130_000, 133_500]);
    const off = new QuietClock((t) => seen.push(t), 0);
    off.arrived(1, 0);
    off.tick(1e9);
    expect(seen).toHaveLength(2);
    expect(() => new QuietClock(() => {}, 500)).toThrow(/0 \(off\) or in 1000\.\.3600000 ms, got 500/);
  });

  it('on a quiet stream, releases the held epochs (as the end would) and clears open alerts', () => {
    const ended: LiveEvent[] = [];
    const ref = fed(ended);
    const beforeEnd = ended.length;
    ref.end();
    const heldFixes = ended.slice(beforeEnd).filter((e) => e.type === 'fix');
    expect(heldFixes.length).toBeGreaterThan(10);

    const events: LiveEvent[] = [];
    const engine = fed(events);
    expect(events.length).toBe(beforeEnd);
    const open = engine.stats().alertsOpen;
    expect(open).toBeGreaterThan(0);
    const wall0 = 1_700_000_000_000;
    const clock = new QuietClock((t) => engine.advanceTo(t), 10_000);
    clock.arrived(lastTMs, wall0);
    for (let wall = wall0; wall < wall0 + 10_000; wall += 1000) clock.tick(wall);
    expect(events.length).toBe(beforeEnd); // quiet, but not for long enough
    clock.tick(wall0 + 10_000);
    expect(events.slice(beforeEnd).filter((e) => e.type === 'fix')).toEqual(heldFixes);
    expect(engine.stats().pending).toBe(0);
    // Ten minutes of wall clock with no report: every open alert clears (occupancy 0 for clearForS).
    for (let wall = wall0 + 11_000; wall <= wall0 + 600_000; wall += 1000) clock.tick(wall);
    const cleared = events.filter((e) => e.type === 'hotzone-cleared' && e.tMs > lastTMs);
    expect(cleared.length).toBeGreaterThanOrEqual(open); // the held epochs may raise more first
    expect(engine.stats().alertsOpen).toBe(0);
    expect(events.filter((e) => e.type === 'hotzone-cleared')).toHaveLength(events.filter((e) => e.type === 'hotzone-raised').length);
    // The clears come within the clear rule's 120 s (plus an interval) of stream time after the reports stopped.
    for (const e of cleared) expect(e.tMs - lastTMs).toBeLessThanOrEqual(120_000 + 30_000 + 2 * 5000);
  }, 60_000);
});

describe('ctsim serve app, idle tick', () => {
  afterEach(() => vi.useRealTimers());

  it('a quiet server releases the held epochs on its timer, by the wall clock it is given', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let wallMs = 1_700_000_000_000;
    const ADMIN = 'admin-token-0123456789';
    const server = liveServer({ site: scenario.site, config, live, verify: tokenVerifier({ admin: [ADMIN] }), idleTickMs: 10_000, now: () => wallMs });
    try {
      const end = obs.tMs.findIndex((t) => t >= 60_000);
      const res = await server.app.inject({ method: 'POST', url: '/reports', payload: ndjsonOf(obs, scenario.site, 0, end), headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ADMIN}` } });
      expect(res.statusCode).toBe(200);
      const held = server.engine.stats().pending;
      expect(held).toBeGreaterThan(0);
      wallMs += 9_000;
      vi.advanceTimersByTime(9_000);
      expect(server.engine.stats().pending).toBe(held);
      wallMs += 1_000;
      vi.advanceTimersByTime(1_000);
      expect(server.engine.stats().pending).toBe(0);
    } finally {
      await server.drain();
    }
  }, 60_000);
});
