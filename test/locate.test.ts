// The engine on a user's own files: readers with line-numbered errors, and
// `ctsim locate` end to end on a small hand-made log.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { writeObservations } from '../engine/io/observations-table.ts';
import { readObservationsArrow, readObservationsCsv } from '../engine/io/observations-reader.ts';
import { parseSite, readSiteFile } from '../engine/io/site-reader.ts';
import { ctsim } from './helpers/cli.ts';
import { makeSite, rssiAt } from './helpers/synthetic.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctsim-locate-'));
const site = makeSite();
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const HEADER = 'tMs,deviceId,tech,apId,rssiDbm';
const AP0 = site.aps[0].id, AP1 = site.aps[1].id;

describe('observation readers', () => {
  it('reads CSV, sorts rows by time stably, and splits AP beacons off', () => {
    const path = write('ok.csv', [HEADER, `5000,phone-1,wifi,${AP1},-61`, `1000,phone-1,wifi,${AP0},-60.5`, `1000,ap:${AP1},ble-badge,${AP0},-70`, `1000,badge-7,ble-badge,${AP1},-55`].join('\n'));
    const log = readObservationsCsv(path, site);
    expect(Array.from(log.observations.tMs)).toEqual([1000, 1000, 5000]);
    expect(log.observations.devices).toEqual([{ id: 'phone-1', tech: 'wifi' }, { id: 'badge-7', tech: 'ble-badge' }]);
    expect(Array.from(log.observations.deviceIdx)).toEqual([0, 1, 0]);
    expect(Array.from(log.observations.rssiDbm)).toEqual([-60.5, -55, -61]);
    expect(log.apBeacons.length).toBe(1);
    expect(log.apBeacons.devices).toEqual([{ id: `ap:${AP1}`, tech: 'ble-badge' }]);
    expect(log.apBeacons.apIdx[0]).toBe(0);
  });

  it.each([
    ['a non-number RSSI', `1000,p,wifi,${AP0},abc`, /bad\.csv:3: rssiDbm 'abc' is not a number/],
    ['an unknown AP', `1000,p,wifi,ap-nowhere,-50`, /bad\.csv:3: apId 'ap-nowhere' is not an AP of the site/],
    ['an unknown tech', `1000,p,zigbee,${AP0},-50`, /bad\.csv:3: tech 'zigbee' is not one of wifi, wifi-probe, ble-badge, ble-app/],
    ['an RSSI in the wrong unit', `1000,p,wifi,${AP0},600`, /bad\.csv:3: rssiDbm 600 is outside -130\.\.0 dBm/],
    ['a short row', `1000,p,wifi`, /bad\.csv:3: not valid CSV/],
  ])('names the line and field of %s', (_, row, message) => {
    const path = write('bad.csv', [HEADER, `0,p,wifi,${AP0},-50`, row].join('\n'));
    expect(() => readObservationsCsv(path, site)).toThrow(message);
  });

  it('names missing columns', () => {
    expect(() => readObservationsCsv(write('cols.csv', 'tMs,deviceId,apId\n0,p,x\n'), site)).toThrow(/cols\.csv:1: missing column\(s\) tech, rssiDbm/);
  });

  it('refuses a needed column named twice (the last one was read), not one it does not read', () => {
    expect(() => readObservationsCsv(write('twice.csv', `${HEADER},rssiDbm\n0,p,wifi,${AP0},-50,-70\n`), site)).toThrow(/twice\.csv:1: column 'rssiDbm' is named twice in the header/);
    expect(Array.from(readObservationsCsv(write('extra.csv', `${HEADER},note,note\n0,p,wifi,${AP0},-50,a,b\n`), site).observations.rssiDbm)).toEqual([-50]);
  });

  it('reads back what observations.arrow holds, and names the row of a bad value', () => {
    const batch = {
      length: 3, devices: [{ id: 'd0', tech: 'wifi' as const }, { id: 'd1', tech: 'ble-app' as const }],
      tMs: Float64Array.of(0, 10, 20), deviceIdx: Uint32Array.of(0, 1, 0), apIdx: Uint16Array.of(2, 3, 4), rssiDbm: Float32Array.of(-50, -60, -70),
    };
    const path = join(dir, 'obs.arrow');
    writeObservations(path, batch, site);
    const log = readObservationsArrow(path, site);
    expect(log.observations).toEqual(batch);
    const bad = { ...batch, rssiDbm: Float32Array.of(-50, NaN, -70) };
    writeObservations(path, bad, site);
    expect(() => readObservationsArrow(path, site)).toThrow(/obs\.arrow: row 1: rssiDbm 'NaN' is not a number/);
  });

  it('names a text cell of a numeric Arrow column as written, not as the NaN it converts to', () => {
    const text = (values: string[]) => vectorFromArray(values, new Utf8());
    const table = (tMs: string[], rssi: string[]) => new Table({ tMs: text(tMs), deviceId: text(['d', 'd']), tech: text(['wifi', 'wifi']), apId: text([AP0, AP0]), rssiDbm: text(rssi) });
    const path = join(dir, 'text.arrow');
    writeFileSync(path, tableToIPC(table(['0', '5'], ['-50', '-61.5'])));
    expect(Array.from(readObservationsArrow(path, site).observations.rssiDbm)).toEqual([-50, -61.5]);
    writeFileSync(path, tableToIPC(table(['0', 'soon'], ['-50', '-60'])));
    expect(() => readObservationsArrow(path, site)).toThrow(/text\.arrow: row 1: tMs 'soon' is not a number/);
    writeFileSync(path, tableToIPC(table(['0', '5'], ['-50', 'loud'])));
    expect(() => readObservationsArrow(path, site)).toThrow(/text\.arrow: row 1: rssiDbm 'loud' is not a number/);
  });
});

