// A run whose devices are heard but never located (a site of one AP: no
// epoch holds localize.minAps = 3) says so where a table of dashes does not:
// run names the technologies without fixes and why, trace calls such a
// device heard, not unknown, and replay has no fix lag to give (it printed NaN).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readObservationsArrow } from '../engine/io/observations-reader.ts';
import { loadScenario } from '../scenarios/load.ts';
import { ctsim } from './helpers/cli.ts';
import { officeJson } from './helpers/short-office.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctsim-empty-'));
const run = join(dir, 'run');

beforeAll(async () => {
  const office = officeJson();
  const scenario = join(dir, 'one-ap.json');
  writeFileSync(scenario, JSON.stringify({ ...office, durationS: 900, site: { ...office.site, aps: office.site.aps.slice(0, 1) } }));
  const r = await ctsim('run', '--scenario', scenario, '--out', run, '--workers', '0', '--quiet');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/No fixes for wifi, wifi-probe, ble-badge, ble-app: no device's epoch \(ingest\.epochMs 5000 ms\) held readings of localize\.minAps = 3 APs on one floor\./);
}, 120_000);

describe('a run heard but never located', () => {
  it('trace calls a heard device heard, with its reports, not unknown', async () => {
    const heard = readObservationsArrow(join(run, 'observations.arrow'), loadScenario(join(run, 'scenario.json')).site).observations;
    const d = heard.devices[heard.deviceIdx[0]].id;
    const reports = heard.deviceIdx.filter((k) => k === heard.deviceIdx[0]).length;
    const r = await ctsim('trace', '--run', run, '--device', d);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`ctsim: device '${d}' was heard (${reports.toLocaleString('en-US')} reports) but never located in this run: nothing to trace`);
    const unknown = await ctsim('trace', '--run', run, '--device', 'badge-9999');
    expect(unknown.stderr.trim()).toBe("ctsim: unknown device 'badge-9999': the run located no device");
  });

  it('replay says there is no fix lag rather than NaN', async () => {
    const r = await ctsim('replay', run, '--speed', 'max', '--quiet');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no fix, so no fix lag');
    expect(r.stdout).not.toContain('NaN');
  });

  it('report draws no error CDF and no occupancy legend where there is nothing to draw (its axes read NaN)', async () => {
    const out = join(dir, 'report');
    const r = await ctsim('report', '--run', run, '--out', out);
    expect(r.status).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toContain('NaN');
    expect(existsSync(join(out, 'figures', 'error-cdf.svg'))).toBe(false);
    expect(readFileSync(join(out, 'figures', 'floor-plan-0.svg'), 'utf8')).not.toContain('NaN');
  }, 60_000);
});
