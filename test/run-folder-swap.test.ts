// A run into an existing folder is swapped in as a whole: SIGKILL the run at
// random points (mostly while it writes) and the folder is, file for file and
// byte for byte, either the run that was there or the new one; a killed run's
// staging sibling is removed by the next run into that folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ctsim } from './helpers/cli.ts';
import { officeJson } from './helpers/short-office.ts';

const BIN = fileURLToPath(new URL('../bin/ctsim.js', import.meta.url));
// The ideal preset: CLI and I/O mechanics, thresholds set in the kind world (helpers/short-office.ts).
const office = officeJson();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Every file of a folder (it holds no subfolders), by name. */
function snapshot(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f))]));
}

/** Same files, same bytes; metrics.json apart from its wall-clock `throughput` timings when `timings` is false. */
function sameRun(now: Map<string, Buffer>, ref: Map<string, Buffer>, timings: boolean): boolean {
  if ([...now.keys()].join() !== [...ref.keys()].join()) return false;
  for (const [f, bytes] of ref) {
    if (f === 'metrics.json' && !timings) {
      const strip = (b: Buffer): string => JSON.stringify({ ...JSON.parse(b.toString()), throughput: undefined });
      if (strip(now.get(f)!) !== strip(bytes)) return false;
    } else if (!now.get(f)!.equals(bytes)) return false;
  }
  return true;
}

/** Names, sizes and times of the parent's entries and the folder's files: changes as soon as a run starts writing. */
function signature(parent: string, folder: string): string {
  const list = (d: string): string[] => readdirSync(d).map((e) => {
    const s = statSync(join(d, e), { throwIfNoEntry: false });
    return `${e}:${s?.size}:${s?.mtimeMs}`;
  });
  try {
    return [...list(parent), '|', ...list(folder)].join();
  } catch {
    return 'gone';
  }
}

/** A fixed-seed generator (mulberry32), so the kill delays are the same every time. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe('a run into an existing folder replaces it as a whole', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-swap-'));
  const scenario = join(dir, 'office-15m.json');
  // Short, with a coarse survey: a few seconds, of which a few hundred ms write a few MB.
  writeFileSync(scenario, JSON.stringify({ ...office, durationS: 900, survey: { ...office.survey, spacingM: 3 } }));
  const parent = join(dir, 'runs');
  const folder = join(parent, 'office');
  const args = (seed: number): string[] => ['run', '--scenario', scenario, '--seed', String(seed), '--out', folder, '--quiet', '--workers', '0'];

  it('SIGKILL while re-running leaves the old run or the new one, byte for byte; the next run removes what the killed one left', async () => {
    expect((await ctsim(...args(1))).status).toBe(0);
    const refs = new Map([[1, snapshot(folder)]]);
    expect((await ctsim(...args(2))).status).toBe(0);
    refs.set(2, snapshot(folder));
    expect(readdirSync(parent)).toEqual(['office']);

    const rand = random(19);
    let seed = 2; // the run the folder holds
    let interrupted = 0;
    // Delays after the first sign of writing, within its write phase (a few hundred ms).
    for (const delayMs of [rand() * 40, rand() * 150, rand() * 300]) {
      const old = snapshot(folder);
      const next = 3 - seed;
      const before = signature(parent, folder);
      const child = spawn(process.execPath, [BIN, ...args(next)], { stdio: 'ignore', env: { ...process.env, CI: '1' } });
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      let done = false;
      void exited.then(() => (done = true));
      while (!done && signature(parent, folder) === before) await sleep(1);
      await sleep(delayMs);
      child.kill('SIGKILL');
      const code = await exited;

      const now = snapshot(folder);
      const isOld = sameRun(now, old, true);
      const isNew = sameRun(now, refs.get(next)!, false);
      expect(isOld || isNew, `kill ${delayMs.toFixed(0)} ms into writing: folder is neither the old run nor the new one (${[...now.keys()].join(', ')})`).toBe(true);
      if (isNew) seed = next;
      // Nothing temporary inside; beside it at most the killed run's staging folder.
      const left = readdirSync(parent).filter((e) => e !== 'office');
      expect(left.every((e) => e === `.office.new-${child.pid}` || e === `.office.old-${child.pid}`), left.join(', ')).toBe(true);
      if (code === null && left.length > 0) interrupted++;
    }
    expect(interrupted, 'kills that landed while the run was writing').toBeGreaterThan(0);

    // A run to the end removes what the killed ones left.
    const last = await ctsim(...args(3 - seed));
    expect(last.status).toBe(0);
    expect(sameRun(snapshot(folder), refs.get(3 - seed)!, false)).toBe(true);
    expect(readdirSync(parent)).toEqual(['office']);
  }, 300_000);
});
