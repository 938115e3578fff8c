// ctsim store purge|export|erase|audit|hotzones|issue-credential: retention,
// data-subject requests, the audit check, hot-zone counts and credentials on
// a location store.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_PRIVACY, MAX_RETENTION_DAYS, retentionCutoffMs } from '../../engine/contract/privacy.ts';
import { EXPORT_FILES, writeExport } from '../../engine/store/export.ts';
import { checkReplaceable, replaceDir } from '../../engine/io/atomic-write.ts';
import type { RowCounts, StoredZoneCount } from '../../engine/store/types.ts';
import { formatTable } from '../../reports/table.ts';
import { InputError } from '../../engine/contract/input-error.ts';
import { quote } from '../../engine/contract/quote.ts';
import { parseRole, ROLES } from '../../engine/store/roles.ts';
import { parseInstant, parseRange, withAccessOptions, withGovernedStore, type AccessArgs } from '../store-options.ts';

interface StoreArgs extends AccessArgs {
  store: string;
}


function storeOptions<T>(y: Argv<T>, roleFlag = true): Argv<T & StoreArgs> {
  return withAccessOptions(y.option('store', { type: 'string', demandOption: true, describe: 'Location store file (must exist: only run --store or serve --store create one)' }), roleFlag);
}

function counts(c: RowCounts): string {
  return `${c.fixes} fixes, ${c.contacts} contacts, ${c.visits} journey visits, ${c.bindings} identity bindings, ${c.zoneCounts} hot-zone counts${c.reports > 0 ? `, ${c.reports} live reports` : ''}`;
}

const purge: CommandModule<object, StoreArgs & { 'retention-days': number; now?: string }> = {
  command: 'purge',
  describe: 'Delete history older than the retention period',
  builder: (y) =>
    storeOptions(y)
      .option('retention-days', { type: 'number', default: DEFAULT_PRIVACY.retentionDays, describe: `Keep this many days of history (more than 0, at most ${MAX_RETENTION_DAYS})` })
      .option('now', { type: 'string', describe: 'Purge relative to this ISO date or date-time (default: now)' })
      .check((a) => {
        const days = a['retention-days'];
        if (!(days > 0 && days <= MAX_RETENTION_DAYS)) throw new InputError(`--retention-days must be more than 0 and at most ${MAX_RETENTION_DAYS}, got ${days}`);
        return true;
      }),
  handler: async (args) => {
    const nowMs = args.now === undefined ? Date.now() : parseInstant(args.now, '--now');
    const purged = await withGovernedStore(args.store, args, (g) => g.purge(retentionCutoffMs(nowMs, args['retention-days'])));
    process.stdout.write(`Purged ${counts(purged)} older than ${args['retention-days']} days\n`);
  },
};

const exportCmd: CommandModule<object, StoreArgs & { device: string; out: string }> = {
  command: 'export',
  describe: 'Write everything held about one device (journey, contacts, binding) as JSON and Arrow',
  builder: (y) =>
    storeOptions(y)
      .option('device', { type: 'string', demandOption: true, describe: 'Device id (raw or pseudonymous)' })
      .option('out', { type: 'string', demandOption: true, describe: 'Folder for export.json and the .arrow tables' }),
  handler: async (args) => {
    // Before the store is asked (and the export audited): --out must be free or an earlier export, which is replaced whole.
    checkReplaceable(args.out, 'export.json');
    const record = await withGovernedStore(args.store, args, (g) => g.export(args.device));
    replaceDir(args.out, 'export.json', (dir) => writeExport(dir, record));
    process.stdout.write(
      `Exported ${record.device}: ${record.track.length} fixes, ${record.contacts.length} contacts, ${record.journeys.length} journey visits, ` +
        `${(record.reports ?? []).reduce((n, b) => n + b.length, 0)} live reports, ` +
        `${record.personId ? 'identity binding' : 'no identity binding'} to ${args.out}/ (${EXPORT_FILES.join(', ')})\n`,
    );
  },
};

const erase: CommandModule<object, StoreArgs & { device: string }> = {
  command: 'erase',
  describe: 'Remove one device everywhere, including contacts where it is the other party',
  builder: (y) => storeOptions(y).option('device', { type: 'string', demandOption: true, describe: 'Device id (raw or pseudonymous)' }),
  handler: async (args) => {
    const erased = await withGovernedStore(args.store, args, (g) => g.erase(args.device));
    process.stdout.write(`Erased ${erased.device}: ${counts(erased.counts)}\n`);
  },
};

