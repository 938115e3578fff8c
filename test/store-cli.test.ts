import { tableFromIPC } from 'apache-arrow';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pseudonymOf } from '../engine/privacy/pseudonym.ts';
import { DuckStore } from '../engine/store/duckdb-store.ts';
import { deriveDataKeys } from '../engine/store/keys.ts';
import { ctsim } from './helpers/cli.ts';
import { officeJson } from './helpers/short-office.ts';

// The ideal preset: CLI and I/O mechanics, thresholds set in the kind world (helpers/short-office.ts).
const office = officeJson();
const KEY_HEX = 'ab'.repeat(32);
const KEY = Uint8Array.from(Buffer.from(KEY_HEX, 'hex'));

describe('ctsim run --store, trace --store and store commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-store-cli-'));
  const scenario = join(dir, 'office-1h.json');
  // One hour of the office; wifi-probe phones are on (count-only by default).
  writeFileSync(scenario, JSON.stringify({ ...office, durationS: 3600 }));
  const keyFile = join(dir, 'store.key');
  writeFileSync(keyFile, `${KEY_HEX}\n`);
  const db = join(dir, 'history.db');
  const s = ['--store', db, '--key-file', keyFile];
  const cred = (name: string): string[] => ['--store', db, '--credential', join(dir, `${name}.cred`)];
  const badge = pseudonymOf('badge-0008', deriveDataKeys(KEY).pseudonym);

  it('stores a run, traces it by role, exports, erases and audits', async () => {
    const run = await ctsim('run', '--scenario', scenario, '--seed', '1', '--out', join(dir, 'run'), '--workers', '1', '--quiet', ...s, '--start', '2026-11-20T08:00:00Z');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const stored = /Stored (\d+) fixes, (\d+) contacts, (\d+) identity bindings/.exec(run.stdout);
    expect(stored).not.toBeNull();
    // Connected Wi-Fi and badges are kept (one binding each for 60 people); probing and non-opted-in app phones are not.
    expect(Number(stored![3])).toBe(120);
    const devices = tableFromIPC(readFileSync(join(dir, 'run', 'truth-devices.arrow')));
    const techOf = new Map(devices.toArray().map((d) => [d.deviceId as string, d.tech as string]));
    const fixesByTech: Record<string, number> = {};
    for (const id of tableFromIPC(readFileSync(join(dir, 'run', 'estimates.arrow'))).getChild('deviceId')!.toArray() as string[]) {
      const tech = techOf.get(id)!;
      fixesByTech[tech] = (fixesByTech[tech] ?? 0) + 1;
    }
    expect(Number(stored![1])).toBe(fixesByTech.wifi + fixesByTech['ble-badge']);
    // The engine still locates the others (they count towards zone occupancy): only the store leaves them out.
    expect(fixesByTech['wifi-probe'] + fixesByTech['ble-app']).toBeGreaterThan(1000);

    // The raw store files hold no raw id, no pseudonym and no run of this badge's coordinates.
    const raw = Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('history.db')).map((f) => readFileSync(join(dir, f))));
    const est = tableFromIPC(readFileSync(join(dir, 'run', 'estimates.arrow'))).toArray().filter((r) => r.deviceId === 'badge-0008');
    const needles = [
      ...[...techOf.keys()].flatMap((id) => [id, pseudonymOf(id, deriveDataKeys(KEY).pseudonym)]),
      'person-0008',
      Buffer.from(Float32Array.from(est.slice(0, 4), (r) => r.x).buffer),
      // The text of a coordinate distinctive enough to search for (a fix clamped to x = 0 would match any "0").
      `${est.find((r) => `${r.x}`.length >= 6)!.x}`.slice(0, 6),
    ];
    expect(needles.filter((n) => raw.includes(n)).map(String)).toEqual([]);

    for (const [role, user] of [['analyst', 'ana'], ['viewer', 'vic']]) {
      const issued = await ctsim('store', 'issue-credential', ...s, '--role', role, '--user', user, '--out', join(dir, `${user}.cred`));
      expect(issued.stdout).toBe(`Issued a ${role} credential for ${user} to ${join(dir, `${user}.cred`)}\n`);
    }
    // Analysts trace by pseudonym: turning a raw id into one needs the admin's secret.
    expect((await ctsim('trace', ...cred('ana'), '--device', 'badge-0008')).stderr).toBe("ctsim: role 'analyst' may not look up a raw device id (give its ps- pseudonym) (allowed: admin)\n");
    const analyst = await ctsim('trace', ...cred('ana'), '--device', badge);
    expect(analyst.status).toBe(0);
    expect(analyst.stdout).toMatch(new RegExp(`^${badge}: \\d+ fixes from 2026-11-20T08:`));
    expect(analyst.stdout).not.toMatch(/person/);
    const admin = await ctsim('trace', ...s, '--device', 'badge-0008', '--role', 'admin', '--json');
    expect(JSON.parse(admin.stdout)).toMatchObject({ device: badge, personId: 'person-0008' });

    const viewer = await ctsim('trace', ...cred('vic'), '--device', badge);
    expect(viewer.status).toBe(1);
    expect(viewer.stderr).toBe("ctsim: role 'viewer' may not trace (allowed: admin, analyst)\n");
    expect(viewer.stdout).toBe('');
    expect((await ctsim('store', 'export', ...cred('vic'), '--device', badge, '--out', join(dir, 'never'))).stderr).toBe("ctsim: role 'viewer' may not export (allowed: admin)\n");
    // Claiming another role is no way round it.
    const claim = await ctsim('store', 'export', ...cred('vic'), '--role', 'admin', '--device', badge, '--out', join(dir, 'never'));
    expect([claim.status, claim.stderr]).toEqual([2, 'ctsim: --role admin does not match the credential, issued to vic as viewer\n']);

    // Viewers get hot-zone counts: exactly the run's occupancy, every zone every interval, and no device anywhere.
    const occupancy = tableFromIPC(readFileSync(join(dir, 'run', 'occupancy.arrow'))).toArray();
    const zonesJson = await ctsim('store', 'hotzones', ...cred('vic'), '--role', 'viewer', '--json');
    expect(zonesJson.status).toBe(0);
    const zones = JSON.parse(zonesJson.stdout);
    expect(zones.map((z: { zoneId: string; count: number }) => [z.zoneId, z.count])).toEqual(occupancy.map((r) => [r.zone, r.count]));
    expect(zones[0].startMs).toBe(Date.parse('2026-11-20T08:00:00Z'));
    expect(zones.reduce((n: number, z: { count: number }) => n + z.count, 0)).toBeGreaterThan(60);
    expect(Object.keys(zones[0]).sort()).toEqual(['baseline', 'count', 'endMs', 'hot', 'startMs', 'zoneId']);
    const busiest = zones.reduce((p: { count: number }, q: { count: number }) => (q.count > p.count ? q : p));
    const table = await ctsim('store', 'hotzones', ...cred('vic'), '--zone', busiest.zoneId, '--from', new Date(busiest.startMs).toISOString(), '--to', new Date(busiest.endMs).toISOString());
    expect(table.stdout.split('\n')[0]).toMatch(/^from \(UTC\)\s+to \(UTC\)\s+zone\s+count\s+baseline\s+alert$/);
    expect(table.stdout.split('\n')[2]).toMatch(new RegExp(`^2026-11-20 \\d\\d:\\d\\d\\s+2026-11-20 \\d\\d:\\d\\d\\s+${busiest.zoneId}\\s+${busiest.count}\\s`));
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(3);
    const pseudonymKey = deriveDataKeys(KEY).pseudonym;
    const ids = [...techOf.keys()].flatMap((id) => [id, pseudonymOf(id, pseudonymKey)]);
    expect(ids.filter((id) => zonesJson.stdout.includes(id) || table.stdout.includes(id))).toEqual([]);

    const out = join(dir, 'export');
    expect((await ctsim('store', 'export', ...s, '--device', 'badge-0008', '--role', 'admin', '--out', out)).status).toBe(0);
    const exported = JSON.parse(readFileSync(join(out, 'export.json'), 'utf8'));
    expect(exported.personId).toBe('person-0008');
    expect(exported.track.length).toBeGreaterThan(100);
    expect(exported.journeys.length).toBeGreaterThan(0); // run --store stores the engine's journeys
    expect(tableFromIPC(readFileSync(join(out, 'track.arrow'))).numRows).toBe(exported.track.length);
    expect(tableFromIPC(readFileSync(join(out, 'contacts.arrow'))).numRows).toBe(exported.contacts.length);

    expect((await ctsim('store', 'erase', ...cred('ana'), '--device', badge)).stderr).toBe("ctsim: role 'analyst' may not erase (allowed: admin)\n");
    const erase = await ctsim('store', 'erase', ...s, '--device', 'badge-0008', '--role', 'admin');
    expect(erase.stdout).toMatch(new RegExp(`^Erased ${badge}: ${exported.track.length} fixes, ${exported.contacts.length} contacts, ${exported.journeys.length} journey visits, 1 identity bindings`));
    // Erased is gone: exporting it again, like a mistyped id, is said (the attempt is audited), not an empty export.
    const out2 = join(dir, 'export-after-erase');
    const again = await ctsim('store', 'export', ...s, '--device', 'badge-0008', '--role', 'admin', '--out', out2);
    expect([again.status, again.stderr]).toEqual([2, "ctsim: no device 'badge-0008' in the store (a raw id as the log named it, or its ps-… pseudonym; erased and purged devices are gone)\n"]);
    expect(existsSync(out2)).toBe(false);

    const verify = await ctsim('store', 'audit', '--verify', ...s, '--role', 'admin');
    // creation, 2 issues, analyst raw id (refused), analyst trace, admin trace + identity, viewer trace and export (refused),
    // 2 hot-zone reads, admin export, analyst erase (refused), admin erase, admin export, this check; the false --role claim
    // is turned away before the store is touched
    expect(verify.stdout).toBe('Audit log intact: 16 entries\n');
    const store = await DuckStore.open(db, { master: KEY });
    const log = (await store.auditLog()).map((r) => r.entry && `${r.entry.user}/${r.entry.role} ${r.entry.action} ${r.entry.outcome}`);
    await store.close();
    expect(log[0]).toBe('store-key/admin create allowed');
    expect(log).toContain('vic/viewer trace refused');
    expect(log).toContain('ana/analyst raw-id refused');
    expect(log).toContain('ana/analyst trace allowed');
    expect(log).toContain('vic/viewer hot-zone-counts allowed');
    expect(log.filter((l) => l?.endsWith('vic/viewer export refused'))).toHaveLength(1);
    expect(log.filter((l) => l?.endsWith('erase refused'))).toHaveLength(1);

    const purge = await ctsim('store', 'purge', ...s, '--role', 'admin', '--now', '2026-12-30T00:00:00Z');
    expect(purge.stdout).toMatch(new RegExp(`^Purged \\d+ fixes, \\d+ contacts, [1-9]\\d* journey visits, 0 identity bindings, ${zones.length} hot-zone counts older than 30 days`));
    expect((await ctsim('store', 'hotzones', ...cred('vic'))).stdout).toBe('No hot-zone counts in that range\n');
    expect((await ctsim('trace', ...s, '--device', 'badge-0009')).stdout).toMatch(/no fixes, 0 journey visits, 0 contacts/);
  }, 300_000);

  it('refuses a wrong or malformed key with one line, writing nothing', async () => {
    const wrong = join(dir, 'wrong.key');
    writeFileSync(wrong, 'cd'.repeat(32));
    const r = await ctsim('run', '--scenario', scenario, '--out', join(dir, 'never'), '--quiet', '--store', db, '--key-file', wrong);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`ctsim: cannot decrypt store ${db}: wrong key\n`);
    expect(existsSync(join(dir, 'never'))).toBe(false);
    const short = join(dir, 'short.key');
    writeFileSync(short, 'abc');
    expect((await ctsim('trace', '--store', db, '--key-file', short, '--device', 'x', '--role', 'admin')).stderr).toBe(
      `ctsim: key file ${short}: store key must be 64 hex characters (32 bytes), got 3 characters\n`,
    );
    const noKey = await ctsim('trace', '--store', db, '--device', 'x', '--role', 'admin');
    expect([noKey.status, noKey.stderr]).toEqual([2, 'ctsim: no credential or store key: pass --credential FILE (or set CTSIM_STORE_CREDENTIAL); admins may use --key-file or CTSIM_STORE_KEY\n']);
    const notStore = join(dir, 'not-a-store.db');
    writeFileSync(notStore, 'hello');
    const notStoreRun = await ctsim('trace', '--store', notStore, '--key-file', keyFile, '--device', 'x', '--role', 'admin');
    expect([notStoreRun.status, notStoreRun.stderr]).toEqual([2, `ctsim: --store ${notStore} is not a ctsim store (not a DuckDB database file)\n`]);
  });

  it('a mistyped device or zone, an --out that is not an export, a credential file that cannot be made: one line, exit 2, nothing changed', async () => {
    const admin = [...s, '--role', 'admin'];
    const erase = await ctsim('store', 'erase', ...admin, '--device', 'badge-9999');
    expect([erase.status, erase.stderr]).toEqual([2, "ctsim: no device 'badge-9999' in the store (a raw id as the log named it, or its ps-… pseudonym; erased and purged devices are gone)\n"]);
    const zone = await ctsim('store', 'hotzones', ...admin, '--zone', 'nowhere');
    expect(zone.status).toBe(2);
    expect(zone.stderr).toMatch(/^ctsim: --zone 'nowhere': no such zone in the store's hot-zone counts \(zones: /);
    // A run folder given as the export's --out is left as it was.
    const runDir = join(dir, 'run');
    const before = readdirSync(runDir).sort();
    const journeys = readFileSync(join(runDir, 'journeys.arrow'));
    const into = await ctsim('store', 'export', ...admin, '--device', 'badge-0010', '--out', runDir);
    expect([into.status, into.stderr]).toEqual([2, `ctsim: ${runDir}: exists and holds no export.json, so it is not an output this command wrote; not replacing it (remove it or choose another --out)\n`]);
    expect(readdirSync(runDir).sort()).toEqual(before);
    expect(readFileSync(join(runDir, 'journeys.arrow')).equals(journeys)).toBe(true);
    // No credential is granted when its file cannot be made.
    const grants = async (): Promise<number> => {
      const store = await DuckStore.open(db, { master: KEY });
      try {
        return (await store.auditLog()).filter((r) => r.entry?.action === 'issue-credential').length;
      } finally {
        await store.close();
      }
    };
    const issued = await grants();
    const lost = await ctsim('store', 'issue-credential', ...s, '--role', 'viewer', '--user', 'lost', '--out', join(dir, 'no-such-folder', 'lost.cred'));
    expect([lost.status, lost.stderr]).toEqual([2, `ctsim: --out ${join(dir, 'no-such-folder', 'lost.cred')}: cannot create it (ENOENT)\n`]);
    expect(await grants()).toBe(issued);
  }, 120_000);
});
