// ctsim serve's store flags: a wrong combination or value is one line and exit 2, before anything listens or is written.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ctsim } from './helpers/cli.ts';

describe('ctsim serve --store inputs', () => {
  it('refuses bad flags with one line, exit 2, creating no store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctsim-serve-inputs-'));
    const creds = join(dir, 'creds.json');
    writeFileSync(creds, JSON.stringify({ admin: ['admin-token-0123456789'] }));
    const db = join(dir, 'live.db');
    const saved = process.env.CTSIM_STORE_KEY;
    delete process.env.CTSIM_STORE_KEY;
    try {
      const cases: [string[], RegExp][] = [
        [['--store', db, '--credentials', creds], /give --credentials \(a token file\) or --store \(the store's credentials\), not both/],
        [[], /give --credentials \(a token file\) or --store/],
        [['--credentials', creds, '--start', '2026-12-03'], /--start goes with --store/],
        [['--credentials', creds, '--idle-tick-ms', '500'], /--idle-tick-ms must be 0 \(off\) or in 1000\.\.3600000 ms, got 500/],
        [['--credentials', creds, '--drain-timeout-s', '0'], /--drain-timeout-s must be in 1\.\.3600, got 0/],
        [['--credentials', creds, '--set', 'hotZones.baseline=learned'], /the live engine needs hotZones\.baseline 'capacity' .*got 'learned'/],
        [['--store', db], /no store key: set CTSIM_STORE_KEY or pass --key-file/],
        [['--store', db, '--key-file', join(dir, 'no-such.key')], /cannot read key file/],
        [['--store', db, '--start', 'yesterday', '--key-file', creds], /--start must be an ISO 8601 date/],
        [['--store', join(dir, 'no-such-dir', 'live.db'), '--key-file', creds], /store key must be 64 hex characters/],
      ];
      for (const [flags, message] of cases) {
        const r = await ctsim('serve', '--site', 'office', '--port', '0', ...flags);
        expect([flags.join(' '), r.status]).toEqual([flags.join(' '), 2]);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(message);
      }
      expect(existsSync(db)).toBe(false);
    } finally {
      if (saved !== undefined) process.env.CTSIM_STORE_KEY = saved;
    }
  }, 60_000);
});
