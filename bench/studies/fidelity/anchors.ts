// ble-anchors-calib2021 (M. Kolakowski, Sensors 21, 6270, 2021; Zenodo
// 10.5281/zenodo.5457591, CC BY 4.0) in the twin format: six fixed anchors
// (the APs) hear a tag on a robot (tech ble-badge), positions from LiDAR SLAM.
// The calibration run calibrates and is the survey, its positions snapped to
// a 0.5 m grid (a survey stands at points; 4,104 distinct robot positions
// would make the engine's survey map far slower than any survey a site walks);
// test_robot is compared.
// Each anchor averages two modules, so RSSI is not whole dBm; an empty cell is not heard.
// test_robot has no empty cell (0 of 4,314) where the calibration run has 9.5 % (2,347 of 24,624):
// the test file was gap-filled, so its hearing rate reads 1.00 at every distance and the twin's
// hearing rows (the calibration run's losses) cannot agree with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Site } from '../../../engine/contract/site.ts';
import { frameAround, writeTwinFiles, type Fix, type Reading, type SurveyReading, type TwinCase } from './twin-files.ts';

const SURVEY_GRID_M = 0.5;
const snap = (v: number): number => Math.round(v / SURVEY_GRID_M) * SURVEY_GRID_M;

const csvRows = (path: string): string[][] => readFileSync(path, 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));

export function anchorsCase(dataDir: string, workDir: string): TwinCase {
  const dir = join(dataDir, 'ble-anchors-calib2021');
  const anchors = csvRows(join(dir, 'anchors.csv')).slice(1).map(([id, x, y]) => ({ id: `A${id}`, x: Number(x), y: Number(y) }));
  const load = (path: string, deviceId: string) => {
    const [header, ...rows] = csvRows(path);
    const col = (name: string): number => header.indexOf(name);
    return rows.map((r) => ({
      deviceId, tNs: Number(r[col('ts')]), x: Number(r[col('x')]), y: Number(r[col('y')]),
      rssi: anchors.map((_, k) => (r[col(`rssi_${k + 1}`)] === '' ? NaN : Number(r[col(`rssi_${k + 1}`)]))),
    }));
  };
  const cal = load(join(dir, 'calibration/calibration_df.csv'), 'tag-calibration');
  const test = load(join(dir, 'tests/test_robot_df.csv'), 'tag-test');
  const all = [...cal, ...test];
  const f = frameAround([...anchors.map((a) => a.x), ...all.map((r) => r.x)], [...anchors.map((a) => a.y), ...all.map((r) => r.y)]);
  const t0 = Math.min(...all.map((r) => r.tNs));
  const site: Site = {
    floors: [{ id: 0, name: 'lab', widthM: f.widthM, heightM: f.heightM, elevationM: 0 }],
    walls: [], zones: [],
    aps: anchors.map((a) => ({ id: a.id, floor: 0, x: a.x - f.ox, y: a.y - f.oy, radios: { ble: { txPowerDbm: 0 } } })),
  };
  const readings: Reading[] = [], fixes: Fix[] = [], survey: SurveyReading[] = [];
  for (const r of all) {
    const tMs = Math.round((r.tNs - t0) / 1e6), x = r.x - f.ox, y = r.y - f.oy;
    fixes.push({ tMs, deviceId: r.deviceId, floor: 0, x, y });
    r.rssi.forEach((v, k) => {
      if (Number.isNaN(v)) return;
      readings.push({ tMs, deviceId: r.deviceId, apId: anchors[k].id, rssiDbm: Math.round(v * 10) / 10 });
      if (r.deviceId === 'tag-calibration') survey.push({ floor: 0, x: snap(x), y: snap(y), apId: anchors[k].id, rssiDbm: Math.round(v * 10) / 10 });
    });
  }
  fixes.sort((a, b) => a.tMs - b.tMs);
  return {
    name: 'anchors-calib2021',
    about: 'ble-anchors-calib2021: six anchors hear a robot-borne tag; calibration run calibrates (and is the survey), test_robot compared',
    paths: writeTwinFiles(workDir, site, 'ble-badge', readings, fixes, survey, 'ble'), split: 'device:tag-test', surveyAgeDays: 0, surveyGridM: SURVEY_GRID_M,
  };
}
