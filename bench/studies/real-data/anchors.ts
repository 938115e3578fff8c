// The engine on real AP-side BLE: ble-anchors-calib2021 (M. Kolakowski,
// Sensors 21, 6270, 2021; Zenodo 10.5281/zenodo.5457591, CC BY 4.0), read
// from ../shared/data/ble-anchors-calib2021. Six anchors at 1.85-2.62 m
// (aps[].heightM) hear a tag on a robot's 1.3 m pole (deviceHeightM): the
// closest shared analogue of APs hearing a badge. The log is test_robot (one
// device per row, every row scored); the survey, when given, is the
// calibration walk (calibration_df) at its known positions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Site } from '../../../engine/contract/site.ts';
import type { LocalizerName } from '../../../engine/localize/index.ts';
import type { TechCalibration } from '../../../engine/pipeline/calibration.ts';
import type { LocalizationScore } from '../../../reports/schemas/metrics.ts';
import { scoreLocalization } from '../../score/per-tech.ts';
import { dataDir } from './data-dir.ts';
import { locateRows, type ScoredRow } from './locate-cli.ts';

/** The tag's height on the robot's pole, metres (dataset description). */
const TAG_HEIGHT_M = 1.3;
/** Margin around anchors and points for the floor's extent, metres. */
const MARGIN_M = 1;

export interface AnchorsResult {
  localizer: LocalizerName;
  survey: boolean;
  calibration: TechCalibration;
  score: LocalizationScore;
  coverage: number;
}

const csv = (path: string): string[][] => readFileSync(path, 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));

/** Rows of a `*_df.csv`: x, y and rssi_1..6 by column name. */
function rowsOf(path: string): { x: number; y: number; rssi: number[] }[] {
  const header = readFileSync(path, 'utf8').split(/\r?\n/, 1)[0].split(',');
  const col = (name: string): number => header.indexOf(name);
  return csv(path).map((r) => ({ x: Number(r[col('x')]), y: Number(r[col('y')]), rssi: [1, 2, 3, 4, 5, 6].map((k) => Number(r[col(`rssi_${k}`)])) }));
}

export function evaluateAnchors(localizer: LocalizerName, withSurvey: boolean, dir = join(dataDir(), 'ble-anchors-calib2021')): AnchorsResult {
  const anchors = csv(join(dir, 'anchors.csv')).map(([id, x, y, z]) => ({ id: `anchor-${id}`, x: Number(x), y: Number(y), heightM: Number(z) }));
  const test = rowsOf(join(dir, 'tests/test_robot_df.csv'));
  const calib = rowsOf(join(dir, 'calibration/calibration_df.csv'));
  const all = [...anchors, ...test, ...calib];
  const ox = Math.min(...all.map((p) => p.x)) - MARGIN_M, oy = Math.min(...all.map((p) => p.y)) - MARGIN_M;
  const site: Site = {
    floors: [{ id: 0, name: 'lab', widthM: Math.max(...all.map((p) => p.x)) - ox + MARGIN_M, heightM: Math.max(...all.map((p) => p.y)) - oy + MARGIN_M, elevationM: 0 }],
    walls: [], zones: [],
    aps: anchors.map((a) => ({ id: a.id, floor: 0, x: a.x - ox, y: a.y - oy, heightM: a.heightM, radios: { ble: { txPowerDbm: 0 } } })),
    deviceHeightM: TAG_HEIGHT_M,
  };
  const heard = (r: { rssi: number[] }): [string, number][] => r.rssi.flatMap((v, k) => (Number.isFinite(v) ? [[anchors[k].id, v] as [string, number]] : []));
  const scored: ScoredRow[] = test.map((r) => ({ heard: heard(r), x: r.x - ox, y: r.y - oy }));
  const survey = withSurvey ? calib.flatMap((r) => heard(r).map(([apId, rssiDbm]) => ({ floor: 0, x: r.x - ox, y: r.y - oy, apId, band: 'ble' as const, rssiDbm }))) : undefined;
  const run = locateRows(site, 'ble-badge', scored, localizer, survey);
  return { localizer, survey: withSurvey, calibration: run.calibration, score: scoreLocalization(Float64Array.from(run.errorsM)), coverage: run.covered };
}
