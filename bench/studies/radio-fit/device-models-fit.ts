// The two fits behind sim/radio/device-models.ts.
// - Receive offsets of phone models: ble-localization-uji's library set was
//   measured by three phones at the same points and beacons (id digit 1 is
//   the phone, the dataset's readme). Each phone's offset is its mean RSSI
//   minus the three phones' mean, over the (point, beacon) pairs all three heard.
// - A tag's antenna pattern with no body near it: ble-anchors-calib2021's tag
//   rides a robot on a pole, with its heading logged. Per anchor, RSSI is
//   fitted by log-distance, then the residual by a cosine of (bearing to the
//   anchor − heading); the depth is the cosine's peak to trough.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { join } from 'node:path';
import { linearRegression, mean, median, sampleStandardDeviation } from 'simple-statistics';
import { dataDir } from '../real-data/data-dir.ts';
import { loadZone } from '../real-data/uji.ts';

/** Height of the tag on the robot's pole, m (the dataset's readme). */
const TAG_HEIGHT_M = 1.3;

export interface PhoneOffsets {
  /** Offset of each phone (by its id digit) from the phones' mean, dB. */
  offsetDb: Record<number, number>;
  /** Sample sd of those offsets, dB. */
  sigmaDb: number;
  /** (point, beacon) pairs all phones heard. */
  pairs: number;
}

export function ujiPhoneOffsets(dir = join(dataDir(), 'ble-localization-uji/data/')): PhoneOffsets {
  const { rows } = loadZone(dir, 'lib');
  // Mean RSSI per (point position, beacon) per phone.
  const sums = new Map<string, Map<number, [number, number]>>();
  for (const row of rows) {
    row.rssi.forEach((v, b) => {
      if (v === null) return; // not heard
      const key = `${row.x.toFixed(1)},${row.y.toFixed(1)},${b}`;
      const byPhone = sums.get(key) ?? sums.set(key, new Map()).get(key)!;
      const s = byPhone.get(row.phone) ?? [0, 0];
      byPhone.set(row.phone, [s[0] + v, s[1] + 1]);
    });
  }
  const phones = [...new Set([...sums.values()].flatMap((m) => [...m.keys()]))].sort();
  const shared = [...sums.values()].filter((m) => phones.every((p) => m.has(p)));
  const offsetDb: Record<number, number> = {};
  for (const p of phones) {
    offsetDb[p] = mean(shared.map((m) => {
      const means = phones.map((q) => m.get(q)![0] / m.get(q)![1]);
      return m.get(p)![0] / m.get(p)![1] - mean(means);
    }));
  }
  return { offsetDb, sigmaDb: sampleStandardDeviation(Object.values(offsetDb)), pairs: shared.length };
}

export interface AntennaFit {
  anchor: number;
  readings: number;
  depthDb: number;
}

export function anchorAntennaFits(dir = join(dataDir(), 'ble-anchors-calib2021')): AntennaFit[] {
  const anchors = csv(join(dir, 'anchors.csv')).map((r) => ({ id: Number(r.id), x: Number(r.x), y: Number(r.y), z: Number(r.z) }));
  const rows = csv(join(dir, 'calibration', 'calibration_df.csv'));
  return anchors.map((a) => {
    const heard = rows.filter((r) => r[`rssi_${a.id}`] !== '' && !Number.isNaN(Number(r[`rssi_${a.id}`])));
    const logD = heard.map((r) => Math.log10(Math.hypot(Number(r.x) - a.x, Number(r.y) - a.y, a.z - TAG_HEIGHT_M)));
    const rssi = heard.map((r) => Number(r[`rssi_${a.id}`]));
    const line = linearRegression(logD.map((x, i) => [x, rssi[i]]));
    const residual = rssi.map((v, i) => v - (line.b + line.m * logD[i]));
    const angle = heard.map((r) => Math.atan2(a.y - Number(r.y), a.x - Number(r.x)) - Number(r.heading));
    return { anchor: a.id, readings: heard.length, depthDb: fitCosineResidual(angle, residual).depthDb };
  });
}

export const medianAntennaDepthDb = (fits: readonly AntennaFit[]): number => median(fits.map((f) => f.depthDb));

const csv = (path: string): Record<string, string>[] => parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true });

/** Least squares of residual = c·cos θ + s·sin θ at any angles (the robot's headings are not evenly spread); depth = 2·√(c² + s²). */
export function fitCosineResidual(angleRad: readonly number[], residualDb: readonly number[]): { depthDb: number } {
  let cc = 0, ss = 0, cs = 0, rc = 0, rs = 0;
  angleRad.forEach((a, i) => {
    const c = Math.cos(a), s = Math.sin(a);
    cc += c * c;
    ss += s * s;
    cs += c * s;
    rc += residualDb[i] * c;
    rs += residualDb[i] * s;
  });
  const det = cc * ss - cs * cs;
  return { depthDb: 2 * Math.hypot((rc * ss - rs * cs) / det, (rs * cc - rc * cs) / det) };
}
