// One rule for every command: input and usage errors (a malformed file, a
// bad flag value, a bad store key, an unknown device) exit 2 with one line;
// runtime failures exit 1 (test/worker-failure.test.ts). Several of these
// exited 1 before (flag checks, store keys, trace and report inputs).
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeEstimates } from '../engine/io/estimates-table.ts';
import { ctsim } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctsim-exit-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const badKey = file('bad.key', 'not-hex\n');
const store = join(dir, 'never-created.duckdb');
/** A run folder whose scenario.json is not JSON. */
function brokenScenarioFolder(): string {
  const run = runFolder('{}');
  writeFileSync(join(run, 'scenario.json'), '{"name": 1');
  return run;
}

/** A run folder whose estimates.arrow holds a NaN x in row 1 (trace reads it after the scenario). */
function estimatesFolder(): string {
  const run = runFolder('{}');
  const est = { length: 2, tMs: Float64Array.of(0, 5000), deviceIdx: Uint32Array.of(0, 0), x: Float32Array.of(1, NaN), y: Float32Array.of(1, 1), floor: Int16Array.of(0, 0), errorRadiusM: Float32Array.of(1, 1), apsUsed: Uint8Array.of(3, 3) };
  writeEstimates(join(run, 'estimates.arrow'), est, [{ id: 'd0', tech: 'wifi' }]);
  return run;
}

/** A folder with a run's three files, metrics.json as given (replay reads it before the log). */
function runFolder(metrics: string): string {
  const run = mkdtempSync(join(dir, 'run-'));
  copyFileSync('scenarios/office.json', join(run, 'scenario.json'));
  writeFileSync(join(run, 'observations.arrow'), '');
  writeFileSync(join(run, 'metrics.json'), metrics);
  return run;
}

describe('exit codes', () => {
  it.each([
    ['a malformed scenario', ['scenarios', 'validate', file('bad.json', '{"name": 1')], /^ctsim: bad\.json: not valid JSON/],
    ['a malformed site map', ['locate', '--site', file('site.json', '{"floors": [], "aps": []}'), '--observations', 'x.csv'], /^ctsim: .*site\.json: floors must list at least one floor$/],
    ['a bad store key', ['store', 'purge', '--store', store, '--role', 'admin', '--key-file', badKey], /^ctsim: key file .*bad\.key: store key must be 64 hex characters/],
    ['no store key', ['store', 'purge', '--store', store, '--role', 'admin'], /^ctsim: no credential or store key: pass --credential FILE \(or set CTSIM_STORE_CREDENTIAL\); admins may use --key-file or CTSIM_STORE_KEY$/],
    ['a bad --now', ['store', 'purge', '--store', store, '--role', 'admin', '--now', 'tomorrow'], /^ctsim: --now must be an ISO 8601 date \(2026-11-25\) or date-time with a zone/],
    ['a fractional --seed', ['run', '--seed', '1.5', '--quiet'], /^ctsim: --seed must be an integer of at most 9007199254740991 in size \(what a scenario's seed takes\), got 1\.5 \(see ctsim --help\)$/],
    // Past 2^53 a seed is silently another one (9007199254740993 ran as ...992).
    ['a --seed beyond exact integers', ['run', '--seed', '1e308', '--quiet'], /^ctsim: --seed must be an integer of at most 9007199254740991 in size .*, got 1e\+308 /],
    ['a run whose estimates.arrow holds a NaN position', ['trace', '--run', estimatesFolder(), '--device', 'd0'], /^ctsim: .*estimates\.arrow: row 1: x NaN is not a finite number$/],
    ['a flag that does not apply (silently ignored before)', ['replay', 'runs/none', '--token', 'x'], /^ctsim: --token goes with --server/],
    ['a replay slower than a timer can wait', ['replay', 'runs/none', '--speed', '1e-12'], /^ctsim: --speed must be 'max' or a number from 0\.001 to 1000000, got '1e-12'/],
    ['--shard without --seeds', ['run', '--shard', '1/2', '--quiet'], /^ctsim: --shard splits the seeds of a multi-seed run/],
    ['a bad --seeds', ['run', '--seeds', '1-x', '--quiet'], /^ctsim: --seeds must be a list of integers/],
    ['negative --workers', ['locate', '--site', 'scenarios/office.json', '--observations', 'x.csv', '--workers', '-1'], /^ctsim: --workers: run\.workers=-1: must be a whole number in \[0, 128\]/],
    ['a folder that is no run', ['trace', '--run', dir, '--device', 'x'], /^ctsim: .*: not a finished run folder \(no metrics\.json\)$/],
    // Named with its folder: several runs may be read at once.
    ['a run folder whose scenario.json is broken', ['trace', '--run', brokenScenarioFolder(), '--device', 'x'], /^ctsim: .*\/run-\w+\/scenario\.json: not valid JSON/],
    ['a yargs usage error', ['run', '--no-such-flag'], /^ctsim: Unknown arguments?: /],
    // replay read a metrics.json without its sections to a TypeError (exit 1).
    ['a run folder whose metrics.json is no run\'s', ['replay', runFolder('[]')], /^ctsim: .*metrics\.json: no perTech section \(not a ctsim run's metrics\?\)$/],
  ])('%s: one line, exit 2', async (_, args, message) => {
    const r = await ctsim(...args);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.status).toBe(2);
  });
});
