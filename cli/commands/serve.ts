// ctsim serve: the live engine behind HTTP (engine/live/server/app.ts). Reports in as
// NDJSON POSTs, events out as Server-Sent Events by role, /healthz, /metrics.
// SIGTERM (or SIGINT) drains: no new reports, the stream's held epochs are
// flushed to subscribers, then the process exits 0.
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { withDeviceShare } from '../../bench/harness/device-share.ts';
import { InputError, asInput } from '../../engine/contract/input-error.ts';
import { readObservationsFile } from '../../engine/io/observations-reader.ts';
import { readSurveyFile } from '../../engine/io/survey-table.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { engineConfig, withEngineOptions, type EngineArgs } from '../engine-options.ts';
import { readCredentials } from '../../engine/live/server/credentials.ts';
import { liveServer } from '../../engine/live/server/app.ts';

interface ServeArgs extends EngineArgs {
  site: string;
  credentials: string;
  host: string;
  port: number;
  cert?: string;
  key?: string;
  survey?: string;
  apBeacons?: string;
  latenessMs: number;
  idleEvictS: number;
  bodyLimitMb: number;
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Run the live engine as a server: NDJSON reports in, Server-Sent Events out',
  builder: (y) =>
    withEngineOptions(y)
      .option('site', { type: 'string', demandOption: true, describe: 'A scenario file or name (its site map, and its device mix for the hot-zone counted share)' })
      .option('credentials', { type: 'string', demandOption: true, describe: 'JSON file of role → [tokens] (admin, analyst, viewer)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Interface to listen on' })
      .option('port', { type: 'number', default: 8080, describe: 'Port (0: any free one; the chosen one is printed)' })
      .option('cert', { type: 'string', describe: 'TLS certificate (PEM); with --key, serve HTTPS' })
      .option('key', { type: 'string', describe: 'TLS private key (PEM)' })
      .option('survey', { type: 'string', describe: "Site survey (.csv/.arrow, e.g. a run folder's survey.arrow) for the map localizer" })
      .option('ap-beacons', { type: 'string', describe: "AP-to-AP beacon log (e.g. a run folder's ap-beacons.arrow) to calibrate from" })
      .option('lateness-ms', { type: 'number', default: 2000, describe: 'Reports this far behind the newest are reordered; older ones rejected (≥ 0)' })
      .option('idle-evict-s', { type: 'number', default: 600, describe: 'A device unseen this long is dropped with its state (≥ 1)' })
      .option('body-limit-mb', { type: 'number', default: 16, describe: 'Largest POST body, MiB (0.001..1024)' })
      .check((a) => {
        if ((a.cert === undefined) !== (a.key === undefined)) throw new InputError('--cert and --key go together');
        if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535) throw new InputError(`--port must be a whole number in 0..65535, got ${a.port}`);
        return true;
      }) as unknown as Argv<ServeArgs>,
  handler: async (args) => {
    const scenario = asInput(() => loadScenario(args.site));
    const site = scenario.site;
    const verify = readCredentials(args.credentials);
    const tls = args.cert === undefined ? undefined : asInput(() => ({ cert: readFileSync(args.cert!), key: readFileSync(args.key!) }));
    const survey = args.survey === undefined ? undefined : readSurveyFile(args.survey, site);
    const apBeacons = args.apBeacons === undefined ? undefined : readObservationsFile(args.apBeacons, site).apBeacons;
    if (!(args.bodyLimitMb >= 0.001 && args.bodyLimitMb <= 1024)) throw new InputError(`--body-limit-mb must be in 0.001..1024, got ${args.bodyLimitMb}`);
    const server = liveServer({
      site, config: withDeviceShare(scenario, engineConfig(args)), verify, tls, bodyLimitBytes: Math.round(args.bodyLimitMb * 1024 * 1024),
      live: { latenessMs: args.latenessMs, idleEvictS: args.idleEvictS, survey, apBeacons },
    });
    const address = await server.app.listen({ host: args.host, port: args.port });
    process.stdout.write(`ctsim serve: listening on ${address}\n`);
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`ctsim serve: ${signal}, draining\n`);
      server.drain().then(() => {
        const s = server.engine.stats();
        process.stdout.write(`ctsim serve: drained (${s.reportsIn} reports in, ${s.rejected} late, ${s.eventsOut} events out)\n`);
        process.exit(0);
      }, (err: unknown) => {
        process.stderr.write(`ctsim serve: drain failed: ${(err as Error).message}\n`);
        process.exit(1);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    await new Promise(() => {}); // serve until a signal
  },
};
