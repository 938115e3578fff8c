// The site survey end to end: the scenario field, the simulated calibration
// walk, its file (Arrow/CSV, row-numbered errors), the kriged radio map
// against the simulator's own channel, and the map localizer against WLS.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { surveyRadioMaps } from '../engine/calibrate/survey-map.ts';
import { surveyRows } from '../engine/calibrate/map-radius.ts';
import { resolveConfig } from '../engine/config.ts';
import { pointInPolygon } from '../engine/contract/geometry.ts';
import { readEstimates } from '../engine/io/estimates-table.ts';
import { readSurveyFile, writeSurvey } from '../engine/io/survey-table.ts';
import { siteLayout } from '../engine/localize/layout.ts';
import { runEngine } from '../engine/run.ts';
import { validateScenario } from '../scenarios/validate.ts';
import { crlbModel, crlbVarianceM2, surveyCrlb } from '../bench/score/crlb.ts';
import { engineInputs } from '../bench/harness/experiment.ts';
import { localizationErrors, scoreLocalization } from '../bench/score/per-tech.ts';
import { BandChannel } from '../sim/radio/channel.ts';
import { simulate } from '../sim/simulate.ts';
import { simulateSurvey, surveyPoints } from '../sim/site-survey.ts';
import { ctsim } from './helpers/cli.ts';
import { expectSameData } from './helpers/same-data.ts';
import { shortOffice, writeShortOffice } from './helpers/short-office.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctsim-survey-'));
const office = shortOffice();
office.durationS = 1800;
// The thorough survey these suites were set on (120 readings a point, no drift); the library's is about an operator-hour (10).
office.survey = { ...office.survey!, dwellS: 30, intervalS: 0.25, ageDays: 0 };
const channels = (s = office) => ({
  wifi: new BandChannel(s.site, 'wifi', s.radio.wifi, s.radio.effects, s.seed),
  ble: new BandChannel(s.site, 'ble', s.radio.ble, s.radio.effects, s.seed),
});
const survey = simulateSurvey(office, office.survey!, channels());

describe('survey scenario field', () => {
  const raw = JSON.parse(readFileSync(new URL('../scenarios/office.json', import.meta.url), 'utf8'));
  it.each([
    [{ spacingM: 0, dwellS: 10 }, /survey\.spacingM.*must be at least 0\.25, got 0/],
    [{ spacingM: 1.5, dwellS: 2, intervalS: 5 }, /survey\.intervalS.*must not exceed survey\.dwellS/],
    [{ spacingM: 1.5 }, /survey.*dwellS/],
  ])('rejects %j naming the field', (bad, message) => {
    expect(() => validateScenario({ ...raw, survey: bad }, 'x.json')).toThrow(message);
  });
});

