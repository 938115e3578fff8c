// CSV as spreadsheets and scripts write it: a UTF-8 byte-order mark before
// the header is read (it failed with "missing column(s) tMs"), and numbers
// must be decimals (`rssiDbm 0x10` was read as +16 dBm): one line naming the
// line and column, exit 2, through `ctsim locate`.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ctsim } from './helpers/cli.ts';
import { epochLogCsv } from '../bench/perf/epoch-log.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctsim-csv-input-'));
const lines = epochLogCsv(0).trimEnd().split('\n').slice(0, 241); // header + 10 epochs of 3 phones × 8 APs

async function locate(name: string, text: string, ...extra: string[]) {
  const path = join(dir, `${name}.csv`);
  writeFileSync(path, text);
  const out = join(dir, name);
  return { ...(await ctsim('locate', '--site', 'scenarios/office.json', '--observations', path, '--out', out, '--quiet', '--workers', '0', ...extra)), out };
}

describe('CSV logs', () => {
  it('a byte-order mark before the header is read like the file without it', async () => {
    const plain = await locate('plain', lines.join('\n') + '\n');
    const bom = await locate('bom', '\uFEFF' + lines.join('\n') + '\n');
    expect(bom.stderr).toBe('');
    expect(bom.status).toBe(0);
    expect(bom.stdout).toMatch(/^240 reports from 3 devices/);
    expect(readFileSync(join(bom.out, 'estimates.arrow'))).toEqual(readFileSync(join(plain.out, 'estimates.arrow')));
  });

  it.each([
    ['a hex RSSI', 4, 'rssiDbm', '0x10', /hex\.csv:5: rssiDbm '0x10' is not a number/],
    ['a binary time', 3, 'tMs', '0b101', /hex\.csv:4: tMs '0b101' is not a number/],
    ['Infinity as a time', 7, 'tMs', 'Infinity', /hex\.csv:8: tMs 'Infinity' is not a number/],
  ])('%s: one line naming line and column, exit 2', async (_, row, column, value, message) => {
    const bad = [...lines];
    const cells = bad[row].split(',');
    cells[column === 'tMs' ? 0 : 4] = value;
    bad[row] = cells.join(',');
    const r = await locate('hex', bad.join('\n') + '\n');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.status).toBe(2);
  });

  it('a survey CSV with a hex coordinate: one line naming line and column, exit 2', async () => {
    const survey = join(dir, 'survey.csv');
    writeFileSync(survey, '\uFEFFfloor,x,y,apId,band,rssiDbm\n0,5,5,ap-1,ble,-50\n0,0x5,5,ap-1,ble,-50\n');
    const r = await locate('plain', lines.join('\n') + '\n', '--survey', survey);
    expect(r.stderr).toMatch(/survey\.csv:3: x '0x5' is not a number/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.status).toBe(2);
  });
});
