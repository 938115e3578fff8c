// ctsim serve --store as a real process on 127.0.0.1: batches are posted from
// three loops at once, SIGTERM arrives mid-stream, the server drains and exits
// 0, and every report of every batch answered 200 is in the reopened store:
// the count, and exact rows; the fixes the drain flushed are there too.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjsonOf } from '../bench/harness/live-replay-http.ts';
import { DEFAULT_PRIVACY } from '../engine/contract/privacy.ts';
import { pseudonymOf } from '../engine/privacy/pseudonym.ts';
import { formatCredential } from '../engine/store/credentials.ts';
import { DuckStore } from '../engine/store/duckdb-store.ts';
import { loadScenario } from '../scenarios/load.ts';
import { simulate } from '../sim/simulate.ts';

const KEY_HEX = '7e'.repeat(32);
const KEY = Uint8Array.from(Buffer.from(KEY_HEX, 'hex'));
const START = '2026-12-03T00:00:00Z';
const START_MS = Date.parse(START);
const BATCH = 500;

describe('ctsim serve --store, SIGTERM mid-stream', () => {
  it('loses no report of a batch it answered 200', async () => {
    // The ideal preset: these test the streaming and I/O mechanics (lags, counts, ordering), with thresholds set on its steady reports.
    const scenario = loadScenario('office', { radioPreset: 'ideal' });
    scenario.durationS = 600;
    const obs = simulate(scenario).observations;
    const site = scenario.site;
    const rules = scenario.privacy ?? DEFAULT_PRIVACY;
    const kept = (i: number): boolean => rules.collection[obs.devices[obs.deviceIdx[i]].tech] === 'keep';
    const db = join(mkdtempSync(join(tmpdir(), 'ctsim-serve-store-')), 'live.db');
    const made = await DuckStore.open(db, { master: KEY }, { create: true });
    const admin = formatCredential(await made.issueCredential('admin', 'feeder'));
    await made.close();

    // A lateness window longer than the posting takes: batches racing each other are never late.
    const child = spawn(process.execPath, ['bin/ctsim.js', 'serve', '--site', 'office', '--store', db, '--start', START, '--port', '0', '--lateness-ms', '3600000'], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CTSIM_STORE_KEY: KEY_HEX },
    });
    let out = '', err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error(`serve exited early: ${out}${err}`)));
    });

    const acked: { start: number; end: number; stored: number }[] = [];
    const refused: (number | string)[] = [];
    let next = 0;
    let signalled = false;
    const loop = async (): Promise<void> => {
      while (next < obs.length) {
        const start = next, end = Math.min(obs.length, start + BATCH);
        next = end;
        let res: Response;
        try {
          res = await fetch(`${url}/reports`, { method: 'POST', body: ndjsonOf(obs, site, start, end), headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${admin}` } });
        } catch (e) {
          refused.push(String((e as Error).cause ?? e)); // the server has stopped listening
          return;
        }
        const text = await res.text();
        if (res.status !== 200) {
          refused.push(res.status);
          return;
        }
        acked.push({ start, end, stored: (JSON.parse(text) as { stored: number }).stored });
        if (acked.length === 8 && !signalled) {
          signalled = true;
          child.kill('SIGTERM');
        }
      }
    };
    await Promise.all([loop(), loop(), loop()]);
    expect(await exited).toBe(0);
    expect(signalled).toBe(true);
    expect(next).toBeLessThan(obs.length); // stopped mid-stream
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r === 503 || typeof r === 'string')).toBe(true);
    expect(out).toMatch(/drained \(\d+ reports in, 0 late, \d+ events out, \d+ stored\)/);

    // Every acknowledged batch: what it said it stored is its consented reports, and the store holds exactly those.
    const wantRows: number[] = [];
    for (const b of acked) {
      let n = 0;
      for (let i = b.start; i < b.end; i++) if (kept(i)) (n++, wantRows.push(i));
      expect(b.stored).toBe(n);
    }
    const store = await DuckStore.open(db, { master: KEY });
    try {
      expect(await store.reportCount()).toBe(wantRows.length);
      const secret = store.key('pseudonym');
      // A few exact rows: the first, the last and three between, each found under its device's pseudonym.
      for (const k of [0, 1, Math.floor(wantRows.length / 2), wantRows.length - 2, wantRows.length - 1]) {
        const i = wantRows[k];
        const d = obs.devices[obs.deviceIdx[i]];
        const blocks = await store.reports(pseudonymOf(d.id, secret), { fromMs: START_MS + obs.tMs[i], toMs: START_MS + obs.tMs[i] });
        const rows = blocks.flatMap((b) => Array.from({ length: b.length }, (_, j) => `${b.tech} ${b.tMs[j]} ${b.apId[j]} ${b.rssiDbm[j]}`));
        expect(rows).toContain(`${d.tech} ${START_MS + obs.tMs[i]} ${site.aps[obs.apIdx[i]].id} ${obs.rssiDbm[i]}`);
      }
      // The hour-long lateness window held every epoch until the drain: its flush stored the devices' fixes before closing.
      const first = obs.devices[obs.deviceIdx[wantRows[0]]];
      const track = (await store.history(pseudonymOf(first.id, secret))).track;
      expect(track.length).toBeGreaterThan(0);
      expect(track.tMs[0]).toBeGreaterThanOrEqual(START_MS);
    } finally {
      await store.close();
    }
  }, 120_000);
});
