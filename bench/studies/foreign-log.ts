// A log in none of the shared datasets' habits, as a site not in
// ../shared/data may hand one in: two floors of 6 APs each, a survey of one
// scan a point on a 3 m grid (one reading per AP), and an AP-side feed in which
// each AP stamps its report of a frame by its own clock (0-0.9 s late). The
// world is plain log-distance (exponent 2.8, 15 dB a floor, 5 dB of fading a
// reading, nothing else), so any localizer's trouble here is the engine's
// reading of the files, not the radio. Written as files in the documented
// formats and read back as `ctsim locate --positions` and `ctsim twin` read
// them: every localizer with and without the survey, scored per technology,
// and the twin's rows (split time:0.5).
// Run: node bin/run-ts.js bench/studies/foreign-log.ts [--quick] (about 2 min)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../engine/config.ts';
import type { Site, Tech } from '../../engine/contract/site.ts';
import { runEngine } from '../../engine/run.ts';
import { TWIN_LOCALIZERS } from '../../engine/localize/index.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { Rng } from '../../sim/rng.ts';
import { formatTable } from '../../reports/table.ts';
import { readTwinInput } from '../twin/input.ts';
import { parseSplit } from '../twin/split.ts';
import { runTwin } from '../twin/twin.ts';
import { scoreByTech, scoreFixes } from '../score/known-positions.ts';
import { isEntryPoint, strictArgs } from '../entry/args.ts';
import { writeStudyResult } from './study-result.ts';

const FLOOR_GAP_M = 4, AP_ABOVE_DEVICE_M = 1.3;
const LEVEL_AT_1M = { wifi: -40, ble: -60 } as const;
const EXPONENT = 2.8, FLOOR_LOSS_DB = 15, FADING_DB = 5;
/** The log's receivers hear down to this; the survey's device 3 dB further, as another phone may. */
const LOG_FLOOR_DBM = -92, SURVEY_FLOOR_DBM = -95;
const DEVICES: [string, Tech][] = [['phone-a', 'wifi'], ['badge-b', 'ble-badge'], ['phone c', 'ble-app']];

function site(): Site {
  const aps = [0, 1].flatMap((floor) => [0, 1, 2, 3, 4, 5].map((i) => ({
    id: `AP-${floor}${i}`, floor, x: 5 + 10 * (i % 3), y: 5 + 12 * Math.floor(i / 3), radios: { wifi: { txPowerDbm: 18 }, ble: { txPowerDbm: 0 } },
  })));
  return { floors: [0, 1].map((id) => ({ id, name: `F${id}`, widthM: 32, heightM: 24, elevationM: FLOOR_GAP_M * id })), walls: [], zones: [], aps };
}

