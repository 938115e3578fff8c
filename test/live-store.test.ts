// ctsim serve's app with a privacy store, on 127.0.0.1: every accepted report
// of a consented device is committed (pseudonymous, sealed) before the POST
// answers, and the engine's outputs (fixes, visits, hot-zone counts) follow; devices without consent and reports past retention are not kept;
// the store's issued credentials decide roles; export, purge and erase reach the reports.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDeviceShare } from '../bench/harness/device-share.ts';
import { ndjsonOf, subscribe } from '../bench/harness/live-replay-http.ts';
import { DAY_MS, DEFAULT_PRIVACY } from '../engine/contract/privacy.ts';
import { liveServer, type LiveServer } from '../engine/live/server/app.ts';
import { LiveStore } from '../engine/live/server/live-store.ts';
import { LiveEngine } from '../engine/live/engine.ts';
import type { FixEvent, LiveEvent, ZoneExitEvent } from '../engine/live/events.ts';
import type { IntervalCounts } from '../engine/live/hotzones.ts';
import { pseudonymOf } from '../engine/privacy/pseudonym.ts';
import { GovernedStore } from '../engine/store/access.ts';
import { formatCredential } from '../engine/store/credentials.ts';
import { writeExport } from '../engine/store/export.ts';
import { DuckStore } from '../engine/store/duckdb-store.ts';
import { loadScenario } from '../scenarios/load.ts';
import { simulate } from '../sim/simulate.ts';

const KEY = Uint8Array.from(Buffer.from('5a'.repeat(32), 'hex'));
const START_MS = Date.UTC(2026, 11, 3); // the stream's t = 0
const NOW_MS = START_MS + 3_600_000;
// The ideal preset: these test the streaming and I/O mechanics (lags, counts, ordering), with thresholds set on its steady reports.
const scenario = loadScenario('office', { radioPreset: 'ideal' });
scenario.durationS = 300;
const obs = simulate(scenario).observations;
const site = scenario.site;
const rules = scenario.privacy ?? DEFAULT_PRIVACY;
/** Kept under the office's rules: connected Wi-Fi phones and badges; probing phones count only. */
const kept = (i: number): boolean => rules.collection[obs.devices[obs.deviceIdx[i]].tech] === 'keep';
const keptIn = (from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) if (kept(i)) n++;
  return n;
};
/** The stream's first, second and last third. */
const cut = [0, Math.floor(obs.length / 3), Math.floor((2 * obs.length) / 3), obs.length];

/** The engine's events and hot-zone interval counts for the whole stream, every report pushed once, in process. */
function inProcess(): { events: LiveEvent[]; intervals: IntervalCounts[] } {
  const events: LiveEvent[] = [];
  const intervals: IntervalCounts[] = [];
  const ref = new LiveEngine(site, withDeviceShare(scenario, {}), (e) => events.push(e), { latenessMs: 2000, onCounts: (c) => intervals.push(c) });
  for (let i = 0; i < obs.length; i++) ref.push(obs.tMs[i], obs.devices[obs.deviceIdx[i]].id, obs.devices[obs.deviceIdx[i]].tech, obs.apIdx[i], obs.rssiDbm[i]);
  ref.end();
  return { events, intervals };
}
const storedCounts = (intervals: IntervalCounts[]): unknown[] =>
  intervals.flatMap((c) => site.zones.map((z, k) => ({ zoneId: z.id, startMs: START_MS + c.startTMs, endMs: START_MS + c.endTMs, count: c.counts[k], baseline: c.baselines[k], hot: c.hot[k] })));

