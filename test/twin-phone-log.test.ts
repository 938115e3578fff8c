// ctsim twin --phone-log: the twin of a phone-to-phone log through the CLI,
// and its bad inputs as one line with exit code 2.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../bench/twin/fidelity.ts';
import { ctsim } from './helpers/cli.ts';
import { madeUpPhoneLog, phoneLogCsv } from './helpers/phone-log.ts';

let dir: string;
let logPath: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctsim-phone-twin-'));
  logPath = join(dir, 'pairs.csv');
  writeFileSync(logPath, phoneLogCsv(madeUpPhoneLog([1, 5])));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ctsim twin --phone-log', () => {
  it('calibrates the phone link on each stream\'s first half and compares the second: rows with verdicts, fidelity.json', async () => {
    const out = join(dir, 'twin');
    const r = await ctsim('twin', '--phone-log', logPath, '--carry', 'a=hand', '--carry', 'b=hand', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Calibrated the phone link on 2,400 readings/);
    const report = JSON.parse(readFileSync(join(out, 'fidelity.json'), 'utf8')) as { rows: Row[]; reports: { realTest: number } };
    expect(report.reports.realTest).toBe(2400);
    expect(report.rows.map((x) => `${x.metric} | ${x.of}`)).toEqual([
      'RSSI mean dBm | 0-2 m', 'RSSI spread dB | 0-2 m', 'RSSI mean dBm | 4-8 m', 'RSSI spread dB | 4-8 m', 'autocorrelation | 1 s', 'autocorrelation | 10 s', 'balanced accuracy | 2 m',
    ]);
    // Independent noise around a log-distance line is what the simulator's phone link is: every row agrees.
    expect(report.rows.filter((x) => !x.pass)).toEqual([]);
  }, 60_000);

  const expectInputError = (r: { status: number | null; stderr: string }, pattern: RegExp): void => {
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  };

  it('bad input: an unknown carry position, a log without distances, no log at all', async () => {
    expectInputError(await ctsim('twin', '--phone-log', logPath, '--carry', 'a=backpack', '--out', join(dir, 'bad')), /--carry: give ID=hand\|pocket\|lanyard, got 'a=backpack'/);
    const noDistance = join(dir, 'no-distance.csv');
    writeFileSync(noDistance, 'tS,scanner,advertiser,rssiDbm\n0,a,b,-60\n1,a,b,-61\n');
    expectInputError(await ctsim('twin', '--phone-log', noDistance, '--out', join(dir, 'bad')), /no readings with a known distance/);
    expectInputError(await ctsim('twin', '--out', join(dir, 'bad')), /give --site, --observations, --positions, --split \(or --phone-log/);
  });

  it('bad input: a --carry for a phone the log lacks, flags a phone log does not take, too few readings to compare', async () => {
    expectInputError(await ctsim('twin', '--phone-log', logPath, '--carry', 'ghost=pocket', '--out', join(dir, 'bad')), /--carry ghost: no phone of that id in .* \(it has a, b\)/);
    expectInputError(await ctsim('twin', '--phone-log', logPath, '--split', 'time:0.5', '--survey', 'x.csv', '--out', join(dir, 'bad')), /twin --phone-log takes no --split, --survey/);
    const short = join(dir, 'short.csv');
    writeFileSync(short, 'tS,scanner,advertiser,rssiDbm,distanceM\n0,a,b,-60,1\n1,a,b,-62,1\n2,b,a,-65,1\n3,b,a,-66,1\n');
    expectInputError(await ctsim('twin', '--phone-log', short, '--out', join(dir, 'bad')), /no stream of the phone log holds 20 readings in each half.*nothing to compare/);
  });
});
