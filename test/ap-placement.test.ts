// APs a site map gives no place: placed from the survey where it hears them
// best, or left out with their reports when it hears them too little; and
// `ctsim locate` on such a site end to end.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { MIN_PLACE_READINGS, placeUnplacedAps, placesFromSurvey } from '../engine/calibrate/ap-placement.ts';
import { parseSite } from '../engine/io/site-reader.ts';
import { runEngine } from '../engine/run.ts';
import type { ObservationBatch } from '../engine/contract/observations.ts';
import type { Site } from '../engine/contract/site.ts';
import type { SurveyBatch } from '../engine/contract/survey.ts';
import { ctsim } from './helpers/cli.ts';
import { lcg, makeSite, rssiAt } from './helpers/synthetic.ts';

/** A survey of each floor's APs on a 2 m grid of the floor (30 × 20 m), 4 dB of noise, heard down to -90 dBm. */
function gridSurvey(site: Site, seed: number): SurveyBatch {
  const rng = lcg(seed);
  const rows: [number, number, number, number, number][] = [];
  for (const { id: floor } of site.floors) {
    for (let x = 1; x < 30; x += 2) {
      for (let y = 1; y < 20; y += 2) {
        site.aps.forEach((ap, a) => {
          if (ap.floor !== floor) return;
          const v = Math.round(rssiAt(ap, x, y, 4 * rng.normal()));
          if (v >= -90) rows.push([floor, x, y, a, v]);
        });
      }
    }
  }
  return {
    length: rows.length, floor: Int16Array.from(rows, (r) => r[0]), x: Float32Array.from(rows, (r) => r[1]), y: Float32Array.from(rows, (r) => r[2]),
    apIdx: Uint16Array.from(rows, (r) => r[3]), band: new Uint8Array(rows.length), rssiDbm: Float32Array.from(rows, (r) => r[4]),
  };
}

const unplace = (site: Site, which: (a: number) => boolean, keepFloor = false): Site => ({
  ...site, aps: site.aps.map((ap, a) => (which(a) ? { ...ap, floor: keepFloor ? ap.floor : NaN, x: NaN, y: NaN } : ap)),
});

describe('placing APs from the survey', () => {
  // Two floors surveyed, so the floor each AP is placed on is read, not given.
  const truth = makeSite(2);
  const both = gridSurvey(truth, 1);

  it('puts each AP on its floor within a metre or two of where it hangs', () => {
    const places = placesFromSurvey(unplace(truth, () => true), both);
    expect(places.size).toBe(truth.aps.length);
    for (const [a, p] of places) {
      expect(p).not.toBeNull();
      expect(p!.floor).toBe(truth.aps[a].floor);
      expect(Math.hypot(p!.x - truth.aps[a].x, p!.y - truth.aps[a].y)).toBeLessThan(2);
      expect(p!.readings).toBeGreaterThanOrEqual(MIN_PLACE_READINGS);
    }
  });

  it('keeps a floor the map gives, and places only the APs without x and y', () => {
    const site = unplace(truth, (a) => a === 7, true);
    const places = placesFromSurvey(site, both);
    expect([...places.keys()]).toEqual([7]);
    expect(places.get(7)!.floor).toBe(1);
  });

  it('leaves out an AP the survey hears too little, with its reports and the beacons it sent, and renumbers the rest', async () => {
    const site = unplace(truth, (a) => a === 0 || a === 2);
    // AP 2 heard at fewer readings than it takes to place it.
    const rows = [...Array(both.length).keys()].filter((i) => both.apIdx[i] !== 2 || both.rssiDbm[i] > -42);
    const heard = rows.filter((i) => both.apIdx[i] === 2).length;
    expect(heard).toBeGreaterThan(0);
    expect(heard).toBeLessThan(MIN_PLACE_READINGS);
    const thin: SurveyBatch = {
      length: rows.length, floor: Int16Array.from(rows, (i) => both.floor[i]), x: Float32Array.from(rows, (i) => both.x[i]), y: Float32Array.from(rows, (i) => both.y[i]),
      apIdx: Uint16Array.from(rows, (i) => both.apIdx[i]), band: Uint8Array.from(rows, (i) => both.band[i]), rssiDbm: Float32Array.from(rows, (i) => both.rssiDbm[i]),
    };
    const log: ObservationBatch = {
      length: 4, tMs: Float64Array.of(0, 0, 0, 5000), deviceIdx: Uint32Array.of(0, 0, 0, 0), apIdx: Uint16Array.of(1, 2, 3, 2), rssiDbm: Float32Array.of(-60, -70, -65, -71), devices: [{ id: 'p', tech: 'wifi' }],
    };
    const beacons: ObservationBatch = {
      length: 2, tMs: Float64Array.of(0, 0), deviceIdx: Uint32Array.of(0, 1), apIdx: Uint16Array.of(1, 3), rssiDbm: Float32Array.of(-50, -55), devices: [{ id: `ap:${truth.aps[2].id}`, tech: 'wifi' }, { id: `ap:${truth.aps[4].id}`, tech: 'wifi' }],
    };
    const placed = placeUnplacedAps(site, [log, beacons], thin);
    expect(placed.placement.leftOut).toEqual([truth.aps[2].id]);
    expect(placed.placement.placed.map((p) => p.id)).toEqual([truth.aps[0].id]);
    expect(placed.site.aps.map((a) => a.id)).toEqual(truth.aps.filter((_, a) => a !== 2).map((a) => a.id));
    // Reports of APs 1 and 3 kept, now APs 1 and 2; the beacon AP 2 sent dropped.
    expect(Array.from(placed.batches[0].apIdx)).toEqual([1, 2]);
    expect(Array.from(placed.batches[1].apIdx)).toEqual([2]);
    expect(placed.placement.droppedReports).toBe(3);
    expect(placed.survey.length).toBe(thin.length - heard);
    expect(Math.max(...placed.survey.apIdx)).toBe(placed.site.aps.length - 1);
    // The engine itself refuses a site with an AP still unplaced.
    await expect(runEngine(site, log, { run: { workers: 0 } })).rejects.toThrow(`AP ${truth.aps[0].id} has no place: place it first`);
  });
});