/** Writes site.json, log.csv, positions.csv and survey.csv of the foreign log to `dir`. */
export function writeForeignLog(dir: string, seed = 3, minutes = 20): { site: string; observations: string; positions: string; survey: string } {
  const s = site();
  const rng = new Rng(seed, 'foreign-log');
  const reading = (ap: Site['aps'][number], x: number, y: number, floor: number, band: 'wifi' | 'ble'): number => {
    const d = Math.hypot(ap.x - x, ap.y - y, (ap.floor - floor) * FLOOR_GAP_M + AP_ABOVE_DEVICE_M);
    return Math.round(LEVEL_AT_1M[band] - 10 * EXPONENT * Math.log10(d) - FLOOR_LOSS_DB * Math.abs(ap.floor - floor) + rng.normal(0, FADING_DB));
  };
  const survey = ['floor,x,y,apId,band,rssiDbm'];
  for (const floor of [0, 1]) {
    for (let x = 2; x < 32; x += 3) {
      for (let y = 2; y < 24; y += 3) {
        for (const ap of s.aps) {
          for (const band of ['wifi', 'ble'] as const) {
            const r = reading(ap, x, y, floor, band);
            if (r > SURVEY_FLOOR_DBM) survey.push(`${floor},${x},${y},${ap.id},${band},${r}`);
          }
        }
      }
    }
  }
  const rows: [number, string][] = [], positions = ['tMs,deviceId,floor,x,y'];
  const t0 = 1_700_000_000_000, steps = (minutes * 60) / 2;
  for (const [id, tech] of DEVICES) {
    let x = 3, y = 3, floor = 0;
    for (let k = 0; k < steps; k++) {
      const t = t0 + k * 2000;
      x = Math.min(30, Math.max(1, x + rng.normal(0, 0.5)));
      y = Math.min(23, Math.max(1, y + rng.normal(0, 0.5)));
      if (k === steps / 2) floor = 1;
      positions.push(`${t},${id},${floor},${x.toFixed(2)},${y.toFixed(2)}`);
      for (const ap of s.aps) {
        const r = reading(ap, x, y, floor, tech === 'wifi' ? 'wifi' : 'ble');
        if (r > LOG_FLOOR_DBM) rows.push([t + Math.floor(rng.uniform(0, 900)), `${id},${tech},${ap.id},${r}`]);
      }
    }
  }
  rows.sort((a, b) => a[0] - b[0]);
  const paths = { site: join(dir, 'site.json'), observations: join(dir, 'log.csv'), positions: join(dir, 'positions.csv'), survey: join(dir, 'survey.csv') };
  writeFileSync(paths.site, JSON.stringify(s));
  writeFileSync(paths.observations, ['tMs,deviceId,tech,apId,rssiDbm', ...rows.map(([t, rest]) => `${t},${rest}`)].join('\n') + '\n');
  writeFileSync(paths.positions, positions.join('\n') + '\n');
  writeFileSync(paths.survey, survey.join('\n') + '\n');
  return paths;
}

async function main(quick: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-foreign-'));
  try {
    const input = readTwinInput({ ...writeForeignLog(dir), maxGapS: 30 });
    const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '-');
    const rows: string[][] = [];
    for (const withSurvey of [false, true]) {
      for (const method of TWIN_LOCALIZERS) {
        const { estimates } = await runEngine(input.site, input.observations, resolveConfig({ localize: { method } }), { survey: withSurvey ? input.survey : undefined });
        const { perTech } = scoreByTech(scoreFixes(estimates, input.observations, input.tracks));
        for (const [tech, s] of Object.entries(perTech)) rows.push([withSurvey ? 'yes' : 'none', method, tech, String(s!.fixes), f(s!.medianM), f(s!.p90M), f(s!.coverage), f(s!.floorRight)]);
      }
    }
    const base = loadScenario('office', { radioPreset: 'ideal' }).radio;
    const twin = await runTwin(input, { split: parseSplit('time:0.5'), seed: 1, bootstrap: 10, base, effects: {}, engine: {}, surveyAgeDays: 0 });
    const passed = twin.rows.filter((r) => r.pass).length;
    const text = formatTable(['survey', 'localizer', 'tech', 'fixes', 'median m', 'p90 m', 'r68 cover', 'floor right'], rows) + '\n\n' +
      `twin (time:0.5): ${passed} of ${twin.rows.length} rows within tolerance; reports ${twin.reports.realTest.toLocaleString('en-US')} real, ${twin.reports.simTest.toLocaleString('en-US')} simulated\n` +
      formatTable(['metric', 'of', 'real', 'sim', 'verdict'], twin.rows.filter((r) => !r.pass).map((r) => [r.metric, r.of, f(r.real), f(r.sim), 'FAIL'])) + '\n';
    writeStudyResult('foreign-log', quick, 'A log in none of the shared datasets\' habits (bench/studies/foreign-log.ts)', [
      'Two floors of 6 APs, plain log-distance radio (exponent 2.8, 15 dB a floor, 5 dB of fading a reading), a survey of one scan a point on a 3 m grid,',
      'an AP-side feed whose APs stamp each report by their own clock (0-0.9 s late); 3 devices walking 20 min, floor 1 after 10. Seed 3.',
      'Through the readers `ctsim locate --positions` and `ctsim twin` use; the twin with the ideal preset over the office, bootstrap 10. The failing twin rows are listed.',
    ], text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) {
  const args = strictArgs('node bin/run-ts.js bench/studies/foreign-log.ts [--quick]').option('quick', { type: 'boolean', default: false, describe: 'Print only; do not write bench/results/foreign-log.md' }).parseSync();
  await main(args.quick);
}
