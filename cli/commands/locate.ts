// ctsim locate: the engine alone on a user's RSSI log and site map (no
// simulator, no truth): estimates, zone journeys, contacts and the fitted
// calibration. Given the devices' known positions (--positions), it scores
// every fix against them afterwards; the engine never sees them.
import type { CommandModule } from 'yargs';
import { checkReplaceable, replaceDir, writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { writeConfigFile } from '../../engine/io/config-file.ts';
import { writeContacts } from '../../engine/io/contacts-table.ts';
import { writeEstimates } from '../../engine/io/estimates-table.ts';
import { writeJourneys } from '../../engine/io/journeys-table.ts';
import { readObservationsFile, type OnBadRow } from '../../engine/io/observations-reader.ts';
import { BAD_ROW_OPTION, noFixesWhy, reportLog } from '../log-checks.ts';
import { readSurveyFile } from '../../engine/io/survey-table.ts';
import { runEngine } from '../../engine/run.ts';
import { resolveConfig } from '../../engine/config.ts';
import { readSiteOrScenario } from '../../bench/twin/site-file.ts';
import { engineConfig, withEngineOptions, type EngineArgs } from '../engine-options.ts';
import { checkOut } from '../out-option.ts';
import { progressBar } from '../progress.ts';
import { InputError } from '../../engine/contract/input-error.ts';
import { calibrationSummary } from '../../reports/calibration-summary.ts';
import { placeAps, placementSummary } from '../../engine/calibrate/ap-placement.ts';
import { readPositionsFile } from '../../bench/twin/positions.ts';
import { positionedSpan } from '../../bench/twin/input.ts';
import { scoreByTech, scoreFixes } from '../../bench/score/known-positions.ts';
import { fixScoreTable } from '../../reports/fix-score-table.ts';
import { MAX_GAP_OPTION } from '../positions-option.ts';

interface LocateArgs extends EngineArgs {
  site: string;
  observations: string;
  apBeacons?: string;
  survey?: string;
  positions?: string;
  'max-gap-s': number;
  out: string;
  /** yargs fills it from --on-bad-row (default fail). */
  onBadRow?: OnBadRow;
}

export const locateCommand: CommandModule<object, LocateArgs> = {
  command: 'locate',
  describe: "Run the engine alone on a real RSSI log (CSV or Arrow) and a site map",
  builder: (y) =>
    withEngineOptions(y)
      .option('site', { type: 'string', demandOption: true, describe: 'Site map JSON ({floors, walls, zones, aps}; an AP may leave out its floor, x and y for --survey to place it) or a scenario file' })
      .option('observations', { type: 'string', demandOption: true, describe: 'RSSI log: .csv or .arrow with columns tMs,deviceId,tech,apId,rssiDbm' })
      .option('ap-beacons', { type: 'string', describe: "AP-to-AP beacon log (same columns, deviceId 'ap:<apId>') for calibration, if not in --observations" })
      .option('survey', { type: 'string', describe: 'Site survey (.csv or .arrow, columns floor,x,y,apId,band,rssiDbm) for the map localizer, e.g. a run folder\'s survey.arrow' })
      .option('positions', { type: 'string', describe: 'The devices\' known positions (.csv or .arrow: tMs,deviceId,floor,x,y): every fix is scored against them (score.json)' })
      .option('max-gap-s', MAX_GAP_OPTION)
      .option('out', { type: 'string', default: 'runs/locate', describe: 'Output folder (replaced as a whole)' })
      .option('on-bad-row', BAD_ROW_OPTION)
      .check((a) => {
        checkOut(a.out);
        return true;
      }),
  handler: async (args) => {
    checkReplaceable(args.out, 'calibration.json'); // before the long part
    const givenSite = readSiteOrScenario(args.site, { unplaced: true });
    const log = readObservationsFile(args.observations, givenSite, args.onBadRow);
    const skipped = [log.skipped];
    if (args.apBeacons !== undefined) {
      const extra = readObservationsFile(args.apBeacons, givenSite, args.onBadRow);
      skipped.push(extra.skipped);
      if (extra.observations.length > 0) throw new InputError(`${args.apBeacons}: holds device reports; --ap-beacons takes only 'ap:<apId>' rows`);
      if (log.apBeacons.length > 0) throw new InputError(`AP beacons given twice: in ${args.observations} and --ap-beacons`);
      log.apBeacons = extra.apBeacons;
    }
    reportLog(log.observations, givenSite, ...skipped);
    // Nothing to locate: an empty log, one of AP beacons only, or every row skipped.
    if (log.observations.length === 0) throw new InputError(`${args.observations}: no device reports to locate${log.apBeacons.length > 0 ? ` (only ${log.apBeacons.length} AP beacon reports)` : ''}`);
    const givenSurvey = args.survey === undefined ? undefined : readSurveyFile(args.survey, givenSite);
    const tracks = args.positions === undefined ? undefined : readPositionsFile(args.positions, givenSite, args['max-gap-s'] * 1000);
    if (tracks) positionedSpan(log.observations, tracks, { observations: args.observations, positions: args.positions!, maxGapS: args['max-gap-s'] });
    const { site, survey, placement } = placeAps(givenSite, log, givenSurvey, args.site);
    if (placement && !args.quiet) process.stdout.write(`${placementSummary(placement)}\n`);
    const bar = progressBar('locate', args.quiet);
    const config = resolveConfig(engineConfig(args));
    const result = await runEngine(site, log.observations, config, {
      apBeacons: log.apBeacons.length > 0 ? log.apBeacons : undefined,
      survey,
      onProgress: (f) => bar.update(f),
    });
    bar.done();
    const summary = calibrationSummary(result.calibrationSources);
    const score = tracks && scoreByTech(scoreFixes(result.estimates, log.observations, tracks));
    replaceDir(args.out, 'calibration.json', (dir) => {
      writeEstimates(`${dir}/estimates.arrow`, result.estimates, log.observations.devices);
      writeContacts(`${dir}/contacts.arrow`, result.contacts);
      writeJourneys(`${dir}/journeys.arrow`, result.journeys);
      writeConfigFile(dir, config);
      writeFileAtomic(`${dir}/calibration.json`, JSON.stringify({ summary, sources: result.calibrationSources, fits: result.calibration, ranging: result.ranging, survey: result.survey, ...(placement ? { apPlacement: placement } : {}) }, null, 2) + '\n');
      // The site map as located: every AP with its place, for calibrate and twin (which need them) or to correct by hand.
      if (placement) writeFileAtomic(`${dir}/site.json`, JSON.stringify(site, null, 2) + '\n');
      if (score) writeFileAtomic(`${dir}/score.json`, JSON.stringify({ positions: args.positions, ...score }, null, 2) + '\n');
    });
    if (!args.quiet) process.stdout.write(`${summary}\n`);
    process.stdout.write(
      `${log.observations.length.toLocaleString('en-US')} reports from ${log.observations.devices.length} devices` +
        ` (${log.apBeacons.length.toLocaleString('en-US')} AP beacon reports): ${result.estimates.length.toLocaleString('en-US')} estimates, ${result.contacts.length} contacts\n` +
        `Wrote ${args.out}/ (estimates.arrow, journeys.arrow, contacts.arrow, config.json, calibration.json${placement ? ', site.json with the APs placed' : ''}${score ? ', score.json' : ''})\n`,
    );
    if (score) {
      const unscored = result.estimates.length - score.all.fixes;
      process.stdout.write(`Against ${args.positions}: ${score.all.fixes.toLocaleString('en-US')} fixes at a known position${unscored > 0 ? ` (${unscored.toLocaleString('en-US')} outside the positions' span or gaps, not scored)` : ''}\n${fixScoreTable(score.perTech, score.all)}\n`);
    }
    // Said, not refused: the files are written and a later log of the site may locate.
    if (result.estimates.length === 0) {
      process.stdout.write(`No estimates: ${noFixesWhy(config)}\n`);
    }
  },
};