describe('ctsim locate on a site map without AP places', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-place-'));
  const truth = makeSite();
  const survey = gridSurvey(truth, 3);
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const surveyPath = write('survey.csv', ['floor,x,y,apId,band,rssiDbm', ...Array.from({ length: survey.length }, (_, i) => `0,${survey.x[i]},${survey.y[i]},${truth.aps[survey.apIdx[i]].id},wifi,${survey.rssiDbm[i]}`)].join('\n'));
  // One phone standing at three spots, an epoch each.
  const spots: [number, number][] = [[7, 6], [20, 12], [12, 16]];
  const rng = lcg(4);
  const obsPath = write('log.csv', ['tMs,deviceId,tech,apId,rssiDbm', ...spots.flatMap(([x, y], e) => truth.aps.map((ap) => `${e * 5000 + 1},phone,wifi,${ap.id},${rssiAt(ap, x, y, 2 * rng.normal()).toFixed(1)}`))].join('\n'));
  const raw = JSON.parse(JSON.stringify(truth));
  const idsOnly = { ...raw, aps: raw.aps.map(({ id, radios }: Site['aps'][number]) => ({ id, radios })) };
  const sitePath = write('site.json', JSON.stringify(idsOnly));

  it('places them from the survey, says so, and locates as with the map\'s places', async () => {
    const placed = await ctsim('locate', '--site', sitePath, '--observations', obsPath, '--survey', surveyPath, '--out', join(dir, 'placed'), '--workers', '0', '--tracker', 'none');
    expect(placed.stderr).toBe('');
    expect(placed.status).toBe(0);
    expect(placed.stdout).toContain(`APs: placed ${truth.aps.length} APs from the survey`);
    expect(placed.stdout).toContain('site.json with the APs placed');
    const cal = JSON.parse(readFileSync(join(dir, 'placed', 'calibration.json'), 'utf8'));
    expect(cal.apPlacement.placed.map((p: { id: string }) => p.id)).toEqual(truth.aps.map((a) => a.id));
    const given = await ctsim('locate', '--site', write('given.json', JSON.stringify(truth)), '--observations', obsPath, '--survey', surveyPath, '--out', join(dir, 'given'), '--workers', '0', '--tracker', 'none', '--quiet');
    expect(given.status).toBe(0);
    const fixes = (out: string) => tableFromIPC(readFileSync(join(dir, out, 'estimates.arrow'))).toArray().map((r) => [r.x, r.y] as [number, number]);
    // The site map as located, every AP in its place: read back by the strict reader, it locates the same.
    const sitePlaced = parseSite(JSON.parse(readFileSync(join(dir, 'placed', 'site.json'), 'utf8')), 'site.json');
    expect(sitePlaced.aps.map((a) => [a.id, a.x, a.y])).toEqual(cal.apPlacement.placed.map((p: { id: string; x: number; y: number }) => [p.id, p.x, p.y]));
    const again = await ctsim('locate', '--site', join(dir, 'placed', 'site.json'), '--observations', obsPath, '--survey', surveyPath, '--out', join(dir, 'again'), '--workers', '0', '--tracker', 'none', '--quiet');
    expect(again.status).toBe(0);
    expect(fixes('again')).toEqual(fixes('placed'));
    const errors = (out: string) => fixes(out).map(([x, y], e) => Math.hypot(x - spots[e][0], y - spots[e][1]));
    expect(errors('placed')).toHaveLength(spots.length);
    // The survey map does not read where the APs hang; what ranges does, by a metre or two.
    for (const [e, err] of errors('placed').entries()) expect(err).toBeLessThan(errors('given')[e] + 2);
  });

  it('refuses, in one line, an AP without a place when no survey is given, or with only one of x and y', async () => {
    const none = await ctsim('locate', '--site', sitePath, '--observations', obsPath, '--out', join(dir, 'none'), '--quiet');
    expect(none.status).toBe(2);
    expect(none.stderr.trim()).toBe(`ctsim: ${sitePath}: aps[0] (${truth.aps[0].id}) gives no x and y, and no survey is given to place it from`);
    const half = { ...raw, aps: raw.aps.map((ap: Site['aps'][number], a: number) => (a === 1 ? { id: ap.id, floor: 0, x: 3, radios: ap.radios } : ap)) };
    expect(() => parseSite(half, 'site.json', { unplaced: true })).toThrow('site.json: aps[1].y must be a number');
    const radio = { ...raw, aps: raw.aps.map((ap: Site['aps'][number], a: number) => (a === 1 ? { id: ap.id, radioId: 'r1', radios: ap.radios } : ap)) };
    expect(() => parseSite(radio, 'site.json', { unplaced: true })).toThrow('site.json: aps[1].radioId names a radio, but the AP has no x and y: give the place of an AP that shares a radio');
    // Elsewhere (ctsim calibrate, twin) every AP needs its place.
    expect(() => parseSite(idsOnly, 'site.json')).toThrow("site.json: aps[0] gives no x and y: this needs every AP's place (ctsim locate with --survey places them)");
  });
});