describe('site reader', () => {
  it.each([
    ['no APs', { floors: [{ id: 0, widthM: 10, heightM: 10 }], walls: [], zones: [] }, /site\.json: aps must be a list/],
    ['an AP on a missing floor', { floors: [{ id: 0, widthM: 10, heightM: 10 }], aps: [{ id: 'a', floor: 3, x: 1, y: 1, radios: {} }] }, /site\.json: aps\[0\]\.floor 3 is not a floor of the site/],
    ['a wall without loss', { floors: [{ id: 0, widthM: 10, heightM: 10 }], walls: [{ floor: 0, x1: 0, y1: 0, x2: 1, y2: 1 }], aps: [] }, /site\.json: walls\[0\]\.lossDb must be a number/],
  ])('rejects %s with the field named', (_, raw, message) => {
    expect(() => parseSite(raw, 'site.json')).toThrow(message);
  });

  it('reads a file an editor saved with a byte-order mark; names a folder given as the file', () => {
    expect(readSiteFile(write('bom-site.json', `\uFEFF${JSON.stringify(site)}`)).aps).toHaveLength(site.aps.length);
    expect(() => readSiteFile(dir)).toThrow(/: cannot read \(EISDIR\)$/);
  });
});

describe('ctsim locate', () => {
  // A phone standing still at (8, 6) for a minute, noiseless RSSI every 2 s from all six APs.
  const sitePath = write('site.json', JSON.stringify(site));
  const rows = [HEADER];
  for (let t = 0; t < 60000; t += 2000) for (const ap of site.aps) rows.push(`${t},phone-1,wifi,${ap.id},${rssiAt(ap, 8, 6, 0).toFixed(2)}`);
  const obsPath = write('log.csv', rows.join('\n') + '\n');

  it('locates a user log with no simulator: fixes at the true spot', async () => {
    const out = join(dir, 'out');
    // The synthetic RSSI follows the test model (refRssi -30, n 3), the engine's wifi default.
    const r = await ctsim('locate', '--site', sitePath, '--observations', obsPath, '--out', out, '--quiet', '--workers', '0');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/180 reports from 1 devices .* 12 estimates/);
    const est = tableFromIPC(readFileSync(join(out, 'estimates.arrow')));
    expect(est.numRows).toBe(12);
    // Noiseless, but ranged with the configured 5 dB spread: WLS's centroid prior draws each fix 0.22 m towards the centroid (0 without it).
    for (let i = 0; i < est.numRows; i++) {
      expect(Math.hypot(est.getChild('x')!.get(i) - 8, est.getChild('y')!.get(i) - 6)).toBeLessThan(0.3);
    }
    expect(JSON.parse(readFileSync(join(out, 'calibration.json'), 'utf8')).fits).toEqual({});
    expect(tableFromIPC(readFileSync(join(out, 'journeys.arrow'))).schema.fields.map((f) => f.name)).toContain('zone');
  });

  it('a malformed row: one error line with file and line, non-zero exit, nothing written', async () => {
    const bad = write('bad-log.csv', [HEADER, `0,phone-1,wifi,${AP0},-50`, `2000,phone-1,wifi,${AP0},-5O`].join('\n'));
    const out = join(dir, 'out-bad');
    const r = await ctsim('locate', '--site', sitePath, '--observations', bad, '--out', out, '--quiet');
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad-log\.csv:3: rssiDbm '-5O' is not a number/);
    expect(() => readFileSync(join(out, 'estimates.arrow'))).toThrow();
  });

  it('scores every fix against known positions: error, radius and floor per technology, in score.json', async () => {
    // A row every 10 s (rows further apart than --max-gap-s, 30 s, would be a gap in tracking).
    const positions = (x: number, y: number, lastMs = 60000) => {
      const rows = ['tMs,deviceId,floor,x,y'];
      for (let t = 0; t <= lastMs; t += 10000) rows.push(`${t},phone-1,0,${x},${y}`);
      return write(`pos-${x}-${y}-${lastMs}.csv`, rows.join('\n') + '\n');
    };
    const score = async (path: string) => {
      const out = join(dir, 'out-score');
      const r = await ctsim('locate', '--site', sitePath, '--observations', obsPath, '--positions', path, '--out', out, '--quiet', '--workers', '0');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return { stdout: r.stdout, json: JSON.parse(readFileSync(join(out, 'score.json'), 'utf8')) };
    };
    const right = await score(positions(8, 6));
    expect(right.json.perTech.wifi.fixes).toBe(12);
    expect(right.json.perTech.wifi.medianM).toBeLessThan(0.3);
    expect(right.json.perTech.wifi.coverage).toBe(1);
    expect(right.json.perTech.wifi.floorRight).toBe(1);
    expect(right.stdout).toMatch(/Against .*pos-8-6-60000\.csv: 12 fixes at a known position\n/);
    expect(right.stdout).toMatch(/^wifi +12 +0\.\d\d /m);
    // Truth said to be 5 m off (3, 4): the fixes are scored against it, not against where they are.
    const off = await score(positions(11, 10));
    expect(Math.abs(off.json.perTech.wifi.medianM - 5)).toBeLessThan(0.3);
    expect(off.json.perTech.wifi.coverage).toBe(0);
    // Positions for the first 30 s: the fixes of epochs 2.5-27.5 s are scored, the other six said not to be.
    const half = await score(positions(8, 6, 30000));
    expect(half.json.all.fixes).toBe(6);
    expect(half.stdout).toMatch(/6 fixes at a known position \(6 outside the positions' span or gaps, not scored\)/);
  });

  it('positions that do not fit the log or the site: one line naming the problem, exit 2, nothing written', async () => {
    const out = join(dir, 'out-bad-positions');
    const cases: [string, RegExp][] = [
      ['tMs,deviceId,floor,x,y\n0,badge-9,0,8,6\n', /none of the 1 devices of .*log\.csv has positions \(device ids must match\)/],
      ['tMs,deviceId,floor,x,y\n900000,phone-1,0,8,6\n960000,phone-1,0,8,6\n', /no overlap in time with .*log\.csv/],
      ['tMs,deviceId,floor,x,y\n0,phone-1,0,8,6\n2000,phone-1,0,80,6\n', /bad-pos\.csv:3: position \(80, 6\) lies outside floor 0/],
    ];
    for (const [text, message] of cases) {
      const r = await ctsim('locate', '--site', sitePath, '--observations', obsPath, '--positions', write('bad-pos.csv', text), '--out', out, '--quiet');
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(() => readFileSync(join(out, 'estimates.arrow'))).toThrow();
    }
  });

  it('a log with no device reports (header only, or AP beacons only) is bad input, not an empty run', async () => {
    const out = join(dir, 'out-empty');
    const headerOnly = await ctsim('locate', '--site', sitePath, '--observations', write('header-only.csv', `${HEADER}\n`), '--out', out, '--quiet');
    expect(headerOnly.status).toBe(2);
    expect(headerOnly.stderr).toMatch(/header-only\.csv: no device reports to locate\n$/);
    const beacons = await ctsim('locate', '--site', sitePath, '--observations', write('beacons.csv', [HEADER, `1000,ap:${AP1},ble-badge,${AP0},-70`].join('\n')), '--out', out, '--quiet');
    expect(beacons.stderr).toMatch(/beacons\.csv: no device reports to locate \(only 1 AP beacon reports\)\n$/);
    expect(() => readFileSync(join(out, 'estimates.arrow'))).toThrow();
  });
});
