// Roles are proven by credentials, not claimed: an admin issues each user a
// credential that unwraps only its role's data keys. A viewer's credential
// cannot decrypt a track, contact, journey, binding or the pseudonym secret,
// whatever it claims; an analyst's cannot decrypt bindings or turn a raw id
// into a pseudonym; the audit log names the credential's user.
import { DuckDBInstance, DuckDBBlobValue } from '@duckdb/node-api';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CannotDecryptError, open } from '../engine/store/cipher.ts';
import { parseCredential } from '../engine/store/credentials.ts';
import { DuckStore, verifyCredential } from '../engine/store/duckdb-store.ts';
import { deriveDataKeys } from '../engine/store/keys.ts';
import { ctsim } from './helpers/cli.ts';
import { A, B, makeStore, KEY } from './helpers/store-fixture.ts';

/** Every sealed payload in the file, by table, with the AAD it was sealed under. */
async function sealedPayloads(db: string): Promise<{ table: string; aad: string; sealed: Uint8Array }[]> {
  const inst = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  const hex = (v: unknown): string => Buffer.from((v as DuckDBBlobValue).bytes).toString('hex');
  const out: { table: string; aad: string; sealed: Uint8Array }[] = [];
  const q = async (sql: string): Promise<unknown[][]> => (await conn.runAndReadAll(sql)).getRows();
  for (const [d, p] of await q('SELECT device, payload FROM tracks')) out.push({ table: 'tracks', aad: `tracks:${hex(d)}`, sealed: (p as DuckDBBlobValue).bytes });
  for (const [a, p] of await q('SELECT a, payload FROM contacts')) out.push({ table: 'contacts', aad: `contacts:${hex(a)}`, sealed: (p as DuckDBBlobValue).bytes });
  for (const [d, p] of await q('SELECT device, payload FROM journeys')) out.push({ table: 'journeys', aad: `journeys:${hex(d)}`, sealed: (p as DuckDBBlobValue).bytes });
  for (const [d, p] of await q('SELECT device, payload FROM bindings')) out.push({ table: 'bindings', aad: `bindings:${hex(d)}`, sealed: (p as DuckDBBlobValue).bytes });
  for (const [id, g] of await q('SELECT id, grant_ FROM credentials')) out.push({ table: 'registry', aad: `credentials:registry:${id}`, sealed: (g as DuckDBBlobValue).bytes });
  for (const [p] of await q('SELECT payload FROM hotzones')) out.push({ table: 'hotzones', aad: 'hotzones', sealed: (p as DuckDBBlobValue).bytes });
  conn.closeSync();
  inst.closeSync();
  return out;
}

/** Tables whose every payload one of `keys` opens. */
function readable(payloads: { table: string; aad: string; sealed: Uint8Array }[], keys: Uint8Array[]): string[] {
  const opened = payloads.filter((p) => keys.some((k) => {
    try {
      open(k, p.sealed, p.aad, p.table);
      return true;
    } catch (err) {
      if (!(err instanceof CannotDecryptError)) throw err;
      return false;
    }
  }));
  return [...new Set(opened.map((p) => p.table))].sort();
}

