// ctsim trace --store: where one device was and whom it met, from the
// location store (role-checked and audited).
import type { CommandModule } from 'yargs';
import type { DeviceRecord } from '../../engine/store/access.ts';
import { exportJson } from '../../engine/store/export.ts';
import { deviceArg, parseInstant, withActorOptions, withGovernedStore, withKeyOption, type ActorArgs, type KeyArgs } from '../store-options.ts';
import { formatTable } from '../table.ts';

interface TraceArgs extends KeyArgs, ActorArgs {
  store: string;
  device: string;
  from?: string;
  to?: string;
  json: boolean;
}

export const traceCommand: CommandModule<object, TraceArgs> = {
  command: 'trace',
  describe: 'Trace one device from a location store: its track, journeys and contacts',
  builder: (y) =>
    withActorOptions(withKeyOption(y))
      .option('store', { type: 'string', demandOption: true, describe: 'Location store file' })
      .option('device', { type: 'string', demandOption: true, describe: 'Device id (raw or pseudonymous)' })
      .option('from', { type: 'string', describe: 'Only history from this ISO date-time' })
      .option('to', { type: 'string', describe: 'Only history up to this ISO date-time' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the whole record as JSON' }),
  handler: async (args) => {
    const range = {
      fromMs: args.from === undefined ? undefined : parseInstant(args.from, '--from'),
      toMs: args.to === undefined ? undefined : parseInstant(args.to, '--to'),
    };
    const record = await withGovernedStore(args.store, args, (g) => g.trace(deviceArg(g, args.device), range));
    process.stdout.write(args.json ? `${JSON.stringify(exportJson(record))}\n` : `${summary(record)}\n`);
  },
};

function summary(r: DeviceRecord): string {
  const iso = (ms: number): string => new Date(ms).toISOString();
  const t = r.track;
  const lines = [
    `${r.device}${r.personId === undefined ? '' : ` (person: ${r.personId ?? 'no binding'})`}: ` +
      (t.length === 0 ? 'no fixes' : `${t.length} fixes from ${iso(t.tMs[0])} to ${iso(t.tMs[t.length - 1])}`) +
      `, ${r.journeys.length} journey visits, ${r.contacts.length} contacts`,
  ];
  if (r.contacts.length > 0) {
    const rows = r.contacts.map((c) => [c.a === r.device ? c.b : c.a, c.tech, (c.exposureS / 60).toFixed(1), c.minDistanceM.toFixed(2), iso(c.firstTMs), iso(c.lastTMs)]);
    lines.push('', formatTable(['other device', 'tech', 'exposure min', 'closest m', 'first', 'last'], rows));
  }
  return lines.join('\n');
}
