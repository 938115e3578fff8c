// ctsim merge copies only a shard folder's own files: a symbolic link (its
// target is no part of the shard) or a temporary file an interrupted write
// left, a unit cut short or missing, a malformed manifest is refused with one
// line naming it, exit 2, and nothing is written.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ctsim } from './helpers/cli.ts';

/** Shard i of 2 of a two-seed run job, by hand: a manifest, its unit folder, its rows. */
function shard(root: string, i: number): string {
  const dir = join(root, `shard-${i}`);
  const unit = `seed-${i}`;
  mkdirSync(join(dir, unit), { recursive: true });
  writeFileSync(join(dir, 'shard.json'), JSON.stringify({ command: 'run', shard: { index: i, count: 2 }, units: ['seed-1', 'seed-2'], ran: [unit] }));
  writeFileSync(join(dir, 'runs.json'), JSON.stringify([{ unit, seed: i }]));
  writeFileSync(join(dir, unit, 'metrics.json'), JSON.stringify({ seed: i }));
  return dir;
}

describe('ctsim merge refuses what is not a shard\'s own file', () => {
  const root = mkdtempSync(join(tmpdir(), 'ctsim-merge-'));
  const secret = join(root, 'secret.txt');
  writeFileSync(secret, 'not part of any shard');

  it('merges plain shard folders (control)', async () => {
    const dir = join(root, 'plain');
    const r = await ctsim('merge', shard(dir, 1), shard(dir, 2), '--out', join(dir, 'out'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['runs.json', 'seed-1', 'seed-2', 'shard.json']);
    expect(readFileSync(join(dir, 'out', 'seed-2', 'metrics.json'), 'utf8')).toBe(JSON.stringify({ seed: 2 }));
  });

  it.each([
    ['a symlinked file in a unit folder', (s: string) => symlinkSync(secret, join(s, 'seed-2', 'estimates.arrow')), /seed-2\/estimates\.arrow: is a symbolic link/],
    ['a symlinked unit folder', (s: string) => symlinkSync(join(s, 'seed-2'), join(s, 'seed-2b')), /shard-2\/seed-2b: is a symbolic link/],
    ['a temporary file in a unit folder', (s: string) => writeFileSync(join(s, 'seed-2', 'metrics.json.4242.tmp'), '{'), /seed-2\/metrics\.json\.4242\.tmp: temporary file/],
    ['a temporary file at the root', (s: string) => writeFileSync(join(s, 'runs.json.4242.tmp'), '['), /shard-2\/runs\.json\.4242\.tmp: temporary file/],
    // A shard cut short: the unit its manifest says it ran is missing, or holds less than the others.
    ['a unit folder missing', (s: string) => rmSync(join(s, 'seed-2'), { recursive: true }), /shard-2\/seed-2: missing, though .*shard-2\/shard\.json says the shard ran it/],
    ['a unit folder without its metrics.json', (s: string) => renameSync(join(s, 'seed-2', 'metrics.json'), join(s, 'seed-2', 'estimates.arrow')), /shard-2\/seed-2: holds \[estimates\.arrow\], but .*shard-1\/seed-1 holds \[metrics\.json\]/],
    ['a manifest with a count that is no whole number', (s: string) => writeFileSync(join(s, 'shard.json'), JSON.stringify({ command: 'run', shard: { index: 2, count: '2' }, units: ['seed-1', 'seed-2'], ran: ['seed-2'] })), /shard-2\/shard\.json: manifest needs command/],
  ])('%s', async (name, plant, pattern) => {
    const dir = join(root, name.replace(/\W/g, '-'));
    const second = shard(dir, 2);
    plant(second);
    const r = await ctsim('merge', shard(dir, 1), second, '--out', join(dir, 'out'));
    expect(r.status).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['shard-1', 'shard-2']);
  });

  it('a shard missing from the job, or given twice, is bad input (exit 2), not a runtime failure', async () => {
    const dir = join(root, 'incomplete');
    const first = shard(dir, 1);
    for (const [args, pattern] of [[[first], /^ctsim: missing shard 2\/2$/], [[first, first], /shard 1\/2 given twice/]] as const) {
      const r = await ctsim('merge', ...args, '--out', join(dir, 'out'));
      expect([r.status, r.stderr.trimEnd().split('\n').length]).toEqual([2, 1]);
      expect(r.stderr.trimEnd()).toMatch(pattern);
    }
  });
});
