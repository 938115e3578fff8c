// Error lines quote what the user's files hold, so they escape terminal
// control sequences (an ESC in a CSV cell or a scenario key was echoed raw)
// and stay short (a 300 MB scenario name made a 300 MB line, after the whole
// run). Through the CLI: one short line, no control character, exit 2.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS } from '../scenarios/read.ts';
import { ctsim } from './helpers/cli.ts';
import { officeJson } from './helpers/short-office.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctsim-quoting-'));
// The ideal preset: CLI and I/O mechanics, thresholds set in the kind world (helpers/short-office.ts).
const office = officeJson();
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function writeScenario(change: (s: any) => void): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const s = structuredClone(office);
  change(s);
  const path = join(dir, 'hostile.json');
  writeFileSync(path, JSON.stringify(s));
  return path;
}

function expectOneSafeLine(r: { stderr: string; status: number | null }, message: RegExp, maxChars = 600): void {
  expect(r.stderr.trim()).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(CONTROL);
  expect(r.stderr.length).toBeLessThan(maxChars);
  expect(r.status).toBe(2);
}

describe('error lines quoting user input', () => {
  it('an escape sequence in a CSV cell is shown escaped', async () => {
    const log = join(dir, 'log.csv');
    writeFileSync(log, `tMs,deviceId,tech,apId,rssiDbm\n0,p,wifi,\u001b]0;pwned\u0007\u001b[2J,-50\n`);
    const r = await ctsim('locate', '--site', 'scenarios/office.json', '--observations', log, '--quiet');
    expectOneSafeLine(r, /log\.csv:2: apId '\\u001b]0;pwned\\u0007\\u001b\[2J' is not an AP of the site/);
  });

  it('a megabyte CSV cell is cut in the error line', async () => {
    const log = join(dir, 'big.csv');
    writeFileSync(log, `tMs,deviceId,tech,apId,rssiDbm\n0,p,${'x'.repeat(1_000_000)},ap-1,-50\n`);
    const r = await ctsim('locate', '--site', 'scenarios/office.json', '--observations', log, '--quiet');
    expectOneSafeLine(r, /big\.csv:2: tech 'x{80}…' \(1,000,000 characters\) is not one of/, 300);
  });

  it('an escape sequence in a scenario key is shown escaped', async () => {
    const r = await ctsim('scenarios', 'validate', writeScenario((s) => (s.radio['\u001b[31mwifi\u001b[0m'] = 1)));
    expectOneSafeLine(r, /hostile\.json: radio\.\\u001b\[31mwifi\\u001b\[0m: unknown field/);
  });

  it('a 5 MB scenario name is refused up front by validate and by run, in a short line', async () => {
    const path = writeScenario((s) => (s.name = 'n'.repeat(5_000_000)));
    const message = new RegExp(`hostile\\.json: name: must be at most ${MAX_TEXT_CHARS} characters, got 5,000,000$`);
    expectOneSafeLine(await ctsim('scenarios', 'validate', path), message);
    const run = await ctsim('run', '--scenario', path, '--out', join(dir, 'run'), '--quiet');
    expectOneSafeLine(run, message);
    expect(run.stdout).toBe('');
  });
});
