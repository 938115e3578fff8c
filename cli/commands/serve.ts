// ctsim serve: the live engine behind HTTP (engine/live/server/app.ts). Reports in as
// NDJSON POSTs, events out as Server-Sent Events by role, /healthz, /metrics.
// With --store, every accepted report is committed to the privacy store
// (consent, pseudonyms, retention) before its POST answers, and the store's
// credentials decide who may do what. SIGTERM (or SIGINT) drains: no new
// reports, the POSTs in flight finish (their store writes too), the stream's
// held epochs are flushed to subscribers, the store is closed, exit 0.
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { withDeviceShare } from '../../bench/harness/device-share.ts';
import { InputError, asInput } from '../../engine/contract/input-error.ts';
import { readObservationsFile } from '../../engine/io/observations-reader.ts';
import { readSurveyFile } from '../../engine/io/survey-table.ts';
import { readSiteSource } from '../../bench/twin/site-file.ts';
import { engineConfig, withEngineOptions, type EngineArgs } from '../engine-options.ts';
import { DAY_MS, DEFAULT_PRIVACY } from '../../engine/contract/privacy.ts';
import { readCredentials } from '../../engine/live/server/credentials.ts';
import { liveServer } from '../../engine/live/server/app.ts';
import { LiveStore } from '../../engine/live/server/live-store.ts';
import { checkQuietMs, QUIET_MS_MAX, QUIET_MS_MIN } from '../../engine/live/quiet-clock.ts';
import { DuckStore } from '../../engine/store/duckdb-store.ts';
import { masterKey, parseInstant, withKeyOption, type KeyArgs } from '../store-options.ts';

interface ServeArgs extends EngineArgs, KeyArgs {
  site: string;
  credentials?: string;
  store?: string;
  start?: string;
  idleTickMs: number;
  drainTimeoutS: number;
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
    withEngineOptions(withKeyOption(y))
      .option('site', { type: 'string', demandOption: true, describe: 'Site map JSON ({floors, walls, zones, aps}, as ctsim locate takes), or a scenario file or name (its site map, its device mix for the hot-zone counted share, and with --store its privacy rules; a site map takes hotZones.countedShare and the default privacy rules)' })
      .option('credentials', { type: 'string', describe: 'Without --store: JSON file of role → [tokens] (admin, analyst, viewer)' })
      .option('store', { type: 'string', describe: "Commit every accepted report to this location store (created if missing; the admin's store key from --key-file or $CTSIM_STORE_KEY); its issued credentials are the server's" })
      .option('start', { type: 'string', describe: 'With --store: the date-time report tMs 0 stands for (ISO 8601; default: today 00:00 UTC, as run --store; 1970-01-01T00:00:00Z for epoch-ms streams)' })
      .option('idle-tick-ms', { type: 'number', default: 10_000, describe: `With no report for this long (wall clock), stream time runs on with the wall clock, so held fixes and hot-zone clears come out (0: off, else ${QUIET_MS_MIN}..${QUIET_MS_MAX})` })
      .option('drain-timeout-s', { type: 'number', default: 30, describe: 'On SIGTERM, give up draining after this long and exit 1 (1..3600)' })
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
        if ((a.credentials === undefined) === (a.store === undefined)) throw new InputError('give --credentials (a token file) or --store (the store\'s credentials), not both');
        if (a.start !== undefined && a.store === undefined) throw new InputError('--start goes with --store');
        asInput(() => checkQuietMs(a.idleTickMs as number, '--idle-tick-ms'));
        if (!((a.drainTimeoutS as number) >= 1 && (a.drainTimeoutS as number) <= 3600)) throw new InputError(`--drain-timeout-s must be in 1..3600, got ${a.drainTimeoutS}`);
        if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535) throw new InputError(`--port must be a whole number in 0..65535, got ${a.port}`);
        return true;
      }) as unknown as Argv<ServeArgs>,
  handler: async (args) => {
    const { site, scenario } = asInput(() => readSiteSource(args.site, { names: true }));
    const verify = args.credentials === undefined ? undefined : readCredentials(args.credentials);
    const tls = args.cert === undefined ? undefined : asInput(() => ({ cert: readFileSync(args.cert!), key: readFileSync(args.key!) }));
    const survey = args.survey === undefined ? undefined : readSurveyFile(args.survey, site);
    const apBeacons = args.apBeacons === undefined ? undefined : readObservationsFile(args.apBeacons, site).apBeacons;
    if (!(args.bodyLimitMb >= 0.001 && args.bodyLimitMb <= 1024)) throw new InputError(`--body-limit-mb must be in 0.001..1024, got ${args.bodyLimitMb}`);
    const startMs = args.start === undefined ? Math.floor(Date.now() / DAY_MS) * DAY_MS : parseInstant(args.start, '--start');
    // Opened last of the inputs and before listening: a wrong key fails here, with nothing served.
    const store = args.store === undefined ? undefined : new LiveStore(await DuckStore.open(args.store, { master: masterKey(args) }, { create: true }), {
      rules: scenario?.privacy ?? DEFAULT_PRIVACY, startMs, site,
    });
    const server = liveServer({
      site, config: scenario ? withDeviceShare(scenario, engineConfig(args)) : engineConfig(args), verify, store, tls, bodyLimitBytes: Math.round(args.bodyLimitMb * 1024 * 1024), idleTickMs: args.idleTickMs,
      live: { latenessMs: args.latenessMs, idleEvictS: args.idleEvictS, survey, apBeacons },
    });
    const address = await server.app.listen({ host: args.host, port: args.port });
    process.stdout.write(`ctsim serve: listening on ${address}${store ? ` (storing to ${args.store})` : ''}\n`);
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`ctsim serve: ${signal}, draining\n`);
      const timeout = setTimeout(() => {
        process.stderr.write(`ctsim serve: drain did not finish within ${args.drainTimeoutS} s; POSTs not yet answered were not kept\n`);
        process.exit(1);
      }, args.drainTimeoutS * 1000);
      (async () => {
        await server.drain();
        await store?.close();
      })().then(() => {
        clearTimeout(timeout);
        const s = server.engine.stats();
        process.stdout.write(`ctsim serve: drained (${s.reportsIn} reports in, ${s.rejected} late, ${s.eventsOut} events out${store ? `, ${store.stored} stored` : ''})\n`);
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
