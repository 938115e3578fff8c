// How much site survey desk-level contact tracing needs: the same scenario
// and seeds run once per survey effort (grid spacing, time at each point,
// the reference device's emission interval), scored with the kriged map the
// engine builds from that survey. Per effort: readings per point and AP,
// operator hours, the map's error at seats (dB, against the simulator's own
// mean field), the seated devices' per-stay bias and contact F1.
// The engine is the same in every row; only the calibration input changes.
// Bench only: the map error reads the simulator, which the engine never may.
// Run: node bin/run-ts.js bench/survey-effort.ts [--seeds 1-5] [--hours 8]
//      [--efforts 1.5:10:1,1.5:40:1,1.5:30:0.25] (spacingM:dwellS:intervalS each)
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from 'simple-statistics';
import type { SurveySpec } from '../scenarios/types.ts';
import { surveyPoints } from '../sim/survey.ts';
import { formatTable } from '../cli/table.ts';
import { mapOracle, type MapOracleSeed } from './map-oracle.ts';
import { seedScenarios } from './seeds.ts';

export interface EffortRow {
  survey: SurveySpec;
  readingsPerPoint: number;
  operatorHours: number;
  seeds: MapOracleSeed[];
}

/** `1.5:10:1,1.5:30:0.25` → survey specs (spacingM:dwellS:intervalS). */
export function parseEfforts(text: string): SurveySpec[] {
  return text.split(',').map((part) => {
    const [spacingM, dwellS, intervalS] = part.split(':').map(Number);
    if (!(spacingM > 0 && dwellS > 0 && intervalS > 0 && intervalS <= dwellS)) {
      throw new Error(`--efforts wants spacingM:dwellS:intervalS, all positive and intervalS ≤ dwellS, got '${part}'`);
    }
    return { spacingM, dwellS, intervalS };
  });
}

export async function surveyEffort(name: string, seedsText: string, hoursText: string, efforts: readonly SurveySpec[]): Promise<EffortRow[]> {
  const rows: EffortRow[] = [];
  for (const survey of efforts) {
    const seeds: MapOracleSeed[] = [];
    let points = 0;
    for (const scenario of seedScenarios(name, seedsText, hoursText)) {
      scenario.survey = survey;
      points = surveyPoints(scenario, survey).length;
      seeds.push(await mapOracle(scenario, {}, ['kriged']));
    }
    rows.push({ survey, readingsPerPoint: Math.max(1, Math.floor(survey.dwellS / survey.intervalS)), operatorHours: (points * survey.dwellS) / 3600, seeds });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const { values } = parseArgs({ options: { seeds: { type: 'string', default: '1-5' }, hours: { type: 'string', default: '8' }, scenario: { type: 'string', default: 'office' }, efforts: { type: 'string', default: '1.5:10:1,1.5:40:1,1.5:10:0.25,1.5:30:0.25' } } });
  const rows = await surveyEffort(values.scenario!, values.seeds!, values.hours!, parseEfforts(values.efforts!));
  console.log(JSON.stringify(rows));
  const med = (r: EffortRow, f: (s: MapOracleSeed) => number): string => median(r.seeds.map(f)).toFixed(3);
  console.log(formatTable(
    ['spacing m', 'dwell s', 'interval s', 'readings/point', 'operator h', 'BLE map dB', 'Wi-Fi map dB', 'badge bias m', 'badge F1', 'wifi F1'],
    rows.map((r) => [
      String(r.survey.spacingM), String(r.survey.dwellS), String(r.survey.intervalS), String(r.readingsPerPoint), r.operatorHours.toFixed(1),
      med(r, (s) => s.mapErrorDb.ble.seats), med(r, (s) => s.mapErrorDb.wifi.seats),
      med(r, (s) => s.perTech['ble-badge'].kriged.seatBiasMedianM), med(r, (s) => s.perTech['ble-badge'].kriged.f1), med(r, (s) => s.perTech.wifi.kriged.f1),
    ]),
  ));
  console.log(`(medians over seeds ${values.seeds}, ${values.scenario}, ${values.hours} h)`);
}
