// The audit log checked against an anchor kept outside the store: a wiped
// log, a tail cut off with an earlier head put back, or the whole file rolled
// back to an earlier copy (an erased device back) fail `store audit --verify
// --anchor`, and any command given the anchor refuses such a store.
import { DuckDBInstance } from '@duckdb/node-api';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ctsim } from './helpers/cli.ts';
import { A, makeStore } from './helpers/store-fixture.ts';

async function sql(db: string, ...statements: string[]): Promise<unknown[][]> {
  const inst = await DuckDBInstance.create(db);
  const conn = await inst.connect();
  let last: unknown[][] = [];
  for (const s of statements) last = (await conn.runAndReadAll(s)).getRows();
  conn.closeSync();
  inst.closeSync();
  return last;
}

/** A copy of the store (and of the anchor) to attack. */
function copy(db: string, anchor: string, name: string): { db: string; anchor: string } {
  const to = { db: `${db}.${name}`, anchor: `${anchor}.${name}` };
  copyFileSync(db, to.db);
  if (existsSync(`${db}.wal`)) copyFileSync(`${db}.wal`, `${to.db}.wal`);
  copyFileSync(anchor, to.anchor);
  return to;
}

describe('audit anchor', () => {
  it('fails verification for a wiped log, a cut tail with an earlier head, and a rolled-back store', async () => {
    const f = await makeStore();
    const anchor = join(f.dir, 'anchor.json');
    const withAnchor = (db: string, file: string): string[] => ['--store', db, '--key-file', f.keyFile, '--anchor', file];
    const verify = (db: string, file?: string) => ctsim('store', 'audit', '--verify', ...(file === undefined ? ['--store', db, '--key-file', f.keyFile] : withAnchor(db, file)));

    expect((await ctsim('store', 'hotzones', ...withAnchor(f.db, anchor))).status).toBe(0); // entries: creation, this read
    expect(JSON.parse(readFileSync(anchor, 'utf8')).entries).toBe(2);
    const before = `${f.db}.before-erase`;
    copyFileSync(f.db, before);
    const [[earlyHead]] = await sql(f.db, "SELECT value FROM meta WHERE key = 'audit_head'");
    expect((await ctsim('store', 'erase', ...withAnchor(f.db, anchor), '--device', A)).stdout).toMatch(new RegExp(`^Erased ${A}: 200 fixes`));
    expect((await ctsim('store', 'hotzones', ...withAnchor(f.db, anchor))).status).toBe(0);
    expect((await verify(f.db, anchor)).stdout).toBe('Audit log intact: 5 entries\n');
    expect(JSON.parse(readFileSync(anchor, 'utf8')).entries).toBe(5);

    // Every audit row and the head deleted: without the anchor the log no longer starts with the store's creation; with it, it is short.
    const wiped = copy(f.db, anchor, 'wiped');
    await sql(wiped.db, 'DELETE FROM audit', "DELETE FROM meta WHERE key = 'audit_head'");
    const w1 = await verify(wiped.db);
    expect([w1.status, w1.stderr]).toEqual([1, `ctsim: audit log of ${wiped.db} is broken: the log does not start with the store's creation (entries deleted)\n`]);
    // (The check above appended its own entry 1.)
    const w2 = await verify(wiped.db, wiped.anchor);
    expect([w2.status, w2.stderr]).toEqual([1, `ctsim: audit log of ${wiped.db} does not match anchor ${wiped.anchor}: the log has 1 entry but the anchor records 5 (entries deleted, or the store rolled back to an earlier copy)\n`]);

    // The tail cut back to entry 2 and entry 2's head put back: a consistent chain, which only the anchor shows to be short.
    const cut = copy(f.db, anchor, 'cut');
    const inst = await DuckDBInstance.create(cut.db);
    const conn = await inst.connect();
    await conn.run('DELETE FROM audit WHERE seq > 2');
    await conn.run("UPDATE meta SET value = $1 WHERE key = 'audit_head'", [earlyHead as never]);
    conn.closeSync();
    inst.closeSync();
    expect((await verify(cut.db)).stdout).toBe('Audit log intact: 3 entries\n');
    const c2 = await verify(cut.db, cut.anchor);
    expect([c2.status, c2.stderr]).toEqual([1, `ctsim: audit log of ${cut.db} does not match anchor ${cut.anchor}: the log has 3 entries but the anchor records 5 (entries deleted, or the store rolled back to an earlier copy)\n`]);

    // The whole file rolled back to its copy from before the erase: the erased device is back, and the anchor says so.
    const rolled = copy(f.db, anchor, 'rolled');
    copyFileSync(before, rolled.db);
    expect((await ctsim('trace', '--store', rolled.db, '--key-file', f.keyFile, '--device', A)).stdout).toMatch(new RegExp(`^${A} \\(person: person-0001\\): 200 fixes`));
    const r1 = await verify(rolled.db, rolled.anchor);
    expect([r1.status, r1.stderr]).toEqual([1, `ctsim: audit log of ${rolled.db} does not match anchor ${rolled.anchor}: the log has 4 entries but the anchor records 5 (entries deleted, or the store rolled back to an earlier copy)\n`]);
    // Any command given the anchor refuses the rolled-back store, before reading anything.
    const r2 = await ctsim('trace', ...withAnchor(rolled.db, rolled.anchor), '--device', A);
    expect([r2.status, r2.stdout]).toEqual([1, '']);
    expect(r2.stderr).toBe(`ctsim: audit log of ${rolled.db} does not match anchor ${rolled.anchor}: the log has 4 entries but the anchor records 5 (entries deleted, or the store rolled back to an earlier copy)\n`);

    // An anchor edited to agree with a shorter log no longer verifies; a missing one is an input error.
    const edited = JSON.parse(readFileSync(cut.anchor, 'utf8'));
    writeFileSync(cut.anchor, JSON.stringify({ ...edited, entries: 3 }));
    expect((await verify(cut.db, cut.anchor)).stderr).toBe(`ctsim: audit log of ${cut.db} does not match anchor ${cut.anchor}: the anchor was altered or written for another store (its MAC does not match)\n`);
    const missing = await verify(f.db, join(f.dir, 'no-anchor.json'));
    expect([missing.status, missing.stderr]).toEqual([2, `ctsim: no anchor file ${join(f.dir, 'no-anchor.json')} (one is written by --anchor on any store command)\n`]);
    expect((await verify(f.db, anchor)).stdout).toBe('Audit log intact: 6 entries\n');
  }, 300_000);
});
