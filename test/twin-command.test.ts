// ctsim twin end to end on a small simulated log (test/helpers/twin-log.ts),
// the verdict rule against the tolerances, and each bad input to
// calibrate and twin as one line with exit code 2.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineRows, radioRows, TOLERANCES, type RadioStats, type Row } from '../bench/twin/fidelity.ts';
import { ctsim } from './helpers/cli.ts';
import { writeTwinLog } from './helpers/twin-log.ts';

let dir: string;
let paths: ReturnType<typeof writeTwinLog>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctsim-twin-'));
  paths = writeTwinLog(dir, 6, 3);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ctsim twin on a simulated log', () => {
  it('calibrates on the first half, compares the second: radio and engine rows, verdicts as the tolerances say, fidelity.json', async () => {
    const out = join(dir, 'twin');
    const r = await ctsim('twin', '--site', paths.site, '--observations', paths.observations, '--positions', paths.positions, '--split', 'time:0.5', '--bootstrap', '3', '--workers', '0', '--quiet', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'fidelity.json'), 'utf8')) as { rows: Row[]; reports: { realTest: number; simTest: number } };
    // The twin of a simulated log: the same cadence and tracks give about as many reports.
    expect(report.reports.simTest / report.reports.realTest).toBeGreaterThan(0.9);
    expect(report.reports.simTest / report.reports.realTest).toBeLessThan(1.1);
    const metrics = new Set(report.rows.map((x) => x.metric));
    for (const m of ['RSSI mean dBm', 'RSSI spread dB', 'hearing rate', 'autocorrelation', 'median error m', 'p90 error m', '68% coverage']) expect(metrics).toContain(m);
    // Every localizer the engine ships has its rows.
    for (const loc of ['wls', 'centroid', 'knn', 'map']) expect(report.rows.some((x) => x.of === `${loc}, no survey`)).toBe(true);
    for (const row of report.rows) {
      const d = Math.abs(row.sim - row.real);
      const within = {
        'RSSI mean dBm': d <= TOLERANCES.rssiMeanDb, 'RSSI spread dB': d <= TOLERANCES.rssiSpreadRel * row.real, 'hearing rate': d <= TOLERANCES.hearingRate,
        autocorrelation: d <= TOLERANCES.autocorrelation, 'median error m': d <= TOLERANCES.errorRel * row.real, 'p90 error m': d <= TOLERANCES.errorRel * row.real, '68% coverage': d <= TOLERANCES.coverage,
      }[row.metric];
      expect(row.pass, `${row.metric} ${row.of}`).toBe(within);
    }
    // A simulated log's twin is the same world: its radio rows agree (all but at most one), where they stand on
    // 100 readings or more (the 0-2 m band holds some 20, from one stop: one draw of the field, not a statistic).
    const radio = report.rows.filter((x) => (x.metric.startsWith('RSSI') || x.metric === 'hearing rate' || x.metric === 'autocorrelation') && x.n >= 100);
    expect(radio.length).toBeGreaterThanOrEqual(10);
    expect(radio.filter((x) => !x.pass).length).toBeLessThanOrEqual(1);
    expect(r.stdout).toMatch(/of \d+ rows within tolerance/);
  }, 180_000);
});

describe('verdicts', () => {
  it('engine rows: median and p90 within 20 %, coverage within 0.10', () => {
    const rows = engineRows('wls', { fixes: 10, medianM: 2, p90M: 5, coverage: 0.7 }, { fixes: 10, medianM: 2.39, p90M: 6.1, coverage: 0.59 });
    expect(rows.map((r) => r.pass)).toEqual([true, false, false]);
  });

  it('radio rows: mean within 2 dB, spread within 20 %, autocorrelation within 0.15', () => {
    const group = (mean: number, sd: number, n = 100) => ({ n, sum: mean * n, sum2: n * (sd * sd + mean * mean) });
    const stats = (mean: number, sd: number, r1: number): RadioStats => ({
      groups: new Map([['0|1', group(mean, sd)]]), heard: [0, 50, 0, 0, 0], links: [0, 100, 0, 0, 0],
      autocorrelation: [{ r: r1, pairs: 100 }, { r: 0.2, pairs: 100 }],
    });
    const { rows } = radioRows(stats(-70, 5, 0.8), stats(-72.5, 5.9, 0.7));
    const verdict = (metric: string) => rows.find((r) => r.metric === metric && (metric !== 'autocorrelation' || r.of === '1 s'))!.pass;
    expect(verdict('RSSI mean dBm')).toBe(false);
    expect(verdict('RSSI spread dB')).toBe(true);
    expect(verdict('autocorrelation')).toBe(true);
    expect(verdict('hearing rate')).toBe(true);
  });
});