describe('ctsim serve app with a store', () => {
  let server: LiveServer;
  let url: string;
  let store: DuckStore;
  let live: LiveStore;
  const cred: Record<string, string> = {};
  beforeAll(async () => {
    store = await DuckStore.open(join(mkdtempSync(join(tmpdir(), 'ctsim-live-store-')), 'live.db'), { master: KEY }, { create: true });
    for (const role of ['admin', 'analyst', 'viewer'] as const) cred[role] = formatCredential(await store.issueCredential(role, `${role}-1`));
    live = new LiveStore(store, { rules, startMs: START_MS, site, now: () => NOW_MS });
    server = liveServer({ site, config: withDeviceShare(scenario, {}), store: live, live: { latenessMs: 2000 } });
    url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  }, 60_000);
  afterAll(async () => {
    await server.drain();
    await live.close();
  });

  const post = (body: string, token?: string): Promise<Response> =>
    fetch(`${url}/reports`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const refusal = async (res: Response, status: number): Promise<string> => {
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text.trim().split('\n')).toHaveLength(1);
    return (JSON.parse(text) as { error: string }).error;
  };

  it("takes the store's credentials: a missing, wrong or non-admin one is refused and nothing is stored", async () => {
    const body = ndjsonOf(obs, site, 0, 50);
    expect(await refusal(await post(body), 401)).toMatch(/missing credential/);
    expect(await refusal(await post(body, 'admin-token-0123456789'), 401)).toBe('wrong credential');
    // An admin credential with one character of its secret changed opens nothing.
    const at = cred.admin.length - 5; // a middle character: all six of its bits are the secret's
    const forged = cred.admin.slice(0, at) + (cred.admin[at] === 'A' ? 'B' : 'A') + cred.admin.slice(at + 1);
    expect(await refusal(await post(body, forged), 401)).toBe('wrong credential');
    expect(await refusal(await post(body, cred.viewer), 403)).toBe('this needs the admin role');
    expect(await refusal(await post(body, cred.analyst), 403)).toBe('this needs the admin role');
    const viewerFixes = await fetch(`${url}/events?types=fix`, { headers: { authorization: `Bearer ${cred.viewer}` } });
    expect(await refusal(viewerFixes, 403)).toMatch(/role 'viewer' may not receive 'fix' events/);
    const analystFixes = await fetch(`${url}/events?types=fix`, { headers: { authorization: `Bearer ${cred.analyst}` } });
    expect(analystFixes.status).toBe(200);
    await analystFixes.body?.cancel();
    expect(server.engine.stats().reportsIn).toBe(0);
    expect(await store.reportCount()).toBe(0);
  });

  it('commits each POST before answering: consented reports under pseudonyms, exact values; the others not at all', async () => {
    let stored = 0;
    for (let k = 0; k < 3; k++) {
      const res = await post(ndjsonOf(obs, site, cut[k], cut[k + 1]), cred.admin);
      expect(res.status).toBe(200);
      const answer = await res.json() as { accepted: number; late: number; ahead: number; stored: number };
      expect(answer).toEqual({ accepted: cut[k + 1] - cut[k], late: 0, ahead: 0, stored: keptIn(cut[k], cut[k + 1]) });
      stored += answer.stored;
      // Committed when the answer came: the store already counts them.
      expect(await store.reportCount()).toBe(stored);
    }
    expect(stored).toBeGreaterThan(1000);
    expect(await (await fetch(`${url}/metrics`)).text()).toContain(`ctsim_reports_stored_total ${stored}`);
    expect(stored).toBeLessThan(obs.length); // the probing phones were not kept
    const secret = store.key('pseudonym');
    const probe = obs.devices.findIndex((d) => d.tech === 'wifi-probe');
    expect(probe).toBeGreaterThanOrEqual(0);
    expect(await store.reports(pseudonymOf(obs.devices[probe].id, secret))).toEqual([]);
    const { events, intervals } = inProcess();
    // A kept device with a closed visit: every one of its reports, exact, under its pseudonym, absolute times.
    const exits = events.filter((e): e is ZoneExitEvent => e.type === 'zone-exit');
    const d = obs.devices.findIndex((dev) => rules.collection[dev.tech] === 'keep' && exits.some((e) => e.deviceId === dev.id));
    const mine = Array.from({ length: obs.length }, (_, i) => i).filter((i) => obs.deviceIdx[i] === d);
    const blocks = await store.reports(pseudonymOf(obs.devices[d].id, secret));
    const rows = blocks.flatMap((b) => Array.from({ length: b.length }, (_, i) => ({ tMs: b.tMs[i], apId: b.apId[i], rssiDbm: b.rssiDbm[i], tech: b.tech })));
    expect(rows).toEqual(mine.map((i) => ({ tMs: START_MS + obs.tMs[i], apId: site.aps[obs.apIdx[i]].id, rssiDbm: obs.rssiDbm[i], tech: obs.devices[d].tech })));

    // The engine's outputs went in as they came out (the end's with POST /end): the device's every fix and closed visit.
    expect((await fetch(`${url}/end`, { method: 'POST', headers: { authorization: `Bearer ${cred.admin}` } })).status).toBe(200);
    const id = obs.devices[d].id;
    const fixes = events.filter((e): e is FixEvent => e.type === 'fix' && e.deviceId === id);
    const visits = events.filter((e): e is ZoneExitEvent => e.type === 'zone-exit' && e.deviceId === id);
    expect(fixes.length).toBeGreaterThan(20);
    expect(visits.length).toBeGreaterThan(0);
    const history = await store.history(pseudonymOf(id, secret));
    expect(Array.from(history.track.tMs)).toEqual(fixes.map((f) => START_MS + f.tMs));
    expect(Array.from(history.track.x)).toEqual(fixes.map((f) => Math.fround(f.x)));
    expect(history.journeys.map((v) => [v.zoneId, v.enterTMs, v.exitTMs])).toEqual(visits.map((v) => [v.zone, START_MS + v.enterTMs, START_MS + v.tMs]));
    // Every closed hot-zone interval's counts, every zone, as the engine counted them (no device in them).
    expect(intervals.length).toBeGreaterThan(5);
    const counts = await store.zoneCounts();
    expect(counts).toEqual(storedCounts(intervals));
    expect(counts.some((c) => c.count > 0)).toBe(true);
    // No output of a device without consent.
    expect((await store.history(pseudonymOf(obs.devices[probe].id, secret))).track.length).toBe(0);
  }, 60_000);

  it('keeps nothing already past retention, and export, purge and erase reach the reports', async () => {
    // The same reports as if the stream had started 31 days ago: past the 30-day retention on arrival.
    const old = new LiveStore(store, { rules, startMs: NOW_MS - 31 * DAY_MS, site, now: () => NOW_MS });
    const rows = { length: 2, tMs: new Float64Array([1000, 2000]), deviceId: ['aa', 'aa'], tech: ['wifi', 'wifi'] as const, apIdx: new Uint16Array([0, 1]), rssiDbm: new Float32Array([-60, -61]) };
    expect(await old.write({ ...rows, tech: [...rows.tech] }, new Uint8Array([1, 1]))).toBe(0);
    await old.idle(); // its first write's retention purge runs in the store's next turn
    const before = await store.reportCount();
    const d = obs.devices[obs.deviceIdx[0]];
    expect(kept(0)).toBe(true);
    const device = pseudonymOf(d.id, store.key('pseudonym'));
    const held = (await store.reports(device)).reduce((n, b) => n + b.length, 0);
    expect(held).toBeGreaterThan(0);
    // A data-subject export holds them, row for row (export.json and reports.arrow).
    const out = mkdtempSync(join(tmpdir(), 'ctsim-live-export-'));
    writeExport(out, await new GovernedStore(store).export(device));
    const exported = JSON.parse(readFileSync(join(out, 'export.json'), 'utf8')) as { reports: { tMs: number; apId: string }[] };
    expect(exported.reports).toHaveLength(held);
    expect(exported.reports[0]).toMatchObject({ tMs: START_MS + obs.tMs[0], apId: site.aps[obs.apIdx[0]].id, tech: d.tech });
    expect(tableFromIPC(readFileSync(join(out, 'reports.arrow'))).numRows).toBe(held);
    expect((await store.erase(device)).reports).toBe(held);
    expect(await store.reportCount()).toBe(before - held);
    // Purging at the stream's 150th second keeps exactly the reports from then on.
    const cutoffMs = START_MS + 150_000;
    let after = 0;
    for (let i = 0; i < obs.length; i++) if (kept(i) && obs.deviceIdx[i] !== obs.deviceIdx[0] && START_MS + obs.tMs[i] >= cutoffMs) after++;
    const purged = await store.purge(cutoffMs);
    expect(await store.reportCount()).toBe(after);
    expect(purged.reports).toBe(before - held - after);
  }, 60_000);
});

