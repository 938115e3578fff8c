// A worker failure outside any task (here: a worker answering a task that
// does not exist, as a dying worker can) reaches the pool as an 'error'
// event. Unheard, it was an uncaught exception: a raw 18-33 line stack. Now
// the run fails with one line, exit 1 (a runtime failure, not an input error).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { epochLogCsv } from '../bench/perf/epoch-log.ts';

const BIN = fileURLToPath(new URL('../bin/ctsim.js', import.meta.url));
const FAULT = fileURLToPath(new URL('./helpers/worker-fault.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ctsim-worker-fault-'));
const log = join(dir, 'log.csv');
writeFileSync(log, epochLogCsv(0));

describe('a worker failure', () => {
  it.each([0, 400])('(%i ms after the worker starts) is one line naming it, exit 1, nothing written', (faultMs) => {
    const out = join(dir, `out-${faultMs}`);
    const r = spawnSync(process.execPath, ['--import', FAULT, BIN, 'locate', '--site', 'scenarios/office.json', '--observations', log, '--out', out, '--quiet', '--workers', '2'], {
      encoding: 'utf8', env: { ...process.env, CI: '1', CTSIM_TEST_FAULT_MS: String(faultMs) }, timeout: 60_000,
    });
    expect(r.stderr).toMatch(/^ctsim: an engine worker failed: Unexpected message from Worker: \{ taskId: 987654321/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.status).toBe(1);
    expect(existsSync(join(out, 'estimates.arrow'))).toBe(false);
  });
});