describe('bad input to calibrate and twin: one line, exit 2', () => {
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const expectInputError = (r: { status: number | null; stderr: string; stdout: string }, pattern: RegExp): void => {
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  };
  const calibrate = (positions: string) => ctsim('calibrate', '--site', paths.site, '--observations', paths.observations, '--positions', positions, '--bootstrap', '0', '--out', join(dir, 'bad-cal'));
  const twin = (positions: string, split: string) => ctsim('twin', '--site', paths.site, '--observations', paths.observations, '--positions', positions, '--split', split, '--bootstrap', '0', '--workers', '0', '--quiet', '--out', join(dir, 'bad-twin'));

  it('a positions file missing a column', async () => {
    const p = write('no-floor.csv', 'tMs,deviceId,x,y\n0,badge-0,3,3\n');
    expectInputError(await calibrate(p), /no-floor\.csv:1: missing column\(s\) floor/);
    expectInputError(await twin(p, 'time:0.5'), /missing column\(s\) floor/);
  });

  it('a position outside the site', async () => {
    const p = write('outside.csv', 'tMs,deviceId,floor,x,y\n0,badge-0,0,3,3\n1000,badge-0,0,45,3\n');
    expectInputError(await calibrate(p), /outside\.csv:3: position \(45, 3\) lies outside floor 0/);
    expectInputError(await twin(p, 'time:0.5'), /lies outside floor 0/);
  });

  it('says which row families a thin log leaves out: one AP heard places no fix (localize.minAps 3)', async () => {
    const [header, ...rows] = readFileSync(paths.observations, 'utf8').trim().split('\n');
    const oneAp = write('one-ap.csv', [header, ...rows.filter((r) => r.split(',')[3] === 'b0')].join('\n') + '\n');
    const r = await ctsim('twin', '--site', paths.site, '--observations', oneAp, '--positions', paths.positions, '--split', 'time:0.5', '--bootstrap', '0', '--workers', '0', '--quiet', '--out', join(dir, 'one-ap-twin'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No engine rows: the engine placed no test fix on one side or both (an epoch needs localize.minAps = 3 APs).');
    expect(r.stdout).not.toContain('No RSSI rows');
  });

  it('takes positions in any order as in time order: a reversed file calibrates exactly as the sorted one', async () => {
    const [header, ...rows] = readFileSync(paths.positions, 'utf8').trim().split('\n');
    const reversed = write('reversed.csv', [header, ...rows.reverse()].join('\n') + '\n');
    const fit = async (positions: string, out: string) => {
      const r = await ctsim('calibrate', '--site', paths.site, '--observations', paths.observations, '--positions', positions, '--bootstrap', '0', '--out', join(dir, out));
      expect(r.status).toBe(0);
      return readFileSync(join(dir, out, 'radio.json'), 'utf8');
    };
    expect(await fit(reversed, 'cal-reversed')).toBe(await fit(paths.positions, 'cal-sorted'));
  });

  it('a device at two places at one time (rows in any other order are put in time order, a repeated row is one)', async () => {
    const p = write('two-places.csv', 'tMs,deviceId,floor,x,y\n1000,badge-0,0,4,3\n0,badge-0,0,3,3\n0,badge-0,0,3,3\n1000,badge-0,0,5,3\n');
    expectInputError(await calibrate(p), /two-places\.csv:5: device 'badge-0' is at two places at 1000 ms \(also .*two-places\.csv:2\)/);
  });

  it('positions that never overlap the reports in time', async () => {
    const p = write('later.csv', 'tMs,deviceId,floor,x,y\n90000000,badge-0,0,3,3\n90001000,badge-0,0,4,3\n');
    expectInputError(await calibrate(p), /no overlap in time/);
    expectInputError(await twin(p, 'time:0.5'), /no overlap in time/);
  });

  it('positions that overlap the reports only with gaps longer than --max-gap-s: the gaps are named, not an overlap', async () => {
    const r = await ctsim('calibrate', '--site', paths.site, '--observations', paths.observations, '--positions', paths.positions, '--max-gap-s', '0.001', '--bootstrap', '0', '--out', join(dir, 'bad-cal'));
    expectInputError(r, /no report of .* has a position at its time: each falls outside its device's positions or in a gap between them longer than --max-gap-s 0\.001 s/);
  });

  it('an empty split part, and a split that is not one of the forms', async () => {
    expectInputError(await twin(paths.positions, 'device:badge-0,badge-1,badge-2'), /--split device:badge-0,badge-1,badge-2: the calibration part holds no reports/);
    expectInputError(await twin(paths.positions, 'time:1.5'), /--split: time:FRACTION needs a fraction strictly between 0 and 1/);
    expectInputError(await twin(paths.positions, 'rooms:a'), /--split: unknown split 'rooms:a'/);
  });

  it('calibrate with both a log and a survey, or with an empty survey', async () => {
    const r = await ctsim('calibrate', '--site', paths.site, '--observations', paths.observations, '--positions', paths.positions, '--survey', paths.observations, '--out', join(dir, 'bad-cal'));
    expectInputError(r, /give --observations with --positions, or --survey \(one of them/);
    const empty = write('empty-survey.csv', 'floor,x,y,apId,band,rssiDbm\n');
    expectInputError(await ctsim('calibrate', '--site', paths.site, '--survey', empty, '--out', join(dir, 'bad-cal')), /empty-survey\.csv: holds no survey readings/);
  });

  it('a log whose readings never vary: nothing to fit', async () => {
    const [header, ...rows] = readFileSync(paths.observations, 'utf8').trim().split('\n');
    const flat = write('flat.csv', [header, ...rows.map((r) => r.replace(/,[^,]*$/, ',-70'))].join('\n'));
    const r = await ctsim('calibrate', '--site', paths.site, '--observations', flat, '--positions', paths.positions, '--bootstrap', '0', '--out', join(dir, 'bad-cal'));
    expectInputError(r, /every ble report with a known position reads -70 dBm: nothing to fit a radio model on/);
  });

  it('a calibration part too small to fit (a split that leaves it a handful of reports)', async () => {
    expectInputError(await twin(paths.positions, 'time:0.0001'), /the calibration part: too few reports with known positions to fit \(need 20 on a band, have \d\)/);
  });

  it('an --ap-positions that is neither given nor fitted', async () => {
    const r = await ctsim('twin', '--site', paths.site, '--observations', paths.observations, '--positions', paths.positions, '--split', 'time:0.5', '--ap-positions', 'guessed', '--out', join(dir, 'bad-twin'));
    expectInputError(r, /ap-positions.*guessed/);
  });
});
