// Six fixed BLE anchors hear a tag on a robot (Kolakowski, Sensors 21, 6270,
// 2021; Zenodo 10.5281/zenodo.5457591, CC BY 4.0), read from
// ../shared/data/ble-anchors-calib2021: AP-side, so each row is a
// 'ble-badge' epoch. The map comes from calibration_df (the survey, a dense
// robot walk), the fixes from test_robot_df, through the locate path.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalizerName } from '../../../engine/localize/index.ts';
import { dataDir } from './data-dir.ts';
import { locateRows, wknn, type ExtraConfig, type FingerprintRow, type LocateScore, type RealSite } from './locate-path.ts';

/** Margin around anchors and points for the floor's extent, metres (the anchor frame starts near 0). */
const MARGIN_M = 1;

function rows(path: string): FingerprintRow[] {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const head = lines[0].split(',');
  const col = (name: string): number => head.indexOf(name);
  const rssiCols = [1, 2, 3, 4, 5, 6].map((k) => col(`rssi_${k}`));
  return lines.slice(1).map((l) => {
    const v = l.split(',');
    return {
      floor: 0, x: Number(v[col('x')]) + MARGIN_M, y: Number(v[col('y')]) + MARGIN_M,
      rssi: rssiCols.map((c) => (v[c] === '' || !Number.isFinite(Number(v[c])) ? null : Number(v[c]))),
    };
  });
}

export function loadCalib2021(dir = join(dataDir(), 'ble-anchors-calib2021')): { site: RealSite; survey: FingerprintRow[]; test: FingerprintRow[] } {
  const anchors = readFileSync(join(dir, 'anchors.csv'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',').map(Number));
  const survey = rows(join(dir, 'calibration/calibration_df.csv')), test = rows(join(dir, 'tests/test_robot_df.csv'));
  const xs = [...anchors.map((a) => a[1] + MARGIN_M), ...survey.map((r) => r.x), ...test.map((r) => r.x)];
  const ys = [...anchors.map((a) => a[2] + MARGIN_M), ...survey.map((r) => r.y), ...test.map((r) => r.y)];
  const site: RealSite = {
    floors: [{ id: 0, widthM: Math.max(...xs) + MARGIN_M, heightM: Math.max(...ys) + MARGIN_M }],
    aps: anchors.map(([id, x, y, z]) => ({ id: String(id), floor: 0, x: x + MARGIN_M, y: y + MARGIN_M, z })),
  };
  return { site, survey, test };
}

export async function evaluateCalib2021(localizer: LocalizerName | 'wknn5', extra: ExtraConfig = {}): Promise<LocateScore> {
  const { site, survey, test } = loadCalib2021();
  return localizer === 'wknn5' ? wknn(site, survey, test) : locateRows(site, 'ble-badge', survey, test, localizer, extra);
}
