// Six fixed BLE anchors hear a tag on a robot (Kolakowski, Sensors 21, 6270,
// 2021; Zenodo 10.5281/zenodo.5457591, CC BY 4.0), read from
// ../shared/data/ble-anchors-calib2021: AP-side, the closest shared analogue
// of APs hearing a badge, so each row is a 'ble-badge' epoch. The anchors'
// heights (1.85-2.62 m, anchors.csv z) and the tag's 1.3 m pole are in the
// site map. The log is test_robot_df (one device per row, every row scored);
// the survey, when given, is the calibration walk (calibration_df, a dense
// robot walk at known positions), through `ctsim locate` (locate-path.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeepPartial, EngineConfig } from '../../../engine/config.ts';
import type { LocalizerName } from '../../../engine/localize/index.ts';
import { dataDir } from './data-dir.ts';
import { locateRows, wknn, type FingerprintRow, type LocateScore, type RealSite } from './locate-path.ts';

/** The tag's height on the robot's pole, metres (dataset description). */
const TAG_HEIGHT_M = 1.3;
/** Margin around anchors and points for the floor's extent, metres. */
const MARGIN_M = 1;

const csv = (path: string): string[][] => readFileSync(path, 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));

/** Rows of a `*_df.csv` in the dataset's frame: x, y and rssi_1..6 by column name (empty: not heard). */
function rowsOf(path: string): FingerprintRow[] {
  const [head, ...lines] = csv(path);
  const col = (name: string): number => head.indexOf(name);
  const rssiCols = [1, 2, 3, 4, 5, 6].map((k) => col(`rssi_${k}`));
  return lines.map((v) => ({
    floor: 0, x: Number(v[col('x')]), y: Number(v[col('y')]),
    rssi: rssiCols.map((c) => (v[c] === '' || !Number.isFinite(Number(v[c])) ? null : Number(v[c]))),
  }));
}

/** The site (anchors with their heights, the tag's height) and both walks, shifted so the floor starts at 0. */
export function loadCalib2021(dir = join(dataDir(), 'ble-anchors-calib2021')): { site: RealSite; survey: FingerprintRow[]; test: FingerprintRow[] } {
  const anchors = csv(join(dir, 'anchors.csv')).slice(1).map(([id, x, y, z]) => ({ id: `anchor-${id}`, x: Number(x), y: Number(y), heightM: Number(z) }));
  const calib = rowsOf(join(dir, 'calibration/calibration_df.csv')), robot = rowsOf(join(dir, 'tests/test_robot_df.csv'));
  const all = [...anchors, ...calib, ...robot];
  const ox = Math.min(...all.map((p) => p.x)) - MARGIN_M, oy = Math.min(...all.map((p) => p.y)) - MARGIN_M;
  const shift = (r: FingerprintRow): FingerprintRow => ({ ...r, x: r.x - ox, y: r.y - oy });
  const site: RealSite = {
    floors: [{ id: 0, widthM: Math.max(...all.map((p) => p.x)) - ox + MARGIN_M, heightM: Math.max(...all.map((p) => p.y)) - oy + MARGIN_M }],
    aps: anchors.map((a) => ({ id: a.id, floor: 0, x: a.x - ox, y: a.y - oy, heightM: a.heightM })),
    deviceHeightM: TAG_HEIGHT_M,
  };
  return { site, survey: calib.map(shift), test: robot.map(shift) };
}

/** test_robot located through `ctsim locate` (with `overrides` set), with the calibration walk as its survey or without any (wknn5 always stands on it); apsFromSurvey: the site map names the anchors alone and locate places them from the survey. */
export async function evaluateCalib2021(localizer: LocalizerName | 'wknn5', survey = true, overrides: DeepPartial<EngineConfig> = {}, apsFromSurvey = false): Promise<LocateScore> {
  const { site, survey: walk, test } = loadCalib2021();
  return localizer === 'wknn5' ? wknn(site, walk, test) : locateRows({ ...site, apsFromSurvey }, 'ble-badge', survey ? walk : undefined, test, localizer, overrides);
}
