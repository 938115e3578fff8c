// ctsim run: scenario -> simulator -> engine -> scores, written to a folder.
// With --seeds, one run per seed (the work units --shard splits), laid out
// as a shard folder (bench/harness/shard-folder.ts) that `ctsim merge` combines.
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { runExperiment, type Experiment } from '../../bench/harness/experiment.ts';
import type { Metrics } from '../../reports/schemas/metrics.ts';
import { parseSeeds, seedUnit } from '../../bench/harness/seeds.ts';
import { MANIFEST, writeManifest, writeRows } from '../../bench/harness/shard-folder.ts';
import { parseShard, shardItems, WHOLE } from '../../bench/harness/shard.ts';
import { storeRun } from '../../bench/harness/store-run.ts';
import { writeRun } from '../../bench/harness/write-run.ts';
import { DAY_MS } from '../../engine/contract/privacy.ts';
import { checkReplaceable, replaceDir, stageDir } from '../../engine/io/atomic-write.ts';
import { DuckStore } from '../../engine/store/duckdb-store.ts';
import { loadScenario } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/types.ts';
import { RADIO_PRESETS, type RadioPreset } from '../../scenarios/validate.ts';
import { engineConfig, withEngineOptions, type EngineArgs } from '../engine-options.ts';
import { progressBar } from '../progress.ts';
import { checkOut, runsFolder } from '../out-option.ts';
import { masterKey, parseInstant, withKeyOption, type KeyArgs } from '../store-options.ts';
import { fixedOr, formatTable } from '../../reports/table.ts';
import { noFixesWhy } from '../log-checks.ts';
import { InputError } from '../../engine/contract/input-error.ts';

interface RunArgs extends EngineArgs, KeyArgs {
  store?: string;
  start?: string;
  scenario: string;
  'radio-preset'?: RadioPreset;
  seed?: number;
  seeds?: string;
  shard?: string;
  out?: string;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'Simulate a scenario, run the engine on its RSSI and score the results',
  builder: (y) =>
    withEngineOptions(withKeyOption(y))
      .option('scenario', { type: 'string', default: 'office', describe: 'Built-in scenario name or path to a scenario JSON file' })
      .option('radio-preset', { choices: Object.keys(RADIO_PRESETS) as RadioPreset[], describe: "Run on this radio preset instead of the scenario's radio.preset (ideal: the kind world, to show the gap to the realistic one)" })
      .option('seed', { type: 'number', describe: "Random seed (default: the scenario's)" })
      .option('seeds', { type: 'string', describe: 'One run per seed: a list or ranges, e.g. 1-5 or 1,4,9 (writes seed-<n>/ folders and runs.json)' })
      .option('shard', { type: 'string', describe: 'With --seeds: run only shard i of n (1-based, e.g. 2/4); combine shards with ctsim merge' })
      .conflicts('seed', 'seeds')
      .option('out', { type: 'string', describe: 'Output folder (default: runs/<scenario>-seed<seed>, or runs/<scenario>-seeds<list>[/shard-<i>-of-<n>])' })
      .option('store', { type: 'string', describe: 'Also write pseudonymous tracks and contacts into this location store' })
      .option('start', { type: 'string', describe: 'With --store: the date-time the run starts at (ISO 8601; default: today 00:00 UTC)' })
      .check((a) => {
        if (a.seed !== undefined && !(Number.isSafeInteger(a.seed))) throw new InputError(`--seed must be an integer of at most ${Number.MAX_SAFE_INTEGER} in size (what a scenario's seed takes), got ${a.seed}`);
        if (a.shard !== undefined && a.seeds === undefined) throw new InputError('--shard splits the seeds of a multi-seed run: give --seeds too');
        if (a.store !== undefined && a.seeds !== undefined) throw new InputError('--store records one run: use --seed, not --seeds');
        if (a.seeds !== undefined) parseSeeds(a.seeds);
        if (a.shard !== undefined) parseShard(a.shard);
        checkOut(a.out);
        return true;
      }),
  handler: async (args) => {
    const scenario = loadScenario(args.scenario, { radioPreset: args['radio-preset'] });
    if (args.seeds === undefined) {
      if (args.seed !== undefined) scenario.seed = args.seed;
      const out = args.out ?? runsFolder(scenario.name, `-seed${scenario.seed}`);
      checkReplaceable(out, 'metrics.json'); // before the long part
      const startMs = args.start === undefined ? Math.floor(Date.now() / DAY_MS) * DAY_MS : parseInstant(args.start, '--start');
      // Opened first: a missing or wrong key fails before the long part, with nothing written.
      const store = args.store === undefined ? undefined : await DuckStore.open(args.store, { master: masterKey(args) }, { create: true });
      const exp = await runOne(scenario, args);
      replaceDir(out, 'metrics.json', (dir) => writeRun(dir, exp));
      wrote(out, exp, args.quiet);
      if (store !== undefined) {
        const { stored, purged } = await storeRun(store, exp, { startMs, nowMs: Date.now() });
        await store.close();
        process.stdout.write(`Stored ${stored.fixes} fixes, ${stored.contacts} contacts, ${stored.bindings} identity bindings, ${stored.zoneCounts} hot-zone counts in ${args.store}` +
          ` (tracks and contacts of consented devices only; purged ${purged.fixes} fixes past retention)\n`);
      }
      return;
    }
    const seeds = parseSeeds(args.seeds);
    const shard = args.shard === undefined ? WHOLE : parseShard(args.shard);
    const shardDir = shard.count > 1 ? `/shard-${shard.index}-of-${shard.count}` : '';
    const out = args.out ?? runsFolder(scenario.name, `-seeds${args.seeds.replace(/[^0-9,-]/g, '')}${shardDir}`);
    const mine = shardItems(seeds, shard);
    // The whole shard folder is swapped in at the end: it never holds some new seeds next to old ones.
    const staged = stageDir(out, MANIFEST);
    try {
      const rows = [];
      for (const seed of mine) {
        const exp = await runOne({ ...scenario, seed }, args);
        writeRun(join(staged.path, seedUnit(seed)), exp);
        wrote(join(out, seedUnit(seed)), exp, args.quiet);
        rows.push({ unit: seedUnit(seed), seed, metrics: exp.metrics });
      }
      writeRows(staged.path, 'runs', rows);
      writeManifest(staged.path, { command: 'run', shard, units: seeds.map(seedUnit), ran: mine.map(seedUnit) });
      staged.commit();
    } catch (err) {
      staged.discard();
      throw err;
    }
    process.stdout.write(`Wrote ${out}/ (shard ${shard.index}/${shard.count}: ${mine.length} of ${seeds.length} seeds, runs.json, shard.json)\n`);
  },
};

