// A log's time origin is its own business: `ctsim locate` on the same log
// from 0, from a Unix-epoch time and from before 0 gives the same outputs
// shifted by the offset (before, hot-zone occupancy was sized from t = 0:
// 2.2 GB for a Unix-epoch log, a crash for a negative one). Times beyond the
// documented range are one error line naming the row, exit 2.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_ABS_T_MS, MAX_SPAN_MS } from '../engine/contract/time-range.ts';
import { ctsim } from './helpers/cli.ts';
import { EPOCH_LOG_ROWS, UNIX_ORIGIN_MS, epochLogCsv } from '../bench/perf/epoch-log.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctsim-origin-'));
const OUTPUTS = ['estimates', 'journeys', 'contacts'] as const;

async function locate(name: string, csv: string): Promise<{ status: number | null; stderr: string; out: string }> {
  const log = join(dir, `${name}.csv`);
  writeFileSync(log, csv);
  const out = join(dir, name);
  // A contact needs 5 min together here (the log lasts 10 min).
  const r = await ctsim('locate', '--site', 'scenarios/office.json', '--observations', log, '--out', out, '--quiet', '--workers', '1', '--set', 'contacts.minExposureS=300');
  return { status: r.status, stderr: r.stderr, out };
}

/** Every row of every column, times (columns ending in TMs / tMs) moved back by offsetMs. */
function rowsOf(table: Table, offsetMs: number): unknown[][] {
  const cols = table.schema.fields.map((f) => [/tMs$/i.test(f.name), table.getChild(f.name)!] as const);
  return Array.from({ length: table.numRows }, (_, i) => cols.map(([time, col]) => (time ? col.get(i) - offsetMs : col.get(i))));
}

describe('time origin', () => {
  let base: Awaited<ReturnType<typeof locate>>;
  beforeAll(async () => {
    base = await locate('zero', epochLogCsv(0));
  });

  it.each([
    ['Unix-epoch milliseconds', UNIX_ORIGIN_MS],
    ['all-negative times', -UNIX_ORIGIN_MS],
  ])('%s: the outputs of the log from 0, shifted', async (_, offsetMs) => {
    expect(base.stderr).toBe('');
    const shifted = await locate(`shift${offsetMs}`, epochLogCsv(offsetMs));
    expect(shifted.stderr).toBe('');
    expect(shifted.status).toBe(0);
    for (const table of OUTPUTS) {
      const want = tableFromIPC(readFileSync(join(base.out, `${table}.arrow`)));
      const got = tableFromIPC(readFileSync(join(shifted.out, `${table}.arrow`)));
      expect(rowsOf(got, offsetMs)).toEqual(rowsOf(want, 0));
    }
    const est = tableFromIPC(readFileSync(join(shifted.out, 'estimates.arrow')));
    expect(est.numRows).toBe(3 * 125); // 3 devices × 125 epochs of 5 s
    expect(tableFromIPC(readFileSync(join(shifted.out, 'contacts.arrow'))).numRows).toBe(1); // phone-a with phone-b
  });

  const lines = epochLogCsv(UNIX_ORIGIN_MS).trimEnd().split('\n');
  it.each([
    ['a time beyond ±1e15 ms', 1e15 + 1, /outlier\.csv:1502: tMs 1000000000000001 is beyond ±1000000000000000 ms/],
    ['a time of 1e20', 1e20, /outlier\.csv:1502: tMs 100000000000000000000 is beyond ±1000000000000000 ms/],
    ['a row at 0 in a Unix-epoch log', 0, /outlier\.csv:1502: tMs 0 makes the log span 20,416.7 days, more than 31/],
    ['a row 32 days later', UNIX_ORIGIN_MS + 32 * 86_400_000, /outlier\.csv:1502: tMs 1766764800000 makes the log span 32 days, more than 31/],
  ])('%s: one line naming the line, exit 2', async (_, tMs, message) => {
    expect(lines).toHaveLength(EPOCH_LOG_ROWS + 1);
    const bad = [...lines];
    bad[1501] = bad[1501].replace(/^[^,]+/, String(tMs));
    const r = await locate('outlier', bad.join('\n') + '\n');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.status).toBe(2);
  });

  it('documents the range it enforces', async () => {
    expect(MAX_ABS_T_MS).toBe(1e15);
    expect(MAX_SPAN_MS).toBe(31 * 86_400_000);
    expect(readFileSync('README.md', 'utf8')).toMatch(/\\\|tMs\\\| ≤ 1e15.*31 days/);
  });
});
