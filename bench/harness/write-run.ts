// A finished run's output folder: metrics.json plus the Arrow tables and
// config.json. Written into a folder of its own (see stageDir in
// engine/io/atomic-write.ts, which swaps it in as a whole).
import { writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { writeConfigFile } from '../../engine/io/config-file.ts';
import { writeContacts } from '../../engine/io/contacts-table.ts';
import { writeEstimates } from '../../engine/io/estimates-table.ts';
import { writeHotZoneAlerts, writeOccupancy } from '../../engine/io/hotzones-table.ts';
import { writeJourneys } from '../../engine/io/journeys-table.ts';
import { writeObservations } from '../../engine/io/observations-table.ts';
import { writeSurvey } from '../../engine/io/survey-table.ts';
import { SurveyColumns } from '../../engine/contract/survey.ts';
import { scenarioToJson } from '../../scenarios/serialize.ts';
import type { Experiment } from './experiment.ts';
import { writeTruthTables } from './truth-tables.ts';

export const RUN_FILES = [
  'observations.arrow', 'ap-beacons.arrow', 'survey.arrow', 'truth.arrow', 'truth-contacts.arrow', 'truth-devices.arrow',
  'estimates.arrow', 'contacts.arrow', 'phone-contacts.arrow', 'journeys.arrow', 'hotzones.arrow', 'occupancy.arrow', 'scenario.json', 'config.json', 'metrics.json',
] as const;

export function writeRun(dir: string, exp: Experiment): void {
  const { scenario, sim, engine } = exp;
  const site = scenario.site;
  writeObservations(`${dir}/observations.arrow`, sim.observations, site);
  writeObservations(`${dir}/ap-beacons.arrow`, sim.apBeacons, site);
  // Always written (no rows without a survey), so every run folder has the same files.
  writeSurvey(`${dir}/survey.arrow`, sim.survey ?? new SurveyColumns().build(), site);
  writeTruthTables(dir, sim.truth, sim.observations, site);
  writeEstimates(`${dir}/estimates.arrow`, engine.estimates, sim.observations.devices);
  writeContacts(`${dir}/contacts.arrow`, engine.contacts);
  writeContacts(`${dir}/phone-contacts.arrow`, engine.phoneContacts);
  writeJourneys(`${dir}/journeys.arrow`, engine.journeys);
  writeHotZoneAlerts(`${dir}/hotzones.arrow`, engine.hotZones.alerts);
  writeOccupancy(`${dir}/occupancy.arrow`, engine.hotZones.occupancy);
  // As a scenario file, so `ctsim run --scenario DIR/scenario.json` runs it again.
  writeFileAtomic(`${dir}/scenario.json`, JSON.stringify(scenarioToJson(scenario), null, 2) + '\n');
  // The resolved engine config, so `trace --run` and `report` use the settings the run had.
  writeConfigFile(dir, exp.config);
  // metrics.json last: its presence marks a complete run folder.
  writeFileAtomic(`${dir}/metrics.json`, JSON.stringify(exp.metrics, null, 2) + '\n');
}
