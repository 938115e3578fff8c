// ctsim trace: who was exposed to a device, where and when, over a finished run's outputs.
import { existsSync, readFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { DEFAULT_CONFIG } from '../../engine/config.ts';
import { readEstimates } from '../../engine/io/estimates-table.ts';
import { readJourneys } from '../../engine/io/journeys-table.ts';
import { traceDevice, type TraceResult } from '../../engine/trace/trace.ts';
import type { Site } from '../../engine/site.ts';
import { formatTable } from '../table.ts';

interface TraceArgs {
  run: string;
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
  throw new Error(`${flag} must be seconds since the start of the run (5400) or h:mm[:ss] (1:30), got '${text}'`);
}

export const traceCommand: CommandModule<object, TraceArgs> = {
  command: 'trace',
  describe: "List the devices exposed to a device in a finished run, ranked by exposure, and the device's journey",
  builder: (y) =>
    y
      .option('run', { type: 'string', demandOption: true, describe: 'Run folder written by ctsim run' })
      .option('device', { type: 'string', demandOption: true, describe: 'Index device id (as in estimates.arrow)' })
      .option('from', { type: 'string', describe: 'Window start: seconds since the run start, or h:mm[:ss]' })
      .option('to', { type: 'string', describe: 'Window end: seconds since the run start, or h:mm[:ss]' })
      .option('min-exposure', { type: 'number', describe: 'List devices exposed at least this many seconds in the window (default: contacts.minExposureS, 900)' })
      .check((a) => {
        if (a.minExposure !== undefined && !(Number(a.minExposure) >= 0)) throw new Error(`--min-exposure must be seconds ≥ 0, got ${a.minExposure}`);
        return true;
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print the result as JSON' }),
  handler: (args) => {
    const dir = args.run;
    if (!existsSync(`${dir}/metrics.json`)) throw new Error(`${dir}: not a finished run folder (no metrics.json)`);
    const fromTMs = args.from === undefined ? undefined : parseRunTime(args.from, '--from');
    const toTMs = args.to === undefined ? undefined : parseRunTime(args.to, '--to');
    const site = readRunSite(`${dir}/scenario.json`);
    const { est, devices } = readEstimates(`${dir}/estimates.arrow`);
    const journeys = readJourneys(`${dir}/journeys.arrow`);
    const result = traceDevice(est, devices, journeys, site, DEFAULT_CONFIG, { deviceId: args.device, fromTMs, toTMs, minExposureS: args.minExposure });
    process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatTrace(result)}\n`);
  },
};

/** The site map of the scenario as run (walls already carry lossDb, so it is not re-validated as a scenario file). */
function readRunSite(path: string): Site {
  let site: Partial<Site> | undefined;
  try {
    site = (JSON.parse(readFileSync(path, 'utf8')) as { site?: Partial<Site> }).site;
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
  for (const key of ['floors', 'walls', 'zones', 'aps'] as const) {
    if (!Array.isArray(site?.[key])) throw new Error(`${path}: site.${key} is missing or not a list`);
  }
  return site as Site;
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
