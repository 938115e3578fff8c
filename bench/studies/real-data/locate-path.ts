// Real fingerprint data through `ctsim locate`, the way a user runs it, in
// process: the site JSON, the observations CSV (one device per test row, one
// epoch each, so every row gets its own fix) and, when given, the survey CSV
// (the training rows at their known points) are written, read back by the
// readers locate uses (site or scenario, observations, survey), resolved with
// locate's settings for --localizer X --tracker none --workers 0, and run by
// runEngine. The engine calibrates as locate does (AP beacons > survey > the
// log itself > defaults) and reports where its ranging came from. Nothing
// the engine sees carries the test rows' positions; errors are scored here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, resolveConfig, type DeepPartial, type EngineConfig } from '../../../engine/config.ts';
import type { LocalizerName } from '../../../engine/localize/index.ts';
import { readObservationsFile } from '../../../engine/io/observations-reader.ts';
import { readSurveyFile } from '../../../engine/io/survey-table.ts';
import { placeAps } from '../../../engine/calibrate/ap-placement.ts';
import type { TechCalibration } from '../../../engine/pipeline/calibration.ts';
import { runEngine } from '../../../engine/run.ts';
import { bandOf, type Site, type Tech } from '../../../engine/contract/site.ts';
import { readSiteOrScenario } from '../../twin/site-file.ts';
import { scoreLocalization } from '../../score/per-tech.ts';
import type { LocalizationScore } from '../../../reports/schemas/metrics.ts';

/** One fingerprint: a known point and one RSSI per AP of the site (null: not heard). */
export interface FingerprintRow {
  floor: number;
  x: number;
  y: number;
  rssi: (number | null)[];
}

export interface RealSite {
  floors: { id: number; widthM: number; heightM: number }[];
  /** heightM: the AP's height above its floor when the dataset gives it (else localize.apHeightM). */
  aps: { id: string; floor: number; x: number; y: number; heightM?: number }[];
  /** The devices' height above the floor when the dataset gives it (else localize.deviceHeightM). */
  deviceHeightM?: number;
  /** The site map locate reads gives the APs' ids alone: locate places them from the survey (engine/calibrate/ap-placement.ts; `aps` then only names them). */
  apsFromSurvey?: boolean;
}

export interface LocateScore {
  score: LocalizationScore;
  /** Share of fixes whose errorRadiusM held the true position (NaN: no radius, a baseline). */
  coverage: number;
  /** Test rows that got no fix. */
  missed: number;
  /** Where the engine's ranging came from (absent for a baseline outside the engine). */
  calibration?: TechCalibration;
}

/** A fix on the wrong floor is scored this far off vertically, metres (one storey; the floor-miss is counted, not hidden). */
const FLOOR_MISS_M = 4;

/**
 * The test rows located as `ctsim locate --localizer <localizer> --tracker none [--survey <survey rows>]` would; survey undefined: none given.
 * overrides: further settings, as `--set` gives them (a study's variants).
 */