describe('ctsim serve app with a store that fails', () => {
  /** A server on a new store whose live write fails while `failures` > 0: mid-transaction, after the reports are appended (rolled back). */
  const serve = async (): Promise<{ server: LiveServer; url: string; store: DuckStore; live: LiveStore; admin: string; fail: (n: number) => void }> => {
    const store = await DuckStore.open(join(mkdtempSync(join(tmpdir(), 'ctsim-live-fail-')), 'live.db'), { master: KEY }, { create: true });
    const admin = formatCredential(await store.issueCredential('admin', 'feeder'));
    const inner = store as unknown as { insertBatch: (...args: unknown[]) => Promise<void> };
    const insertBatch = inner.insertBatch.bind(store);
    let failures = 0;
    inner.insertBatch = async (...args) => {
      if (failures > 0) {
        failures--;
        throw new Error('IO Error: No space left on device');
      }
      return insertBatch(...args);
    };
    const live = new LiveStore(store, { rules, startMs: START_MS, site, now: () => NOW_MS });
    const server = liveServer({ site, config: withDeviceShare(scenario, {}), store: live, live: { latenessMs: 2000 } });
    const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
    return { server, url, store, live, admin, fail: (n) => (failures = n) };
  };
  const post = (url: string, admin: string, body: string): Promise<Response> =>
    fetch(`${url}/reports`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${admin}` } });

  it('takes none of a batch the store refuses (503): its retry counts each report once in the engine and the store', async () => {
    const { server, url, store, live, admin, fail } = await serve();
    try {
      const seen: LiveEvent[] = [];
      const sub = await subscribe(url, admin, undefined, (e) => seen.push(e));
      expect(await (await post(url, admin, ndjsonOf(obs, site, cut[0], cut[1]))).json()).toEqual({ accepted: cut[1], late: 0, ahead: 0, stored: keptIn(0, cut[1]) });
      fail(1);
      const refused = await post(url, admin, ndjsonOf(obs, site, cut[1], cut[2]));
      expect(refused.status).toBe(503);
      expect((await refused.json() as { error: string }).error).toMatch(/^the store did not take this batch \(nothing of it was kept; send it again\): .*No space left on device$/);
      // Neither has any of it.
      expect(server.engine.stats().reportsIn).toBe(cut[1]);
      expect(await store.reportCount()).toBe(keptIn(cut[0], cut[1]));
      // The client sends it again, then the rest.
      for (const k of [1, 2]) {
        const res = await post(url, admin, ndjsonOf(obs, site, cut[k], cut[k + 1]));
        expect(await res.json()).toEqual({ accepted: cut[k + 1] - cut[k], late: 0, ahead: 0, stored: keptIn(cut[k], cut[k + 1]) });
      }
      expect(await (await fetch(`${url}/end`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } })).json()).toMatchObject({ status: 'ended' });
      await sub.ended;
      // Each report once: the engine's counts and events, the store's reports and hot-zone counts are those of the stream pushed once.
      const { events, intervals } = inProcess();
      expect(server.engine.stats()).toMatchObject({ reportsIn: obs.length, rejected: 0, eventsOut: events.length });
      expect(events.length).toBeGreaterThan(300); // 405
      expect(seen).toEqual(JSON.parse(JSON.stringify(events)));
      expect(await store.reportCount()).toBe(keptIn(0, obs.length));
      expect(await store.zoneCounts()).toEqual(storedCounts(intervals));
      // The outputs the failed write carried (the first third's fixes) went in once, with the retry: every fix of a kept device, once.
      const secret = store.key('pseudonym');
      const fixes = events.filter((e): e is FixEvent => e.type === 'fix' && rules.collection[obs.devices.find((dev) => dev.id === e.deviceId)!.tech] === 'keep');
      const id = fixes[0].deviceId;
      const mine = fixes.filter((f) => f.deviceId === id);
      expect(mine.length).toBeGreaterThan(20);
      expect(Array.from((await store.history(pseudonymOf(id, secret))).track.tMs)).toEqual(mine.map((f) => START_MS + f.tMs));
    } finally {
      await server.drain();
      await live.close();
    }
  }, 60_000);

  it('under concurrent POSTs, stores exactly the reports the engine takes', async () => {
    const { server, url, store, live, admin, fail } = await serve();
    try {
      // Kept devices only, so a batch's `stored` is its reports the store took and `accepted` those the engine took.
      const rows = Array.from({ length: obs.length }, (_, i) => i).filter(kept);
      const body = (from: number, to: number): string => rows.slice(from, to).map((i) => ndjsonOf(obs, site, i, i + 1)).join('');
      // Eight batches of consecutive times, sent at once latest first; each ends with 50 reports of the stream's first seconds,
      // late whatever the order. A batch arriving after a later one is late in part too. One write fails.
      const size = Math.floor(rows.length / 8);
      fail(1);
      const answers = await Promise.all(Array.from({ length: 8 }, (_, k) => 7 - k).map(async (k) => {
        const res = await post(url, admin, body(k * size, (k + 1) * size) + body(0, 50));
        return res.status === 200 ? await res.json() as { accepted: number; late: number; ahead: number; stored: number } : { status: res.status };
      }));
      expect(answers.filter((a) => 'status' in a)).toEqual([{ status: 503 }]);
      const ok = answers.filter((a): a is { accepted: number; late: number; ahead: number; stored: number } => !('status' in a));
      for (const a of ok) expect(a.stored).toBe(a.accepted);
      const sum = (f: (a: (typeof ok)[number]) => number): number => ok.reduce((n, a) => n + f(a), 0);
      expect(sum((a) => a.late)).toBeGreaterThanOrEqual(7 * 50);
      expect(server.engine.stats()).toMatchObject({ reportsIn: 7 * (size + 50), rejected: sum((a) => a.late) });
      expect(await store.reportCount()).toBe(sum((a) => a.accepted));
    } finally {
      await server.drain();
      await live.close();
    }
  }, 60_000);
});