const audit: CommandModule<object, StoreArgs & { verify: boolean }> = {
  command: 'audit',
  describe: 'Check the hash-chained audit log (with --anchor: against the anchor you kept)',
  builder: (y) => storeOptions(y).option('verify', { type: 'boolean', demandOption: true, describe: 'Verify every entry, the chain head and, with --anchor, that nothing was cut or rolled back' }),
  handler: async (args) => {
    const verdict = await withGovernedStore(args.store, args, (g) => g.verifyAudit(), { anchorRequired: true });
    if (!verdict.ok) throw new Error(`audit log of ${args.store} is broken: ${verdict.problem}`);
    process.stdout.write(`Audit log intact: ${verdict.entries} entries\n`);
  },
};

const hotzones: CommandModule<object, StoreArgs & { from?: string; to?: string; zone?: string; json: boolean }> = {
  command: 'hotzones',
  describe: 'Hot-zone occupancy counts per zone per interval (no devices; every role may read them)',
  builder: (y) =>
    storeOptions(y)
      .option('from', { type: 'string', describe: 'Intervals ending after this ISO date-time' })
      .option('to', { type: 'string', describe: 'Intervals starting before this ISO date-time' })
      .option('zone', { type: 'string', describe: 'Only this zone id' })
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON instead of a table' }),
  handler: async (args) => {
    const range = parseRange(args);
    const rows = await withGovernedStore(args.store, args, async (g) => {
      const counts = await g.zoneCounts(range, args.zone);
      if (counts.length > 0 || args.zone === undefined) return counts;
      // No counts for the zone: a zone the store never counted is a mistyped id, not a quiet range.
      const zones = [...new Set((await g.zoneCounts()).map((c) => c.zoneId))].sort();
      if (!zones.includes(args.zone)) throw new InputError(`--zone ${quote(args.zone)}: no such zone in the store's hot-zone counts (zones: ${zones.join(', ') || 'none'})`);
      return counts;
    });
    process.stdout.write(args.json ? `${JSON.stringify(rows, null, 2)}\n` : `${zoneTable(rows)}\n`);
  },
};

function zoneTable(rows: StoredZoneCount[]): string {
  if (rows.length === 0) return 'No hot-zone counts in that range';
  const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return formatTable(
    ['from (UTC)', 'to (UTC)', 'zone', 'count', 'baseline', 'alert'],
    rows.map((r) => [iso(r.startMs), iso(r.endMs), r.zoneId, String(r.count), String(Math.round(r.baseline * 10) / 10), r.hot ? 'HOT' : '']),
  );
}

const issueCredential: CommandModule<object, StoreArgs & { role: string; user: string; out?: string }> = {
  command: 'issue-credential',
  describe: "Admins: issue a credential for one user in one role (it unwraps only that role's keys)",
  builder: (y) =>
    storeOptions(y, false)
      .option('role', { type: 'string', demandOption: true, choices: ROLES as string[], describe: 'Role the credential is for' })
      .option('user', { type: 'string', demandOption: true, describe: 'Who it is for: the audit log names them' })
      .option('out', { type: 'string', describe: 'Write the credential to this new file (mode 600) instead of printing it' }),
  handler: async (args) => {
    // The file is made (empty, mode 600) before the store grants anything: a grant whose credential could not be written would be an orphan.
    const fd = args.out === undefined ? undefined : createCredentialFile(args.out);
    try {
      // --role here is the role issued, not one the caller asserts.
      const text = await withGovernedStore(args.store, { ...args, role: undefined }, (g) => g.issueCredential(parseRole(args.role), args.user));
      if (fd === undefined) process.stdout.write(`${text}\n`);
      else {
        writeSync(fd, `${text}\n`);
        process.stdout.write(`Issued a ${args.role} credential for ${args.user} to ${args.out}\n`);
      }
    } catch (err) {
      if (fd !== undefined) rmSync(args.out!, { force: true });
      throw err;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  },
};

/** A new file for a credential, never over another one. */
function createCredentialFile(path: string): number {
  try {
    return openSync(path, 'wx', 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new InputError(`--out ${path} already exists: a credential is never written over another file`);
    throw new InputError(`--out ${path}: cannot create it (${code ?? (err as Error).message})`);
  }
}

export const storeCommand: CommandModule = {
  command: 'store',
  describe: 'Location store: purge, export, erase, audit --verify, hotzones, issue-credential',
  builder: (y) =>
    y.command(purge).command(exportCmd).command(erase).command(audit).command(hotzones).command(issueCredential)
      .demandCommand(1, 'name a store command: purge, export, erase, audit, hotzones or issue-credential'),
  handler: () => {},
};
