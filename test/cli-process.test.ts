// The real binary (node bin/ctsim.js) in a child process, for what only the
// process boundary shows: its exit status, output that reaches the pipe
// before it exits, and no stack trace. Everything else about the commands is
// tested in-process (test/helpers/cli.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ctsimProcess } from './helpers/cli.ts';

describe('bin/ctsim.js', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-process-'));

  it('exits 0 after a command succeeds, its output complete on stdout', () => {
    const r = ctsimProcess('scenarios');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^scenario\s+description\n/);
    expect(r.stdout).toMatch(/\noffice\s+\S/);
  });

  it('exits 2 with one line on a bad input file (no stack trace)', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "name": "x", ');
    const file = ctsimProcess('run', '--scenario', broken, '--out', join(dir, 'out'), '--quiet');
    expect(file.status).toBe(2);
    expect(file.stderr).toMatch(/^ctsim: .*broken\.json: not valid JSON.*\n$/);
  });

  it('exits 1 with one line on a runtime failure', () => {
    // DuckDB's header, then nothing a database holds: a store file gone bad, which DuckDB itself fails to open.
    const notStore = join(dir, 'broken-store.db');
    writeFileSync(notStore, Buffer.concat([Buffer.alloc(8), Buffer.from('DUCK'), Buffer.alloc(4096, 7)]));
    const keyFile = join(dir, 'store.key');
    writeFileSync(keyFile, `${'ab'.repeat(32)}\n`);
    const r = ctsimProcess('trace', '--store', notStore, '--key-file', keyFile, '--device', 'x', '--role', 'admin');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^ctsim: cannot open store .*broken-store\.db: [^\n]*\n$/);
  });
});
