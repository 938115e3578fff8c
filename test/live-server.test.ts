// ctsim serve's app on 127.0.0.1: a short office stream posted as NDJSON
// gives exactly the in-process live engine's events; bad requests get a 4xx
// and one line of JSON while the server keeps serving; roles filter events;
// SIGTERM drains and exits 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineInputs } from '../bench/harness/experiment.ts';
import { withDeviceShare } from '../bench/harness/device-share.ts';
import { ndjsonOf, replayOverHttp, subscribe } from '../bench/harness/live-replay-http.ts';
import { tokenVerifier } from '../engine/live/server/credentials.ts';
import { fanOut, liveServer, type LiveServer, type Subscriber } from '../engine/live/server/app.ts';
import { LiveEngine } from '../engine/live/engine.ts';
import type { LiveEvent, LiveEventType } from '../engine/live/events.ts';
import { loadScenario } from '../scenarios/load.ts';
import { simulate } from '../sim/simulate.ts';

const ADMIN = 'admin-token-0123456789', ANALYST = 'analyst-token-0123456789', VIEWER = 'viewer-token-0123456789';
// The ideal preset: these test the streaming and I/O mechanics (lags, counts, ordering), with thresholds set on its steady reports.
const scenario = loadScenario('office', { radioPreset: 'ideal' });
scenario.durationS = 900;
const sim = simulate(scenario);
const obs = sim.observations;
const inputs = engineInputs(sim);
const config = withDeviceShare(scenario, {});
const live = { apBeacons: inputs.apBeacons, survey: inputs.survey, bindings: inputs.bindings, latenessMs: 2000 };

