// How much site survey desk-level contact tracing needs: the same scenario
// and seeds run once per survey effort (grid spacing, time at each point,
// the reference device's emission interval), scored with the kriged map the
// engine builds from that survey. Per effort: readings per point and AP,
// operator hours, the map's error at seats (dB, against the simulator's own
// mean field), the seated devices' per-stay bias and contact F1.
// The engine is the same in every row; only the calibration input changes.
// Bench only: the map error reads the simulator, which the engine never may.
// Run: node bin/run-ts.js bench/studies/survey-effort.ts [--seeds 1-5] [--hours 8]
//      [--efforts 1.5:10:1,1.5:30:0.25] (spacingM:dwellS:intervalS each; default: the recorded five)
import { median } from 'simple-statistics';
import { validateScenario } from '../../scenarios/load.ts';
import { scenarioToJson } from '../../scenarios/serialize.ts';
import type { SurveySpec } from '../../scenarios/types.ts';
import { surveyEmissions, surveyPoints } from '../../sim/site-survey.ts';
import { formatTable } from '../../reports/table.ts';
import { mapOracle, type MapOracleSeed } from './map-oracle.ts';
import { seedScenarios, withSeedOptions } from '../harness/seeds.ts';
import { isEntryPoint, strictArgs } from '../entry/args.ts';
import { writeFileAtomic } from '../../engine/io/atomic-write.ts';
import { writeStudyResult } from './study-result.ts';
import { join } from 'node:path';

/** The efforts bench/results/survey-effort.* was recorded with: the library's earlier survey, a denser grid, longer or faster, and the library's survey now. */
const EFFORTS = '1.5:10:1,1:10:1,1.5:40:1,1.5:10:0.25,1.5:30:0.25';

export interface EffortRow {
  survey: SurveySpec;
  readingsPerPoint: number;
  operatorHours: number;
  seeds: MapOracleSeed[];
}

/** `1.5:10:1,1.5:30:0.25` → survey specs (spacingM:dwellS:intervalS), checked by the scenario validator. */
export function surveyEfforts(text: string, scenarioName: string): SurveySpec[] {
  const file = scenarioToJson(seedScenarios(scenarioName, [1], 1)[0]) as object;
  return text.split(',').map((part) => {
    const [spacingM, dwellS, intervalS] = part.split(':').map(Number);
    return validateScenario({ ...file, survey: { spacingM, dwellS, intervalS } }, `--efforts '${part}'`).survey!;
  });
}

export async function surveyEffort(name: string, seedList: readonly number[], hours: number, efforts: readonly SurveySpec[]): Promise<EffortRow[]> {
  const rows: EffortRow[] = [];
  for (const survey of efforts) {
    const scenarios = seedScenarios(name, seedList, hours);
    // The site, so the points, are the same for every seed.
    const points = surveyPoints(scenarios[0], survey).length;
    const seeds: MapOracleSeed[] = [];
    for (const scenario of scenarios) seeds.push(await mapOracle({ ...scenario, survey }, {}, ['kriged']));
    rows.push({ survey, readingsPerPoint: surveyEmissions(survey), operatorHours: (points * survey.dwellS) / 3600, seeds });
  }
  return rows;
}

if (isEntryPoint(import.meta.url)) {
  const args = withSeedOptions(strictArgs('bench/studies/survey-effort.ts')).options({
    efforts: { type: 'string', default: EFFORTS, describe: 'Survey efforts to compare, spacingM:dwellS:intervalS, comma-separated' },
    quick: { type: 'boolean', default: false, describe: 'print only, write nothing' },
  }).parseSync();
  const rows = await surveyEffort(args.scenario, args.seeds, args.hours, surveyEfforts(args.efforts, args.scenario));
  const med = (r: EffortRow, f: (s: MapOracleSeed) => number): string => median(r.seeds.map(f)).toFixed(3);
  const table = formatTable(
    ['spacing m', 'dwell s', 'interval s', 'readings/point', 'operator h', 'BLE map dB', 'Wi-Fi map dB', 'badge bias m', 'badge F1', 'wifi F1'],
    rows.map((r) => [
      String(r.survey.spacingM), String(r.survey.dwellS), String(r.survey.intervalS), String(r.readingsPerPoint), r.operatorHours.toFixed(1),
      med(r, (s) => s.mapErrorDb.ble.seats), med(r, (s) => s.mapErrorDb.wifi.seats),
      med(r, (s) => s.perTech['ble-badge'].kriged.seatBiasMedianM), med(r, (s) => s.perTech['ble-badge'].kriged.f1), med(r, (s) => s.perTech.wifi.kriged.f1),
    ]),
  );
  const command = `node bin/run-ts.js bench/studies/survey-effort.ts --scenario ${args.scenario} --seeds ${args.seeds.join(',')} --hours ${args.hours} --efforts ${args.efforts}`;
  if (!args.quick) writeFileAtomic(join(new URL('../results/', import.meta.url).pathname, 'survey-effort.json'), `${JSON.stringify({ command, efforts: rows }, null, 1)}\n`);
  writeStudyResult('survey-effort', args.quick, `Survey effort (${args.scenario}, seeds ${args.seeds.join(',')}, ${args.hours} h)`, [
    `\`${command}\`, default engine config, the scenario as shipped (its radio preset) with each survey taken the day of the run; medians over seeds.`,
    'Map errors are RMS against the simulator\'s mean field at the seats; badge bias is the median distance from a seated badge\'s mean fix to its seat (stays of at least 10 min); F1 of the contacts.',
  ], `${table}\n`);
}
