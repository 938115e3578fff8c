// ctsim locate --on-bad-row: a real log's bad rows (positive RSSI sentinels,
// APs the map does not have) stop the run at the first, named with its file
// and line (fail, the default), or are left out and counted by reason (skip).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readObservationsCsv } from '../engine/io/observations-reader.ts';
import { ctsim } from './helpers/cli.ts';
import { makeSite, rssiAt } from './helpers/synthetic.ts';
import { writeTwinLog } from './helpers/twin-log.ts';

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

describe('calibrate and twin --on-bad-row', () => {
  const d = mkdtempSync(join(tmpdir(), 'ctsim-bad-rows-twin-'));
  const p = writeTwinLog(d, 3, 5);
  const lines = readFileSync(p.observations, 'utf8').trim().split('\n');
  lines[5] = lines[5].replace(/-?[\d.]+$/, '5');
  writeFileSync(p.observations, lines.join('\n') + '\n');
  const calibrate = (...extra: string[]) => ctsim('calibrate', '--site', p.site, '--observations', p.observations, '--positions', p.positions, '--bootstrap', '0', '--out', join(d, 'cal'), ...extra);

  it('a real log\'s +5 dBm row stops calibrate by default, and with skip is left out, counted: the fit runs on the rest', async () => {
    const fail = await calibrate();
    expect(fail.status).toBe(2);
    expect(fail.stderr).toContain(`${p.observations}:6: rssiDbm 5 is outside -130..0 dBm`);
    const skip = await calibrate('--on-bad-row', 'skip');
    expect(skip.status).toBe(0);
    expect(skip.stderr.trim()).toBe(`skipped 1 bad row: 1 positive RSSI; first: ${p.observations}:6: rssiDbm 5 is outside -130..0 dBm`);
    expect(readFileSync(join(d, 'cal/radio.json'), 'utf8')).toContain('pathLossExponent');
  }, 60_000);

  it('is refused where no log is read: calibrate --survey, twin --phone-log', async () => {
    const survey = await ctsim('calibrate', '--site', p.site, '--survey', p.observations, '--on-bad-row', 'skip', '--out', join(d, 'cal2'));
    expect(survey.status).toBe(2);
    expect(survey.stderr.trim()).toBe('ctsim: --on-bad-row reads --observations: a survey is taken whole (see ctsim --help)');
    const phones = await ctsim('twin', '--phone-log', p.observations, '--on-bad-row', 'skip', '--out', join(d, 'tw'));
    expect(phones.status).toBe(2);
    expect(phones.stderr).toContain('twin --phone-log takes no --on-bad-row');
  });
});
