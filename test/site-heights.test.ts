// AP and device heights in the site map (aps[].heightM, deviceHeightM): read,
// range-checked (a bad value is one line, exit 2), ranged with as 3-D
// distance, and where the simulated world stands its APs and devices.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/config.ts';
import { parseSite } from '../engine/io/site-reader.ts';
import { heightDiff2, siteLayout } from '../engine/localize/layout.ts';
import { localizeModel } from '../engine/localize/model.ts';
import { wls } from '../engine/localize/wls.ts';
import { LinkGeometry } from '../bench/twin/samples.ts';
import { loadScenario } from '../scenarios/load.ts';
import { validateScenario } from '../scenarios/validate.ts';
import { scenarioToJson } from '../scenarios/serialize.ts';
import { BandChannel } from '../sim/radio/channel.ts';
import { logDistanceLossDb } from '../sim/radio/path-loss.ts';
import { ctsim } from './helpers/cli.ts';
import { makeSite, WIFI } from './helpers/synthetic.ts';

const AP_HEIGHT_M = 6, DEVICE_HEIGHT_M = 0.5;

describe('site heights', () => {
  it('reads them and falls back per AP to localize.apHeightM / deviceHeightM', () => {
    const raw = makeSite();
    const site = parseSite({ ...raw, deviceHeightM: DEVICE_HEIGHT_M, aps: raw.aps.map((ap, i) => (i === 0 ? { ...ap, heightM: AP_HEIGHT_M } : ap)) }, 'site.json');
    const dh2 = heightDiff2(siteLayout(site), DEFAULT_CONFIG.localize);
    expect(dh2[0]).toBeCloseTo((AP_HEIGHT_M - DEVICE_HEIGHT_M) ** 2, 9);
    expect(dh2[1]).toBeCloseTo((DEFAULT_CONFIG.localize.apHeightM - DEVICE_HEIGHT_M) ** 2, 9);
  });

  it.each([
    ['an AP above 20 m', { aps: [{ heightM: 30 }] }, /site\.json: aps\[0\]\.heightM must be at least 0 and at most 20 m, got 30/],
    ['a negative device height', { deviceHeightM: -1 }, /site\.json: deviceHeightM must be at least 0 and at most 5 m, got -1/],
    ['a height that is no number', { aps: [{ heightM: 'high' }] }, /site\.json: aps\[0\]\.heightM must be a number/],
  ])('refuses %s with the field named', (_, change, message) => {
    const raw = makeSite() as unknown as Record<string, unknown> & { aps: Record<string, unknown>[] };
    const { aps: apChange, ...rest } = change as { aps?: Record<string, unknown>[] };
    const site = { ...raw, ...rest, aps: raw.aps.map((ap, i) => (i === 0 && apChange ? { ...ap, ...apChange[0] } : ap)) };
    expect(() => parseSite(site, 'site.json')).toThrow(message);
  });

  it('locate: a bad height is one line and exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctsim-heights-'));
    writeFileSync(join(dir, 'site.json'), JSON.stringify({ ...makeSite(), deviceHeightM: 9 }));
    writeFileSync(join(dir, 'log.csv'), 'tMs,deviceId,tech,apId,rssiDbm\n');
    const r = await ctsim('locate', '--site', join(dir, 'site.json'), '--observations', join(dir, 'log.csv'), '--out', join(dir, 'out'), '--quiet');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/deviceHeightM must be at least 0 and at most 5 m, got 9/);
  });

  it('WLS ranges in 3-D with them: noiseless RSSI from 6 m high APs to a device at 0.5 m fixes within 0.05 m; ranged with the default heights it misses by over 0.5 m', () => {
    const raw = makeSite();
    const site = { ...raw, deviceHeightM: DEVICE_HEIGHT_M, aps: raw.aps.map((ap) => ({ ...ap, heightM: AP_HEIGHT_M })) };
    const [x, y] = [11, 8];
    const rssi = site.aps.map((ap) => WIFI.refRssiDbmAt1m - 10 * WIFI.pathLossExponent * Math.log10(Math.hypot(x - ap.x, y - ap.y, AP_HEIGHT_M - DEVICE_HEIGHT_M)));
    const readings = { apIdx: Uint16Array.from(site.aps, (_, i) => i), rssiDbm: Float32Array.from(rssi), start: 0, end: site.aps.length };
    const error = (s: typeof site | typeof raw): number => {
      // Ranges alone (no centroid prior): the test is of the 3-D geometry, exact on noiseless ranges.
      const rangesAlone = { ...DEFAULT_CONFIG.localize, wls: { ...DEFAULT_CONFIG.localize.wls, centroidPrior: false } };
      const fix = wls.locate(localizeModel(siteLayout(s), WIFI, rangesAlone), readings)!;
      return Math.hypot(fix.x - x, fix.y - y);
    };
    expect(error(site)).toBeLessThan(0.05);
    expect(error(raw)).toBeGreaterThan(0.5);
  });

  it('the world stands its APs and devices at them: a link right under a 6 m AP reads the loss of 5.5 m, and the twin\'s geometry measures the same', () => {
    const scenario = loadScenario('office', { radioPreset: 'ideal' });
    const high = { ...scenario.site, deviceHeightM: DEVICE_HEIGHT_M, aps: scenario.site.aps.map((ap, i) => (i === 0 ? { ...ap, heightM: AP_HEIGHT_M } : ap)) };
    const effects = { ...scenario.radio.effects, shadowing: false, walls: false, floors: false };
    const ap = high.aps[0], other = high.aps[1], radio = scenario.radio.wifi;
    const mean = (site: typeof high, a: typeof ap): number => new BandChannel(site, 'wifi', radio, effects, 1).meanRxDbm(site.aps.indexOf(a), 20, a.x, a.y, a.floor) - (radio.apGainDb[a.id] ?? 0);
    expect(mean(high, ap)).toBeCloseTo(20 - logDistanceLossDb(AP_HEIGHT_M - DEVICE_HEIGHT_M, radio.refLossDbAt1m, radio.pathLossExponent), 9);
    // An AP without a height stands at the default 2.5 m, above devices at the site's 0.5 m.
    expect(mean(high, other)).toBeCloseTo(20 - logDistanceLossDb(2.5 - DEVICE_HEIGHT_M, radio.refLossDbAt1m, radio.pathLossExponent), 9);
    expect(mean(scenario.site as typeof high, scenario.site.aps[0])).toBeCloseTo(20 - logDistanceLossDb(1.3, radio.refLossDbAt1m, radio.pathLossExponent), 9);
    expect(new BandChannel(high, 'wifi', radio, effects, 1).apRiseM(0)).toBe(AP_HEIGHT_M - DEVICE_HEIGHT_M);
    const geometry = new LinkGeometry({ ...high, zones: [] });
    expect(geometry.distanceM(0, ap.x + 3, ap.y + 4, ap.floor)).toBeCloseTo(Math.hypot(3, 4, AP_HEIGHT_M - DEVICE_HEIGHT_M), 9);
  });

  it('a scenario\'s site takes them too, and its run folder\'s scenario.json keeps them', () => {
    const raw = scenarioToJson(loadScenario('office')) as { site: { aps: Record<string, unknown>[]; deviceHeightM?: number } };
    raw.site.aps[0].heightM = AP_HEIGHT_M;
    raw.site.deviceHeightM = DEVICE_HEIGHT_M;
    const scenario = validateScenario(raw, 'office.json');
    expect(scenario.site.aps[0].heightM).toBe(AP_HEIGHT_M);
    expect(scenario.site.aps[1].heightM).toBeUndefined();
    expect(scenario.site.deviceHeightM).toBe(DEVICE_HEIGHT_M);
    expect(validateScenario(scenarioToJson(scenario), 'scenario.json').site).toEqual(scenario.site);
  });
});
