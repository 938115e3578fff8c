// ctsim trace: whom one device met, where and when, from either source:
//   --run DIR     a finished run folder (exposure recomputed from estimates.arrow for the window,
//                 with the engine config the run recorded in config.json)
//   --store FILE  the location store (opened with your credential; audited)
import { existsSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { DEFAULT_CONFIG } from '../../engine/config.ts';
import { CONFIG_FILE, missingConfigNote, readConfigFile } from '../../engine/io/config-file.ts';
import { readEstimates } from '../../engine/io/estimates-table.ts';
import { readObservationsArrow } from '../../engine/io/observations-reader.ts';
import { quote } from '../../engine/contract/quote.ts';
import { readJourneys } from '../../engine/io/journeys-table.ts';
import { loadScenario } from '../../scenarios/load.ts';
import type { DeviceRecord } from '../../engine/store/access.ts';
import { exportJson } from '../../engine/store/export.ts';
import { traceDevice, type TraceResult } from '../../engine/trace/trace.ts';
import { parseRange, withAccessOptions, withGovernedStore, type AccessArgs } from '../store-options.ts';
import { formatTable } from '../../reports/table.ts';
import { InputError } from '../../engine/contract/input-error.ts';

interface TraceArgs extends AccessArgs {
  run?: string;
  store?: string;
  device: string;
  from?: string;
  to?: string;
  minExposure?: number;
  json: boolean;
}

/** Seconds since the start of the run, as plain seconds (5400) or h:mm[:ss] (1:30). */
export function parseRunTime(text: string, flag: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const m = /^(\d+):([0-5]\d)(?::([0-5]\d))?$/.exec(t);
  if (m) return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000;
  throw new InputError(`${flag} must be seconds since the start of the run (5400) or h:mm[:ss] (1:30), got '${text}'`);
}

export const traceCommand: CommandModule<object, TraceArgs> = {
  command: 'trace',
  describe: "List the devices a device met, ranked by exposure, and its journey: from a run folder (--run) or a location store (--store)",
  builder: (y) =>
    withAccessOptions(y)
      .option('run', { type: 'string', describe: 'Run folder written by ctsim run' })
      .option('store', { type: 'string', describe: 'Location store file: admins trace with identities, analysts by pseudonym only, viewers are refused' })
      .option('device', { type: 'string', demandOption: true, describe: 'Device id (with --store: a pseudonym, or a raw id for admins)' })
      .option('from', { type: 'string', describe: 'Window start: --run: seconds since the run start or h:mm[:ss]; --store: ISO date or date-time' })
      .option('to', { type: 'string', describe: 'Window end, as --from' })
      .option('min-exposure', { type: 'number', describe: '--run: list devices exposed at least this many seconds in the window (default: contacts.minExposureS, 900)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the result as JSON' })
      .check((a) => {
        if ((a.run === undefined) === (a.store === undefined)) throw new InputError('name exactly one of --run DIR or --store FILE');
        if (a.minExposure !== undefined && !(Number(a.minExposure) >= 0)) throw new InputError(`--min-exposure must be seconds ≥ 0, got ${a.minExposure}`);
        // A store holds the contacts a run kept (at its contacts.minExposureS): a threshold here would be silently ignored.
        if (a.minExposure !== undefined && a.store !== undefined) throw new InputError('--min-exposure goes with --run (a store keeps the contacts its run found)');
        return true;
      }),
  handler: async (args) => {
    if (args.run !== undefined) traceRun(args.run, args);
    else await traceStore(args.store!, args);
  },
};

function traceRun(dir: string, args: TraceArgs): void {
  if (!existsSync(`${dir}/metrics.json`)) throw new InputError(`${dir}: not a finished run folder (no metrics.json)`);
  const fromTMs = args.from === undefined ? undefined : parseRunTime(args.from, '--from');
  const toTMs = args.to === undefined ? undefined : parseRunTime(args.to, '--to');
  const site = loadScenario(`${dir}/scenario.json`).site;
  const { est, devices } = readEstimates(`${dir}/estimates.arrow`);
  if (!devices.some((d) => d.id === args.device)) checkHeard(dir, args.device);
  const journeys = readJourneys(`${dir}/journeys.arrow`);
  let config = readConfigFile(`${dir}/${CONFIG_FILE}`);
  if (config === null) {
    process.stderr.write(`ctsim: ${missingConfigNote(dir)}\n`);
    config = DEFAULT_CONFIG;
  }
  const result = traceDevice(est, devices, journeys, site, config, { deviceId: args.device, fromTMs, toTMs, minExposureS: args.minExposure });
  process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatTrace(result)}\n`);
}

/**
 * A device the run's estimates do not hold (they list located devices
 * only): one its observations hold was heard but never located, said so;
 * any other is left to traceDevice's unknown device.
 */
function checkHeard(dir: string, deviceId: string): void {
  if (!existsSync(`${dir}/observations.arrow`)) return;
  const heard = readObservationsArrow(`${dir}/observations.arrow`, loadScenario(`${dir}/scenario.json`).site).observations;
  const d = heard.devices.findIndex((x) => x.id === deviceId);
  if (d < 0) return;
  let reports = 0;
  for (let i = 0; i < heard.length; i++) if (heard.deviceIdx[i] === d) reports++;
  throw new InputError(`device ${quote(deviceId)} was heard (${reports.toLocaleString('en-US')} reports) but never located in this run: nothing to trace`);
}

async function traceStore(path: string, args: TraceArgs): Promise<void> {
  const range = parseRange(args);
  const record = await withGovernedStore(path, args, (g) => g.trace(args.device, range));
  process.stdout.write(args.json ? `${JSON.stringify(exportJson(record))}\n` : `${summary(record)}\n`);
}

function clock(tMs: number): string {
  const s = Math.round(tMs / 1000);
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function formatTrace(r: TraceResult): string {
  const exposed = r.exposed.map((e) => [e.deviceId, (e.exposureS / 60).toFixed(1), e.minDistanceM.toFixed(2), e.zones.join(','), clock(e.firstTMs), clock(e.lastTMs)]);
  const journey = r.journey.map((v) => [v.zone, clock(v.enterTMs), clock(v.exitTMs), (v.dwellS / 60).toFixed(1)]);
  return [
    `${r.deviceId}: ${r.exposed.length} exposed device(s)`,
    '',
    formatTable(['device', 'exposure min', 'closest m', 'zones', 'first', 'last'], exposed),
    '',
    `journey (${r.journey.length} visits)`,
    '',
    formatTable(['zone', 'enter', 'exit', 'dwell min'], journey),
  ].join('\n');
}

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
