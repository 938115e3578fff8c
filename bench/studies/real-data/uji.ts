// The engine on real BLE data: the UJI BLE fingerprint database
// (Mendoza-Silva et al., Zenodo 10.5281/zenodo.1618692, CC BY 4.0), read from
// ../shared/data/ble-localization-uji. Phones heard fixed beacons, so the
// beacons are the site's APs and every fingerprint row is a 'ble-app' epoch.
//
// The path is the one a user takes with `ctsim locate`: a site JSON and an
// observations CSV are written, read back through engine/io, and run by
// runEngine. Calibration is a calibration walk: the log-distance model is
// fitted (engine/calibrate fitLogDistance) on the training rows' known
// positions only; error is scored on the other rows.
//   lib: train on campaign 2, test on campaign 3 (one tx power, -12 dBm).
//   geo: tx-power code 2 only (one power); train on even points, test on odd.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitLogDistance, type BandFit } from '../../../engine/calibrate/ap-beacons.ts';
import { DEFAULT_CONFIG } from '../../../engine/config.ts';
import type { LocalizerName } from '../../../engine/localize/index.ts';
import { readObservationsCsv } from '../../../engine/io/observations-reader.ts';
import { readSiteFile } from '../../../engine/io/site-reader.ts';
import { runEngine } from '../../../engine/run.ts';
import type { Site } from '../../../engine/contract/site.ts';
import { dataDir } from './data-dir.ts';
import { scoreLocalization } from '../../score/per-tech.ts';
import type { LocalizationScore } from '../../../reports/schemas/metrics.ts';

export type UjiZone = 'lib' | 'geo';
/** The database marks a beacon not heard as RSSI 100. */
const NOT_HEARD = 100;
/** Margin around beacons and points for the floor's extent, metres. */
const MARGIN_M = 2;

export interface Row {
  rssi: number[];
  x: number;
  y: number;
  campaign: number;
  point: number;
  txCode: number;
  /** The phone that measured the row (id digit 1, the dataset's readme: phone = floor(id / 1e7)). */
  phone: number;
}

const csvRows = (path: string): string[][] =>
  readFileSync(path, 'utf8').trim().split(/\r?\n/).map((l) => l.split(',').map((s) => s.trim()));

export function loadZone(dir: string, zone: UjiZone): { beacons: { id: string; x: number; y: number }[]; rows: Row[] } {
  const beacons = csvRows(join(dir, 'dep', `${zone}.csv`)).slice(1).map(([id, x, y]) => ({ id, x: Number(x), y: Number(y) }));
  const rss = csvRows(join(dir, 'rss', `${zone}_rss.csv`));
  const crd = csvRows(join(dir, 'rss', `${zone}_crd.csv`));
  const ids = csvRows(join(dir, 'rss', `${zone}_ids.csv`));
  const rows = rss.map((r, i) => {
    const id = ids[i][0];
    return { rssi: r.map(Number), x: Number(crd[i][0]), y: Number(crd[i][1]), txCode: Number(id[1]), campaign: Number(id[2]), point: Number(id.slice(3, 6)), phone: Number(id[0]) };
  });
  return { beacons, rows };
}

function split(zone: UjiZone, rows: Row[]): { train: Row[]; test: Row[] } {
  if (zone === 'lib') return { train: rows.filter((r) => r.campaign === 2), test: rows.filter((r) => r.campaign === 3) };
  const one = rows.filter((r) => r.txCode === 2);
  return { train: one.filter((r) => r.point % 2 === 0), test: one.filter((r) => r.point % 2 === 1) };
}

export interface UjiResult {
  zone: UjiZone;
  localizer: LocalizerName;
  fit: BandFit;
  trainRows: number;
  score: LocalizationScore;
  /** Share of test rows whose errorRadiusM held the true position. */
  coverage: number;
}

export async function evaluateUji(zone: UjiZone, localizer: LocalizerName, dir = join(dataDir(), 'ble-localization-uji/data/')): Promise<UjiResult> {
  const { beacons, rows } = loadZone(dir, zone);
  const { train, test } = split(zone, rows);
  const cfg = DEFAULT_CONFIG;
  const dh = cfg.localize.apHeightM - cfg.localize.deviceHeightM;
  // Calibration walk: loss relative to 0 dBm against the known distance.
  const logD: number[] = [], lossDb: number[] = [];
  for (const r of train) {
    r.rssi.forEach((v, b) => {
      if (v === NOT_HEARD) return;
      logD.push(Math.log10(Math.max(Math.hypot(r.x - beacons[b].x, r.y - beacons[b].y, dh), 1)));
      lossDb.push(-v);
    });
  }
  const fit = fitLogDistance(logD, lossDb, cfg.calibrate, cfg.ranging['ble-app'].pathLossExponent);

  const work = mkdtempSync(join(tmpdir(), `ctsim-uji-${zone}-`));
  try {
    const xs = [...beacons.map((b) => b.x), ...rows.map((r) => r.x)], ys = [...beacons.map((b) => b.y), ...rows.map((r) => r.y)];
    const ox = Math.min(...xs) - MARGIN_M, oy = Math.min(...ys) - MARGIN_M;
    const site: Site = {
      floors: [{ id: 0, name: zone, widthM: Math.max(...xs) - ox + MARGIN_M, heightM: Math.max(...ys) - oy + MARGIN_M, elevationM: 0 }],
      walls: [],
      zones: [],
      aps: beacons.map((b) => ({ id: b.id, floor: 0, x: b.x - ox, y: b.y - oy, radios: { ble: { txPowerDbm: 0 } } })),
    };
    writeFileSync(join(work, 'site.json'), JSON.stringify(site));
    // One epoch per test row: device row-<i> at t = i·epoch.
    const lines = ['tMs,deviceId,tech,apId,rssiDbm'];
    test.forEach((r, i) => r.rssi.forEach((v, b) => {
      if (v !== NOT_HEARD) lines.push(`${i * cfg.ingest.epochMs + 1},row-${i},ble-app,${beacons[b].id},${v}`);
    }));
    writeFileSync(join(work, 'observations.csv'), lines.join('\n') + '\n');

    const userSite = readSiteFile(join(work, 'site.json'));
    const log = readObservationsCsv(join(work, 'observations.csv'), userSite);
    const ranging = { ...cfg.ranging['ble-app'], refRssiDbmAt1m: -fit.lossAt1mDb, pathLossExponent: fit.pathLossExponent, sigmaDb: fit.residualSigmaDb };
    const result = await runEngine(userSite, log.observations, { run: { workers: 0 }, localize: { method: localizer }, track: { filter: 'none' }, ranging: { 'ble-app': ranging } });
    const est = result.estimates;
    const errors = new Float64Array(est.length);
    let covered = 0;
    for (let i = 0; i < est.length; i++) {
      const r = test[Number(log.observations.devices[est.deviceIdx[i]].id.slice('row-'.length))];
      errors[i] = Math.hypot(est.x[i] + ox - r.x, est.y[i] + oy - r.y);
      if (errors[i] <= est.errorRadiusM[i]) covered++;
    }
    return { zone, localizer, fit, trainRows: train.length, score: scoreLocalization(errors), coverage: covered / est.length };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