describe('ctsim serve app', () => {
  let server: LiveServer;
  let url: string;
  beforeAll(async () => {
    server = liveServer({ site: scenario.site, config, live, verify: tokenVerifier({ admin: [ADMIN], analyst: [ANALYST], viewer: [VIEWER] }), bodyLimitBytes: 1024 * 1024 });
    url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  }, 60_000);
  afterAll(async () => server.drain());

  const post = (path: string, body: string, token?: string, type = 'application/x-ndjson'): Promise<Response> =>
    fetch(`${url}${path}`, { method: 'POST', body, headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const refusal = async (res: Response, status: number): Promise<string> => {
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text.trim().split('\n')).toHaveLength(1);
    return (JSON.parse(text) as { error: string }).error;
  };

  it('refuses bad requests with a 4xx and one line of JSON, accepting nothing, and keeps serving', async () => {
    const good = ndjsonOf(obs, scenario.site, 0, 3);
    expect(await refusal(await post('/reports', good + '{"tMs": 5, "deviceId"\n', ADMIN), 400)).toBe('line 4: not JSON');
    expect(await refusal(await post('/reports', good.replace(/"apId":"[^"]+"/, '"apId":"no-such-ap"'), ADMIN), 422)).toBe("line 1: unknown AP 'no-such-ap'");
    expect(await refusal(await post('/reports', good), 401)).toMatch(/missing credential/);
    expect(await refusal(await post('/reports', good, 'not-a-token'), 401)).toBe('wrong credential');
    expect(await refusal(await post('/reports', good, VIEWER), 403)).toBe('this needs the admin role');
    expect(await refusal(await post('/reports', 'x'.repeat(2 * 1024 * 1024), ADMIN), 413)).toMatch(/too large/i);
    // Only NDJSON, uncompressed: a text/plain body was taken, a gzip one read as 'line 1: not JSON'.
    expect(await refusal(await post('/reports', good, ADMIN, 'text/plain'), 415)).toMatch(/application\/x-ndjson/);
    const gzipped = await fetch(`${url}/reports`, { method: 'POST', body: good, headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', authorization: `Bearer ${ADMIN}` } });
    expect(await refusal(gzipped, 415)).toBe('Content-Encoding gzip is not taken: send the NDJSON uncompressed');
    expect(server.engine.stats().reportsIn).toBe(0);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const viewerFixes = await fetch(`${url}/events?types=fix`, { headers: { authorization: `Bearer ${VIEWER}` } });
    expect(await refusal(viewerFixes, 403)).toMatch(/role 'viewer' may not receive 'fix' events/);
    // A repeated or empty types parameter (a 500 before, and a stream that would never carry an event).
    const events = (query: string) => fetch(`${url}/events?${query}`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(await refusal(await events('types=fix&types=contact'), 400)).toMatch(/types is given more than once/);
    expect(await refusal(await events('types='), 400)).toMatch(/types names no event type/);
  });

  it('gives exactly the in-process engine\'s events for the same stream; a viewer gets only hot-zone events', async () => {
    const expected: LiveEvent[] = [];
    const engine = new LiveEngine(scenario.site, config, (e) => expected.push(e), live);
    for (let i = 0; i < obs.length; i++) {
      const d = obs.devices[obs.deviceIdx[i]];
      engine.push(obs.tMs[i], d.id, d.tech, obs.apIdx[i], obs.rssiDbm[i]);
    }
    engine.end();
    const viewerSeen: LiveEvent[] = [];
    const viewer = await subscribe(url, VIEWER, undefined, (e) => viewerSeen.push(e));
    const analystSeen: LiveEvent[] = [];
    const analyst = await subscribe(url, ANALYST, undefined, (e) => analystSeen.push(e));
    const got: LiveEvent[] = [];
    const result = await replayOverHttp(url, ADMIN, obs, scenario.site, { speed: Infinity, onEvent: (e) => got.push(e) });
    await viewer.ended;
    await analyst.ended;
    // replayOverHttp ended the stream: the streams were closed with it, and a second end is refused.
    expect(await refusal(await fetch(`${url}/end`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } }), 409)).toBe('the stream has ended');
    // An analyst gets the admin's events with every device id a pseudonym, one per device, and no raw id anywhere.
    const idsOf = (e: LiveEvent): string[] => ('deviceId' in e ? [e.deviceId] : 'a' in e ? [e.a, e.b] : []);
    expect(analystSeen.map((e) => e.type)).toEqual(got.map((e) => e.type));
    const alias = new Map<string, string>();
    analystSeen.forEach((e, k) => {
      for (const id of idsOf(e)) expect(id).toMatch(/^ps-[0-9a-f]{32}$/);
      const raw = got[k];
      if (!('deviceId' in e) || !('deviceId' in raw)) return;
      expect(alias.get(raw.deviceId) ?? e.deviceId).toBe(e.deviceId);
      alias.set(raw.deviceId, e.deviceId);
    });
    expect(new Set(alias.values()).size).toBe(alias.size);
    const rawIds = new Set(got.flatMap(idsOf));
    expect(JSON.stringify(analystSeen).match(/"(?:deviceId|a|b)":"([^"]+)"/g)!.some((m) => rawIds.has(m.split('"')[3]))).toBe(false);
    expect(got.length).toBeGreaterThan(1000);
    expect(got).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(result.stats).toMatchObject({ reportsIn: obs.length, rejected: 0 });
    expect(viewerSeen.every((e) => e.type.startsWith('hotzone-'))).toBe(true);
    expect(viewerSeen).toEqual(got.filter((e) => e.type.startsWith('hotzone-')));
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain(`ctsim_reports_in_total ${obs.length}`);
    expect(metrics).toMatch(/ctsim_reports_rejected_total\{reason="unknown_ap"\} 1/);
    // One per refused request (the first test: a missing and a wrong credential, a viewer posting, a viewer asking for fixes; one body too large).
    expect(metrics).toMatch(/ctsim_reports_rejected_total\{reason="credential"\} 4/);
    expect(metrics).toMatch(/ctsim_reports_rejected_total\{reason="oversized"\} 1/);
    expect(metrics).toContain(`ctsim_events_out_total{type="fix"} ${got.filter((e) => e.type === 'fix').length}`);
  }, 120_000);
});

describe('ctsim serve app with one AP clock a day ahead', () => {
  it('refuses that AP\'s reports as ahead and takes everyone else\'s on time', async () => {
    const server = liveServer({ site: scenario.site, config, live, verify: tokenVerifier({ admin: [ADMIN] }), bodyLimitBytes: 16 * 1024 * 1024 });
    const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      // The first AP's reports of the first minute carry a clock a day ahead (before: every later report was late, the stream stalled).
      const ap = scenario.site.aps[0].id;
      const minute = obs.tMs.findIndex((t) => t >= 60_000);
      const skewed = ndjsonOf(obs, scenario.site, 0, minute).split('\n').filter(Boolean)
        .map((line) => (JSON.parse(line).apId === ap ? line.replace(/"tMs":(\d+(?:\.\d+)?)/, (_, t) => `"tMs":${Number(t) + 86_400_000}`) : line));
      const fromAp = skewed.filter((line) => JSON.parse(line).apId === ap).length;
      const post = async (body: string) => (await fetch(`${url}/reports`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ADMIN}` } })).json();
      const first = await post(skewed.join('\n') + '\n');
      expect(fromAp).toBeGreaterThan(10);
      // All but any taken before a second AP gave the stream a time.
      expect(first.ahead).toBeGreaterThanOrEqual(fromAp - 1);
      expect(first).toMatchObject({ accepted: minute - first.ahead, late: 0 });
      expect(await post(ndjsonOf(obs, scenario.site, minute, obs.length))).toEqual({ accepted: obs.length - minute, late: 0, ahead: 0 });
      expect(await (await fetch(`${url}/metrics`)).text()).toContain(`ctsim_reports_rejected_total{reason="ahead"} ${first.ahead}`);
    } finally {
      await server.drain();
    }
  }, 60_000);
});

describe('ctsim serve process', () => {
  // On a plain site map, as ctsim locate takes one (a real site has no scenario); built-in names: serve-store-inputs.test.ts.
  it('drains on SIGTERM: the held epochs reach subscribers, then it exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctsim-serve-'));
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify({ admin: [ADMIN] }));
    const { floors, walls, zones, aps } = scenario.site;
    writeFileSync(join(dir, 'site.json'), JSON.stringify({ floors, walls, zones, aps }));
    const child = spawn(process.execPath, ['bin/ctsim.js', 'serve', '--site', join(dir, 'site.json'), '--credentials', join(dir, 'credentials.json'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error(`serve exited early: ${out}`)));
    });
    const seen: LiveEvent[] = [];
    const sub = await subscribe(url, ADMIN, 'fix', (e) => seen.push(e));
    // One minute of reports: every epoch but the last ones is out before the signal.
    const end = obs.tMs.findIndex((t) => t >= 60_000);
    const res = await fetch(`${url}/reports`, { method: 'POST', body: ndjsonOf(obs, scenario.site, 0, end), headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ADMIN}` } });
    expect(await res.json()).toEqual({ accepted: end, late: 0, ahead: 0 });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await sub.ended;
    // Fixes of the last epoch (55-60 s) only come out on the drain's flush.
    expect(seen.some((e) => e.tMs === 57_500)).toBe(true);
    expect(out).toMatch(new RegExp(`drained \\(${end} reports in`));
  }, 120_000);
});

describe('event fan-out', () => {
  it('writes each event to the subscribers of its type, in their words; a reader too far behind is closed and let go', () => {
    const reader = (backlog: number, types: LiveEventType[], pseudonymous = false) => {
      const got = { written: [] as string[], ended: '' };
      const res = { writableLength: backlog, write: (s: string) => (got.written.push(s), true), end: (s: string) => void (got.ended = s) };
      return { got, sub: { types: new Set(types), res: res as unknown as Subscriber['res'], pseudonymous } };
    };
    const keeping = reader(0, ['fix']), masked = reader(0, ['fix'], true), other = reader(0, ['contact']), stalled = reader(2048, ['fix']);
    const subs = new Set<Subscriber>([keeping.sub, masked.sub, other.sub, stalled.sub]);
    let dropped = 0;
    fanOut(subs, 'fix', (p) => (p ? 'ps' : 'raw'), 1024, () => dropped++);
    expect([keeping.got.written, masked.got.written, other.got.written, stalled.got.written]).toEqual([['raw'], ['ps'], [], []]);
    expect(stalled.got.ended).toBe(': closed, reader too far behind\n\n');
    expect([dropped, subs.size, subs.has(stalled.sub)]).toEqual([1, 3, false]);
  });
});