async function runOne(scenario: Scenario, args: RunArgs): Promise<Experiment> {
  const bars = { simulate: progressBar('simulate', args.quiet), engine: progressBar('engine', args.quiet, process.stderr, 'obs') };
  let stage: keyof typeof bars = 'simulate';
  const exp = await runExperiment(scenario, {
    config: engineConfig(args),
    onStage: (s, f, total) => {
      if (s !== stage) bars[stage].done();
      stage = s;
      bars[s].update(f, total);
    },
  });
  bars[stage].done();
  return exp;
}

/** quiet: without the calibration summary. */
function wrote(out: string, exp: Experiment, quiet: boolean): void {
  const calibration = quiet ? '' : `${exp.metrics.calibration.summary}\n\n`;
  process.stdout.write(`${summaryTable(exp.metrics)}\n\n${emptyWhy(exp)}${calibration}Wrote ${out}/ (metrics.json, config.json, observations/truth/estimates/contacts/journeys/hotzones .arrow)\n`);
}

/** Why a run has no observations, or a technology it heard no fix: said, as a table of dashes does not. */
function emptyWhy({ metrics, config }: Experiment): string {
  if (metrics.throughput.observations === 0) return 'No observations: no AP heard a device (devices carried, the APs\' radios, sensitivity, the run\'s length).\n\n';
  const unfixed = Object.entries(metrics.perTech).filter(([, s]) => s.localization.n === 0).map(([tech]) => tech);
  return unfixed.length ? `No fixes for ${unfixed.join(', ')}: ${noFixesWhy(config)}.\n\n` : '';
}

function summaryTable(m: Metrics): string {
  const f = (x: number, d = 2): string => fixedOr(x, d);
  const rows = Object.entries(m.perTech).map(([tech, s]) => [
    tech,
    f(s.localization.medianErrorM), f(s.localization.p90ErrorM), f(s.localization.rmseM), f(s.localization.crlbRmseM), f(s.localization.coverage), String(s.localization.n),
    f(s.contacts.precision), f(s.contacts.recall), f(s.contacts.f1), String(s.contacts.truePairs), f(s.journeys.f1),
  ]);
  const h = m.hotZones;
  const t = m.throughput;
  return [
    `${m.scenario}, seed ${m.seed}: ${t.observations.toLocaleString('en-US')} observations, engine ${Math.round(t.obsPerSec).toLocaleString('en-US')} obs/s (${f(t.wallS, 1)} s), simulate ${f(t.simulateWallS, 1)} s`,
    '',
    formatTable(['tech', 'median m', 'p90 m', 'rmse m', 'crlb m', 'r68 cover', 'fixes', 'precision', 'recall', 'F1', 'true pairs', 'visit F1'], rows),
    '',
    ...(m.perTech['ble-app']?.phoneContacts ? [`ble-app phone-to-phone contacts: precision ${f(m.perTech['ble-app'].phoneContacts.precision)}, recall ${f(m.perTech['ble-app'].phoneContacts.recall)}, F1 ${f(m.perTech['ble-app'].phoneContacts.f1)}`] : []),
    `hot zones: ${h.engineAlerts} alerts (${h.trueAlerts} true), precision ${f(h.precision)}, recall ${f(h.recall)}, mean delay ${f(h.meanDetectionDelayS, 0)} s, false alarms ${f(h.falseAlarmMinutes, 1)} min`,
  ].join('\n');
}
