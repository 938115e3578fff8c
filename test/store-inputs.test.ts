// Store paths and dates: a store that does not exist is refused (only
// run --store creates one), a full disk is reported as itself and a failed
// compaction leaves no temporary file, and dates are strict ISO 8601 within
// documented ranges. Bad input: one line, exit 2; a failing store: exit 1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ctsim } from './helpers/cli.ts';
import { A, makeStore } from './helpers/store-fixture.ts';

const BIN = fileURLToPath(new URL('../bin/ctsim.js', import.meta.url));

/** Can this machine give a test its own small disk (a tmpfs in a private mount namespace)? */
const tinyDisks = spawnSync('unshare', ['-Urm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /tmp'], { encoding: 'utf8' }).status === 0;

describe('store paths', () => {
  it('refuses a store that does not exist, creating nothing, for every command but run --store', async () => {
    const f = await makeStore();
    const typo = join(f.dir, 'histroy.db');
    const k = ['--store', typo, '--key-file', f.keyFile];
    for (const cmd of [
      ['trace', ...k, '--device', A],
      ['store', 'export', ...k, '--device', A, '--out', join(f.dir, 'out')],
      ['store', 'erase', ...k, '--device', A],
      ['store', 'purge', ...k],
      ['store', 'audit', '--verify', ...k],
      ['store', 'hotzones', ...k],
      ['store', 'issue-credential', ...k, '--role', 'viewer', '--user', 'vic'],
    ]) {
      const r = await ctsim(...cmd);
      expect([cmd[1], r.status, r.stderr]).toEqual([cmd[1], 2, `ctsim: no store at ${typo} (only run --store or serve --store create one; check the path)\n`]);
    }
    expect(existsSync(typo)).toBe(false);
  }, 240_000);

  it.skipIf(!tinyDisks)('reports a full disk as such, not as a failed rollback, and a failed compaction leaves no temporary file', async () => {
    // 40 devices × 2,000 fixes: a 2.6 MB store, on a disk 2 MB larger: room for a checkpoint, not for a compacted copy.
    const f = await makeStore(40, 2000);
    const disk = join(f.dir, 'disk');
    mkdirSync(disk);
    const sizeKb = Math.ceil(statSync(f.db).size / 1024) + 2048;
    const db = join(disk, 'h.db');
    const cli = `"${process.execPath}" "${BIN}"`;
    const k = `--store "${db}" --key-file "${f.keyFile}"`;
    const script = [
      `mount -t tmpfs -o size=${sizeKb}k tmpfs "${disk}"`,
      `cp "${f.db}" "${db}"`,
      `dd if=/dev/zero of="${disk}/fill" bs=4k 2>/dev/null`,
      `${cli} store hotzones ${k}; echo "exit $?"`,
      `${cli} store hotzones ${k}; echo "exit $?"`,
      `rm "${disk}/fill"`,
      `${cli} store erase ${k} --device ${A}; echo "exit $?"`,
      'ls -a "$0" | tr "\\n" " "; echo',
      `${cli} store hotzones ${k}; echo "exit $?"`,
    ].join('\n');
    const r = spawnSync('unshare', ['-Urm', 'sh', '-c', script, disk], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
    const lines = `${r.stdout}`.trimEnd().split('\n');
    const errors = r.stderr.trimEnd().split('\n');
    // Both reads fail on the disk itself (their audit entry cannot be written), one line each, exit 1.
    expect(lines.slice(0, 2)).toEqual(['exit 1', 'exit 1']);
    expect(errors.slice(0, 2)).toEqual([0, 1].map(() => expect.stringMatching(new RegExp(`^ctsim: cannot write store ${db}: .*No space left on device$`))));
    expect(r.stderr).not.toMatch(/rollback/i);
    // The erase is committed, its compaction is not: one line, exit 1, and no temporary file left.
    expect(errors[2]).toMatch(new RegExp(`^ctsim: cannot compact store ${db}: .*No space left on device$`));
    expect(lines[2]).toBe('exit 1');
    expect(lines[3].trim().split(/\s+/).sort()).toEqual(['.', '..', 'h.db']);
    // The store is whole: the next command works.
    expect(lines.at(-1)).toBe('exit 0');
    expect(errors).toHaveLength(3);
  }, 240_000);
});

describe('store dates', () => {
  it('takes strict ISO 8601 dates and date-times with a zone, years 1970 to 9999, and a retention of at most 36,500 days', async () => {
    const f = await makeStore();
    const bad = (flag: string, value: string, why: string): string =>
      `ctsim: ${flag} must be an ISO 8601 date (2026-11-25) or date-time with a zone (2026-11-25T08:00:00Z), years 1970 to 9999; got '${value}'${why}\n`;
    const cases: [string[], string][] = [
      [['store', 'purge', ...f.admin, '--now', '2026-02-30'], bad('--now', '2026-02-30', ' (2026-02 has 28 days)')],
      [['trace', ...f.admin, '--device', A, '--from', '1'], bad('--from', '1', '')],
      [['store', 'hotzones', ...f.admin, '--to', '2026-11-02T08:00:00'], bad('--to', '2026-11-02T08:00:00', '')],
      [['store', 'hotzones', ...f.admin, '--from', '2026-11-02T24:00:00Z'], bad('--from', '2026-11-02T24:00:00Z', ' (time of day out of range)')],
      [['store', 'purge', ...f.admin, '--retention-days', '1e308'], 'ctsim: --retention-days must be more than 0 and at most 36500, got 1e+308 (see ctsim --help)\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await ctsim(...args);
      expect([r.status, r.stderr]).toEqual([2, stderr]);
    }
    // Valid: a date alone is UTC midnight; a zone offset is honoured (09:00+01:00 is 08:00Z, the fixture's first fix).
    expect((await ctsim('trace', ...f.admin, '--device', A, '--from', '2026-11-02T09:00:00+01:00', '--to', '2026-11-02T08:00:04.999Z')).stdout).toMatch(/: 1 fixes from 2026-11-02T08:00:00.000Z/);
    expect((await ctsim('store', 'purge', ...f.admin, '--now', '2026-12-03', '--retention-days', '30')).stdout).toMatch(/^Purged 600 fixes, 1 contacts, 1 journey visits, 0 identity bindings, 1 hot-zone counts older than 30 days/);
  }, 240_000);
});