export async function locateRows(
  real: RealSite, tech: Tech, survey: readonly FingerprintRow[] | undefined, test: readonly FingerprintRow[], localizer: LocalizerName,
  overrides: DeepPartial<EngineConfig> = {},
): Promise<LocateScore> {
  const work = mkdtempSync(join(tmpdir(), 'ctsim-real-'));
  try {
    const band = bandOf(tech);
    const site: Site = {
      floors: real.floors.map((f) => ({ id: f.id, name: `floor ${f.id}`, widthM: f.widthM, heightM: f.heightM, elevationM: 0 })),
      walls: [],
      zones: [],
      aps: real.aps.map((a) => ({ id: a.id, floor: a.floor, x: a.x, y: a.y, ...(a.heightM === undefined ? {} : { heightM: a.heightM }), radios: band === 'ble' ? { ble: { txPowerDbm: 0 } } : { wifi: { txPowerDbm: 0 } } })),
      ...(real.deviceHeightM === undefined ? {} : { deviceHeightM: real.deviceHeightM }),
    };
    writeFileSync(join(work, 'site.json'), JSON.stringify(real.apsFromSurvey ? { ...site, aps: site.aps.map(({ id, radios }) => ({ id, radios })) } : site));
    const lines = ['tMs,deviceId,tech,apId,rssiDbm'];
    test.forEach((r, i) => r.rssi.forEach((v, b) => {
      if (v !== null) lines.push(`${i * DEFAULT_CONFIG.ingest.epochMs + 1},row-${i},${tech},${real.aps[b].id},${v}`);
    }));
    writeFileSync(join(work, 'observations.csv'), lines.join('\n') + '\n');
    if (survey) {
      const surveyLines = ['floor,x,y,apId,band,rssiDbm'];
      for (const r of survey) r.rssi.forEach((v, b) => {
        if (v !== null && (real.apsFromSurvey || real.aps[b].floor === r.floor)) surveyLines.push(`${r.floor},${r.x},${r.y},${real.aps[b].id},${band},${v}`);
      });
      writeFileSync(join(work, 'survey.csv'), surveyLines.join('\n') + '\n');
    }

    const givenSite = readSiteOrScenario(join(work, 'site.json'), { unplaced: true });
    const log = readObservationsFile(join(work, 'observations.csv'), givenSite);
    const { site: userSite, survey: userSurvey } = placeAps(givenSite, log, survey ? readSurveyFile(join(work, 'survey.csv'), givenSite) : undefined, 'site.json');
    const config = resolveConfig({ ...overrides, run: { workers: 0 }, localize: { ...overrides.localize, method: localizer }, track: { filter: 'none' } });
    const result = await runEngine(userSite, log.observations, config, { survey: userSurvey });
    const est = result.estimates;
    const errors = new Float64Array(est.length);
    let covered = 0;
    for (let i = 0; i < est.length; i++) {
      const r = test[Number(log.observations.devices[est.deviceIdx[i]].id.slice('row-'.length))];
      errors[i] = est.floor[i] === r.floor ? Math.hypot(est.x[i] - r.x, est.y[i] - r.y) : Math.hypot(est.x[i] - r.x, est.y[i] - r.y, FLOOR_MISS_M);
      if (errors[i] <= est.errorRadiusM[i]) covered++;
    }
    return { score: scoreLocalization(errors), coverage: covered / est.length, missed: test.length - est.length, calibration: result.calibrationSources[tech] };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The usual fingerprinting baseline: weighted k-nearest survey points (each
 * point's mean fingerprint, a beacon not heard counted at notHeardDbm),
 * Euclidean in dB, weights 1/distance; nearest points on any floor. Scored
 * on the rows the engine locates too (at least localize.minAps heard), the
 * others counted as missed, as locateRows counts them.
 */
export function wknn(real: RealSite, survey: readonly FingerprintRow[], allTest: readonly FingerprintRow[], k = 5, notHeardDbm = -100): LocateScore {
  const test = allTest.filter((r) => r.rssi.filter((v) => v !== null).length >= DEFAULT_CONFIG.localize.minAps);
  const points = new Map<string, { floor: number; x: number; y: number; sum: number[]; n: number }>();
  for (const r of survey) {
    const key = `${r.floor}:${r.x}:${r.y}`;
    let p = points.get(key);
    if (!p) points.set(key, (p = { floor: r.floor, x: r.x, y: r.y, sum: new Array<number>(real.aps.length).fill(0), n: 0 }));
    r.rssi.forEach((v, b) => (p!.sum[b] += v ?? notHeardDbm));
    p.n++;
  }
  const refs = [...points.values()].map((p) => ({ ...p, fp: p.sum.map((s) => s / p.n) }));
  const errors = new Float64Array(test.length);
  test.forEach((r, i) => {
    const d = refs.map((p) => Math.sqrt(p.fp.reduce((s, v, b) => s + (v - (r.rssi[b] ?? notHeardDbm)) ** 2, 0)));
    const near = d.map((_, j) => j).sort((a, b) => d[a] - d[b]).slice(0, k);
    let sw = 0, sx = 0, sy = 0;
    const floors = new Map<number, number>();
    for (const j of near) {
      const w = 1 / Math.max(d[j], 1e-6);
      sw += w;
      sx += w * refs[j].x;
      sy += w * refs[j].y;
      floors.set(refs[j].floor, (floors.get(refs[j].floor) ?? 0) + w);
    }
    const floor = [...floors.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const dx = sx / sw - r.x, dy = sy / sw - r.y;
    errors[i] = floor === r.floor ? Math.hypot(dx, dy) : Math.hypot(dx, dy, FLOOR_MISS_M);
  });
  return { score: scoreLocalization(errors), coverage: NaN, missed: allTest.length - test.length };
}