describe('simulated survey', () => {
  it('reads every AP at every point inside a zone, dwellS/intervalS times less losses, deterministically', () => {
    const points = surveyPoints(office, office.survey!);
    expect(points.length).toBeGreaterThan(300);
    expect(points.every((p) => office.site.zones.some((z) => pointInPolygon(p.x, p.y, z.polygon)))).toBe(true);
    // 8 APs × 2 bands × dwellS/intervalS emissions per point, minus packet loss (5% Wi-Fi, none on BLE) and the odd reading below sensitivity.
    const emissions = office.survey!.dwellS / office.survey!.intervalS;
    expect(emissions).toBe(120);
    const full = points.length * 8 * 2 * emissions;
    // At most (0.95 + 1) / 2 heard; measured 0.954.
    expect(survey.length / full).toBeGreaterThan(0.9);
    expect(survey.length / full).toBeLessThan(0.975);
    expectSameData(simulateSurvey(office, office.survey!, channels()), survey);
  });

  it('round-trips through survey.arrow and reads the same from CSV; a bad row is named', () => {
    const path = join(dir, 'survey.arrow');
    writeSurvey(path, survey, office.site);
    expectSameData(readSurveyFile(path, office.site), survey);
    const truncated = join(dir, 'truncated.arrow');
    const bytes = readFileSync(path);
    writeFileSync(truncated, bytes.subarray(0, bytes.length >> 1));
    expect(() => readSurveyFile(truncated, office.site)).toThrow(/truncated\.arrow: not a readable Arrow IPC file \(.+\)$/);
    expect(() => readSurveyFile(join(dir, 'absent.arrow'), office.site)).toThrow(/absent\.arrow: no such file$/);
    const ap = office.site.aps[0].id;
    const csv = (row: string) => {
      const p = join(dir, 'survey.csv');
      writeFileSync(p, ['floor,x,y,apId,band,rssiDbm', `0,1.5,2,${ap},ble,-60`, row].join('\n'));
      return p;
    };
    expect(readSurveyFile(csv(`0,3,2,${ap},wifi,-55`, ), office.site).length).toBe(2);
    expect(() => readSurveyFile(csv(`0,3,2,${ap},zigbee,-55`), office.site)).toThrow(/survey\.csv:3: band 'zigbee' is not one of wifi, ble/);
    expect(() => readSurveyFile(csv(`0,300,2,${ap},ble,-55`), office.site)).toThrow(/survey\.csv:3: point \(300, 2\) lies outside floor 0/);
    expect(() => readSurveyFile(csv(`0,3,2,nowhere,ble,-55`), office.site)).toThrow(/survey\.csv:3: apId 'nowhere' is not an AP of the site/);
    expect(() => readSurveyFile(csv(`7,3,2,${ap},ble,-55`), office.site)).toThrow(/survey\.csv:3: floor 7 is not a floor of the site/);
    expect(() => readSurveyFile(csv(`0,3,2,${ap},ble,loud`), office.site)).toThrow(/survey\.csv:3: rssiDbm 'loud' is not a number/);
  });
});

describe('survey radio map', () => {
  it('is built only from 4 surveyed points up: fewer leave none out to check it by (a one-spot survey made real fixes worse than none)', () => {
    const cfg = resolveConfig({ localize: { method: 'map' } });
    const layout = siteLayout(office.site);
    const spots = [...new Set(Array.from(survey.x, (x, i) => `${x}:${survey.y[i]}`))];
    const atSpots = (n: number) => surveyRows(survey, Uint8Array.from(survey.x, (x, i) => (spots.slice(0, n).includes(`${x}:${survey.y[i]}`) ? 1 : 0)), 1);
    expect(Object.keys(surveyRadioMaps(office.site, layout, atSpots(3), cfg).maps)).toEqual([]);
    expect(Object.keys(surveyRadioMaps(office.site, layout, atSpots(4), cfg).maps).length).toBeGreaterThan(0);
  });

  it('predicts the simulator\'s mean RSSI all over the floor 2.5× closer than the model alone does at the survey points', () => {
    const cfg = resolveConfig();
    const layout = siteLayout(office.site);
    const { maps, fits } = surveyRadioMaps(office.site, layout, survey, cfg);
    const grid = maps.ble!, ch = channels().ble;
    const aps = office.site.aps.length;
    let mapSs = 0, n = 0;
    // Every 7th walkable cell: most lie between survey points.
    const cells = grid.walkable[0].cells.filter((_, k) => k % 7 === 0);
    for (let ap = 0; ap < aps; ap++) {
      const truth: number[] = [], onMap: number[] = [];
      for (const c of cells) {
        const x = ((c % grid.nx[0]) + 0.5) * grid.cellM, y = (Math.floor(c / grid.nx[0]) + 0.5) * grid.cellM;
        truth.push(ch.meanRxDbm(ap, 0, x, y, 0));
        onMap.push(grid.gainDb[0][c * aps + ap]);
      }
      // Compare up to a common offset (the reference device's unknown gain).
      const centred = (a: number[]) => { const m = a.reduce((s, v, i) => s + v - truth[i], 0) / a.length; return a.map((v, i) => v - truth[i] - m); };
      for (const r of centred(onMap)) mapSs += r * r;
      n += cells.length;
    }
    const mapRms = Math.sqrt(mapSs / n);
    expect(mapRms).toBeLessThan(1.4); // the field's own σ is 3.5 dB
    expect(fits.ble!.mapResidualSigmaDb).toBeGreaterThan(2.5 * mapRms);
    expect(fits.ble!.points).toBe(surveyPoints(office, office.survey!).length);
  });
});

