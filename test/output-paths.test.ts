// Where commands write: a folder name made from a scenario's name stays one
// folder under runs/, an empty --out, the filesystem root or a path under a file is refused, and a
// folder that is not an earlier output of the command is never replaced;
// each refusal is one line and exit 2, before any work, with nothing written.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ctsim } from './helpers/cli.ts';
import { officeJson } from './helpers/short-office.ts';

const BIN = fileURLToPath(new URL('../bin/ctsim.js', import.meta.url));
// The ideal preset: CLI and I/O mechanics, thresholds set in the kind world (helpers/short-office.ts).
const office = officeJson();

/** In a child process: a run without --out writes under runs/ of its working directory. */
function ctsimIn(cwd: string, ...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return { status: r.status, stderr: r.stderr };
}

function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
}

describe('output paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-out-'));
  const cwd = join(dir, 'work');
  mkdirSync(cwd);
  // A short scenario, so a run that is wrongly not refused ends soon.
  const scenario = (name: string): string => {
    const path = join(dir, `${name.replace(/\W/g, '_')}.json`);
    writeFileSync(path, JSON.stringify({ ...office, name, durationS: 300, survey: undefined }));
    return path;
  };

  it.each([
    ['../../x', /scenario name .* cannot name a folder under runs\/.*give --out/],
    ['/tmp/abs', /scenario name .* cannot name a folder under runs\/.*give --out/],
    ['.hidden', /scenario name .* cannot name a folder under runs\/.*give --out/],
    // Refused by the scenario validator itself: no name printed anywhere may hold a control character.
    ['a\u001b[31mb', /name: must not hold control characters/],
  ])('a scenario named %j without --out is refused, nothing written', (name, message) => {
    const r = ctsimIn(cwd, 'run', '--scenario', scenario(name), '--quiet', '--workers', '0');
    expect(r.status).toBe(2);
    expect(oneLine(r.stderr)).toMatch(message);
    expect(r.stderr).not.toContain('\u001b');
    expect(readdirSync(cwd)).toEqual([]);
    expect(readdirSync(dir).filter((e) => !e.endsWith('.json'))).toEqual(['work']);
  });

  it.each([
    ['run', ['run', '--out', '', '--quiet'], /--out must name a folder, got an empty string/],
    ['run', ['run', '--out', '/', '--quiet'], /filesystem root/],
    ['run', ['run', '--seeds', '1-2', '--out', '/', '--quiet'], /filesystem root/],
    ['merge', ['merge', 'a', 'b', '--out', ''], /--out must name a folder/],
    ['report', ['report', '--run', 'a', '--out', '/'], /filesystem root/],
    ['run', ['run', '--out', `${BIN}/sub`, '--quiet'], /--out .*bin\/ctsim\.js\/sub: .*bin\/ctsim\.js is a file, not a folder/],
  ])('%s %j is refused', async (_cmd, args, pattern) => {
    const r = await ctsim(...(args as string[]));
    expect(r.status).toBe(2);
    expect(oneLine(r.stderr)).toMatch(pattern as RegExp);
  });

  it('a folder that is not an earlier run is not replaced', async () => {
    const mine = join(dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'keep me');
    const r = await ctsim('run', '--scenario', scenario('office'), '--out', mine, '--quiet', '--workers', '0');
    expect(r.status).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/mine: exists and holds no metrics\.json.*not replacing it/);
    expect(readdirSync(mine)).toEqual(['notes.txt']);
    expect(readdirSync(dir).filter((e) => e.startsWith('.'))).toEqual([]);
  });
});
