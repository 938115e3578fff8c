// ctsim locate --on-bad-row: a real log's bad rows (positive RSSI sentinels,
// APs the map does not have) stop the run at the first, named with its file
// and line (fail, the default), or are left out and counted by reason (skip).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readObservationsCsv } from '../engine/io/observations-reader.ts';
import { ctsim } from './helpers/cli.ts';
import { makeSite, rssiAt } from './helpers/synthetic.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctsim-bad-rows-'));
const site = makeSite();
const sitePath = join(dir, 'site.json');
writeFileSync(sitePath, JSON.stringify(site));

// A phone at (8, 6) every 2 s for 20 s; rows 3 (line 4), 10 and 30 carry +127, line 20 an AP the map lacks.
const rows = ['tMs,deviceId,tech,apId,rssiDbm'];
for (let t = 0; t < 20000; t += 2000) for (const ap of site.aps) rows.push(`${t},phone-1,wifi,${ap.id},${rssiAt(ap, 8, 6, 0).toFixed(2)}`);
for (const line of [4, 11, 31]) rows[line - 1] = rows[line - 1].replace(/-?[\d.]+$/, '127');
rows[19] = rows[19].replace(/,ap[^,]*,/, ',ap-gone,');
const logPath = join(dir, 'log.csv');
writeFileSync(logPath, rows.join('\n') + '\n');

describe('locate --on-bad-row', () => {
  it('fails by default on the first bad row, named with file and line: exit 2, one line', async () => {
    const r = await ctsim('locate', '--site', sitePath, '--observations', logPath, '--out', join(dir, 'out-fail'), '--quiet', '--workers', '0');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/log\.csv:4: rssiDbm 127 is outside -130\.\.0 dBm/);
  });

  it('skip: leaves them out, counts them by reason and quotes the first three', async () => {
    const r = await ctsim('locate', '--site', sitePath, '--observations', logPath, '--out', join(dir, 'out-skip'), '--quiet', '--workers', '0', '--on-bad-row', 'skip');
    expect(r.status).toBe(0);
    expect(r.stderr.trim()).toBe(
      `skipped 4 bad rows: 3 positive RSSI, 1 unknown AP; first: ${logPath}:4: rssiDbm 127 is outside -130..0 dBm; ${logPath}:11: rssiDbm 127 is outside -130..0 dBm; ${logPath}:20: apId 'ap-gone' is not an AP of the site`,
    );
    expect(r.stdout).toMatch(/^56 reports from 1 devices/m);
  });

  it('refuses a value other than fail or skip', async () => {
    const r = await ctsim('locate', '--site', sitePath, '--observations', logPath, '--on-bad-row', 'ignore');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/on-bad-row/);
  });

  it('the reader alone: nothing skipped on a clean log', () => {
    const clean = join(dir, 'clean.csv');
    writeFileSync(clean, [rows[0], rows[1], rows[2]].join('\n'));
    expect(readObservationsCsv(clean, site, 'skip').skipped).toEqual({ count: 0, byReason: {}, first: [] });
  });
});