describe('store credentials', () => {
  it('a viewer credential reads hot-zone counts only: claiming admin is refused and the data it would need does not decrypt', async () => {
    const f = await makeStore();
    const issue = async (role: string, user: string): Promise<string> => {
      const r = await ctsim('store', 'issue-credential', ...f.admin, '--role', role, '--user', user, '--out', join(f.dir, `${user}.cred`));
      expect([r.status, r.stderr]).toEqual([0, '']);
      return join(f.dir, `${user}.cred`);
    };
    const vic = await issue('viewer', 'vic');
    const ana = await issue('analyst', 'ana');
    expect(statSync(vic).mode & 0o777).toBe(0o600);
    const asVic = ['--store', f.db, '--credential', vic];

    // Through the CLI: a false claim is turned away, and without one every identity-bearing command is refused.
    for (const cmd of [['store', 'export', '--device', A, '--out', join(f.dir, 'x')], ['trace', '--device', 'badge-0001'], ['store', 'erase', '--device', A]]) {
      const claim = await ctsim(...cmd, ...asVic, '--role', 'admin');
      expect([claim.status, claim.stderr]).toEqual([2, 'ctsim: --role admin does not match the credential, issued to vic as viewer\n']);
      const plain = await ctsim(...cmd, ...asVic);
      expect(plain.status).toBe(1);
      expect(plain.stderr).toMatch(/^ctsim: role 'viewer' may not (export|trace|erase) \(allowed: admin(, analyst)?\)\n$/);
    }
    expect(JSON.parse((await ctsim('store', 'hotzones', ...asVic, '--json')).stdout).map((z: { count: number }) => z.count)).toEqual([2]);

    // Cryptographically: of every sealed payload in the file, the viewer's keys open the hot-zone counts and nothing else.
    const payloads = await sealedPayloads(f.db);
    expect(readable(payloads, Object.values(deriveDataKeys(KEY)))).toEqual(['bindings', 'contacts', 'hotzones', 'journeys', 'registry', 'tracks']);
    const viewer = await DuckStore.open(f.db, { credential: parseCredential(readFileSync(vic, 'utf8'), vic) });
    const vk = viewer.access;
    expect(Object.keys(vk.keys)).toEqual(['zones']);
    expect(readable(payloads, [...Object.values(vk.keys), ...Object.values(vk.holder)])).toEqual(['hotzones']);
    // Going round the role check to the store itself does not help: there is no key to find or open the rows.
    await expect(viewer.history(A)).rejects.toThrow('cannot decrypt: a viewer credential holds no blindIndex key');
    await expect(viewer.identity(A)).rejects.toThrow(CannotDecryptError);
    await expect(viewer.erase(A)).rejects.toThrow(CannotDecryptError);
    expect(() => viewer.key('pseudonym')).toThrow(CannotDecryptError);
    await viewer.close();

    // An analyst's keys open tracks, contacts and journeys, never bindings or the registry, and hold no pseudonym secret.
    const analyst = await DuckStore.open(f.db, { credential: parseCredential(readFileSync(ana, 'utf8'), ana) });
    expect(Object.keys(analyst.access.keys).sort()).toEqual(['blindIndex', 'history', 'zones']);
    expect(readable(payloads, [...Object.values(analyst.access.keys), ...Object.values(analyst.access.holder)])).toEqual(['contacts', 'hotzones', 'journeys', 'tracks']);
    await expect(analyst.identity(B)).rejects.toThrow(CannotDecryptError);
    await analyst.close();
    const raw = await ctsim('trace', '--store', f.db, '--credential', ana, '--device', 'badge-0001');
    expect([raw.status, raw.stderr]).toEqual([1, "ctsim: role 'analyst' may not look up a raw device id (give its ps- pseudonym) (allowed: admin)\n"]);
    expect((await ctsim('trace', '--store', f.db, '--credential', ana, '--device', A)).stdout).toMatch(new RegExp(`^${A}: 200 fixes from 2026-11-02T08:00:00.000Z`));

    // A credential that was never issued, or a wrong secret for an issued id, opens nothing.
    const text = readFileSync(vic, 'utf8').trim();
    const forged = join(f.dir, 'forged.cred');
    const flip = text.slice(0, -2) + (text.endsWith('AA') ? 'AB' : 'AA');
    for (const [body, message] of [
      [flip, /^ctsim: cannot decrypt store .*: wrong credential secret for credential [0-9a-f]{32}\n$/],
      [text.replace(/:[0-9a-f]{32}:/, `:${'ab'.repeat(16)}:`), /^ctsim: cannot decrypt store .*: credential (ab){16} was not issued for it\n$/],
      ['admin please', /^ctsim: credential file .*forged\.cred: not a ctsim credential/],
    ] as const) {
      writeFileSync(forged, body);
      expect((await ctsim('store', 'hotzones', '--store', f.db, '--credential', forged)).stderr).toMatch(message);
    }

    // The audit log names the credential's user, as the registry has it; the admin's check passes.
    const verify = await ctsim('store', 'audit', '--verify', ...f.admin);
    expect(verify.stdout).toMatch(/^Audit log intact: \d+ entries\n$/);
    const store = await DuckStore.open(f.db, { master: KEY });
    // What a server holding the store open asks of each request's credential.
    expect(await verifyCredential(store, readFileSync(ana, 'utf8'))).toMatchObject({ role: 'analyst', user: 'ana' });
    await expect(verifyCredential(store, flip)).rejects.toThrow(CannotDecryptError);
    const log = (await store.auditLog()).map((r) => `${r.entry!.user}/${r.entry!.role} ${r.entry!.action} ${r.entry!.outcome}`);
    await store.close();
    expect(log.slice(0, 3)).toEqual(['store-key/admin create allowed', 'store-key/admin issue-credential allowed', 'store-key/admin issue-credential allowed']);
    expect(log.filter((l) => l.startsWith('vic/'))).toEqual(['vic/viewer export refused', 'vic/viewer trace refused', 'vic/viewer erase refused', 'vic/viewer hot-zone-counts allowed']);
  }, 240_000);
});
