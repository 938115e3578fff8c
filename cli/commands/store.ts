// ctsim store purge|export|erase|audit|hotzones: retention, data-subject
// requests, the audit check and hot-zone counts on a location store.
import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_PRIVACY, retentionCutoffMs } from '../../engine/contract/privacy.ts';
import { EXPORT_FILES, writeExport } from '../../engine/store/export.ts';
import type { RowCounts, StoredZoneCount, TimeRange } from '../../engine/store/types.ts';
import { formatTable } from '../../reports/table.ts';
import { deviceArg, parseInstant, withActorOptions, withGovernedStore, withKeyOption, type ActorArgs, type KeyArgs } from '../store-options.ts';
import { InputError } from '../../engine/contract/input-error.ts';

interface StoreArgs extends KeyArgs, ActorArgs {
  store: string;
}

function storeOptions<T>(y: Argv<T>): Argv<T & StoreArgs> {
  return withActorOptions(withKeyOption(y.option('store', { type: 'string', demandOption: true, describe: 'Location store file' })));
}

function counts(c: RowCounts): string {
  return `${c.fixes} fixes, ${c.contacts} contacts, ${c.visits} journey visits, ${c.bindings} identity bindings, ${c.zoneCounts} hot-zone counts`;
}

const purge: CommandModule<object, StoreArgs & { 'retention-days': number; now?: string }> = {
  command: 'purge',
  describe: 'Delete history older than the retention period',
  builder: (y) =>
    storeOptions(y)
      .option('retention-days', { type: 'number', default: DEFAULT_PRIVACY.retentionDays, describe: 'Keep this many days of history' })
      .option('now', { type: 'string', describe: 'Purge relative to this ISO date-time (default: now)' })
      .check((a) => {
        if (!(a['retention-days'] > 0)) throw new InputError(`--retention-days must be a positive number, got ${a['retention-days']}`);
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
    const record = await withGovernedStore(args.store, args, (g) => g.export(deviceArg(g, args.device)));
    writeExport(args.out, record);
    process.stdout.write(
      `Exported ${record.device}: ${record.track.length} fixes, ${record.contacts.length} contacts, ${record.journeys.length} journey visits, ` +
        `${record.personId ? 'identity binding' : 'no identity binding'} to ${args.out}/ (${EXPORT_FILES.join(', ')})\n`,
    );
  },
};

const erase: CommandModule<object, StoreArgs & { device: string }> = {
  command: 'erase',
  describe: 'Remove one device everywhere, including contacts where it is the other party',
  builder: (y) => storeOptions(y).option('device', { type: 'string', demandOption: true, describe: 'Device id (raw or pseudonymous)' }),
  handler: async (args) => {
    const erased = await withGovernedStore(args.store, args, async (g) => ({ device: deviceArg(g, args.device), counts: await g.erase(deviceArg(g, args.device)) }));
    process.stdout.write(`Erased ${erased.device}: ${counts(erased.counts)}\n`);
  },
};

const audit: CommandModule<object, StoreArgs & { verify: boolean }> = {
  command: 'audit',
  describe: 'Check the hash-chained audit log',
  builder: (y) => storeOptions(y).option('verify', { type: 'boolean', demandOption: true, describe: 'Verify every entry and the chain head' }),
  handler: async (args) => {
    const verdict = await withGovernedStore(args.store, args, (g) => g.verifyAudit());
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
    const range: TimeRange = {
      fromMs: args.from === undefined ? undefined : parseInstant(args.from, '--from'),
      toMs: args.to === undefined ? undefined : parseInstant(args.to, '--to'),
    };
    const rows = await withGovernedStore(args.store, args, (g) => g.zoneCounts(range, args.zone));
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

export const storeCommand: CommandModule = {
  command: 'store',
  describe: 'Location store: purge, export, erase, audit --verify, hotzones',
  builder: (y) => y.command(purge).command(exportCmd).command(erase).command(audit).command(hotzones).demandCommand(1, 'name a store command: purge, export, erase, audit or hotzones'),
  handler: () => {},
};