describe('map localizer', () => {
  it('with the survey, beats WLS by ≥ 40% on median error for every technology (30 min of office, untracked)', async () => {
    const sim = simulate(office);
    const inputs = engineInputs(sim);
    const run = (localizer: 'wls' | 'map') => runEngine(office.site, sim.observations, { localize: { method: localizer }, track: { filter: 'none' }, run: { workers: 0 } }, inputs);
    const [w, m] = [await run('wls'), await run('map')];
    for (const tech of ['wifi', 'ble-badge', 'ble-app'] as const) {
      const wlsM = scoreLocalization(localizationErrors(w.estimates, sim.observations, sim.truth, tech)).medianErrorM;
      const mapM = scoreLocalization(localizationErrors(m.estimates, sim.observations, sim.truth, tech)).medianErrorM;
      expect(mapM, tech).toBeLessThan(0.6 * wlsM);
    }
    // Without a survey the map localizer is WLS (both pooling with the ranging model's spread, having no survey's).
    const { survey: _, ...noSurvey } = inputs;
    const fallback = await runEngine(office.site, sim.observations, { localize: { method: 'map' }, track: { filter: 'none' }, run: { workers: 0 } }, noSurvey);
    const wlsAlone = await runEngine(office.site, sim.observations, { localize: { method: 'wls' }, track: { filter: 'none' }, run: { workers: 0 } }, noSurvey);
    expectSameData(fallback.estimates, wlsAlone.estimates);
  });

  it('ctsim locate --survey on a run folder gives the run\'s own estimates', async () => {
    const scenario = writeShortOffice(dir, 'office-15min.json', 900);
    const run = join(dir, 'run');
    expect((await ctsim('run', '--scenario', scenario, '--out', run, '--quiet')).status).toBe(0);
    const out = join(dir, 'located');
    const r = await ctsim('locate', '--site', join(run, 'scenario.json'), '--observations', join(run, 'observations.arrow'),
      '--ap-beacons', join(run, 'ap-beacons.arrow'), '--survey', join(run, 'survey.arrow'), '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    // Row for row by (time, device id): the log reader numbers devices in order of first report, the simulator by person.
    const rows = (path: string) => {
      const { est, devices } = readEstimates(path);
      return Array.from({ length: est.length }, (_, i) => `${est.tMs[i]} ${devices[est.deviceIdx[i]].id} ${est.x[i]} ${est.y[i]} ${est.errorRadiusM[i]}`).sort();
    };
    const located = rows(join(out, 'estimates.arrow'));
    expect(located.length).toBeGreaterThan(3000);
    expect(located).toEqual(rows(join(run, 'estimates.arrow')));
    const bad = await ctsim('locate', '--site', join(run, 'scenario.json'), '--observations', join(run, 'observations.arrow'), '--survey', join(run, 'observations.arrow'), '--out', out, '--quiet');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/observations\.arrow: missing column\(s\) floor, x, y, band/);
    const corrupt = join(dir, 'corrupt-survey.arrow');
    writeFileSync(corrupt, 'ARROW1 but not really');
    const broken = await ctsim('locate', '--site', join(run, 'scenario.json'), '--observations', join(run, 'observations.arrow'), '--survey', corrupt, '--out', out, '--quiet');
    expect(broken.status).not.toBe(0);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
    expect(broken.stderr).toMatch(/corrupt-survey\.arrow: not a readable Arrow IPC file/);
  });
});

describe('CRLB given a known map', () => {
  it('halves the receptions, doubles the variance; below the model-only bound over the office', () => {
    const badge = surveyCrlb(office, 'ble-badge', 5000), app = surveyCrlb(office, 'ble-app', 5000);
    const model = crlbModel(office, 'ble-badge');
    let known = 0, modelOnly = 0;
    for (const p of surveyPoints(office, { spacingM: 4, dwellS: 1, intervalS: 1, ageDays: 0 })) {
      // ble-app phones report every 2 s, badges every 1 s: same links, half the receptions per epoch.
      expect(app(p.x, p.y, p.floor) / badge(p.x, p.y, p.floor)).toBeCloseTo(2, 6);
      known += badge(p.x, p.y, p.floor);
      modelOnly += crlbVarianceM2(model, p.x, p.y, p.floor);
    }
    expect(known).toBeLessThan(0.3 * modelOnly);
  });
});
