// The twin's world holds a site's guessed AP positions where the log's
// readings put them (bench/twin/ap-positions.ts). On simulated logs (seeds
// 3, 5, 9) whose six APs stand where the site says, the fit leaves the
// correct positions be (at p = 0.001 on 2 m cells of a field correlated over
// 3 m, a true one may still go: seed 9 takes b1, 1 m from the walked area's
// edge, 4.5 m out along the edge's normal, where gain and distance trade
// off); with b1 drawn 7 m off, it takes b1 back towards where it stands.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apMoves, fittedApPositions } from '../bench/twin/ap-positions.ts';
import { readTwinInput, type TwinInput } from '../bench/twin/input.ts';
import { joinLog } from '../bench/twin/samples.ts';
import type { Site } from '../engine/contract/site.ts';
import { ctsim } from './helpers/cli.ts';
import { TRUE_BLE, writeTwinLog } from './helpers/twin-log.ts';

const SEEDS = [3, 5, 9];
let dir: string;
let inputs: TwinInput[];
let files: ReturnType<typeof writeTwinLog>[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctsim-appos-'));
  files = SEEDS.map((seed) => writeTwinLog(mkdtempSync(join(dir, String(seed))), 12, seed));
  inputs = files.map((f) => readTwinInput({ ...f, maxGapS: 30 }));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** b1 (truly at 15, 2) drawn at 15, 9. */
const drawnOff = (site: Site): Site => ({ ...site, aps: site.aps.map((ap) => (ap.id === 'b1' ? { ...ap, y: 9 } : ap)) });

const fit = (site: Site, input: TwinInput): Site =>
  fittedApPositions(site, joinLog(site, input.observations, input.tracks).samples, 'ble', TRUE_BLE.pathLossExponent);

describe('the twin world\'s AP positions from the readings (3 badges, 12 min, shadowing 4 dB over 3 m)', () => {
  it('leaves at most one of the 18 correctly drawn APs of three logs where the site has it', () => {
    const moved = inputs.reduce((sum, input) => sum + apMoves(input.site, fit(input.site, input)).count, 0);
    expect(moved).toBeLessThanOrEqual(1);
  });

  it('moves an AP drawn 7 m off on every log, each closer to where it stands and the median within 3 m (1.8, 2.5, 4.5 m)', () => {
    const after = inputs.map((input) => {
      const drawn = drawnOff(input.site);
      const world = fit(drawn, input);
      expect(apMoves(drawn, world).count).toBeGreaterThanOrEqual(1);
      const b1 = world.aps.find((ap) => ap.id === 'b1')!;
      return Math.hypot(b1.x - 15, b1.y - 2);
    }).sort((a, b) => a - b);
    expect(after[2]).toBeLessThan(7);
    expect(after[1]).toBeLessThan(3);
  });

  it('leaves an AP its readings do not bound where the site has it: level everywhere, it would fit best ever farther off', () => {
    const input = inputs[0];
    const s = joinLog(input.site, input.observations, input.tracks).samples;
    const b1 = input.site.aps.findIndex((ap) => ap.id === 'b1');
    const flat = { ...s, rssiDbm: Float32Array.from(s.rssiDbm, (v, i) => (s.ap[i] === b1 ? -80 : v)) };
    const world = fittedApPositions(input.site, flat, 'ble', TRUE_BLE.pathLossExponent);
    expect(world.aps[b1]).toEqual(input.site.aps[b1]);
  });

  it('ctsim calibrate names the AP the readings put elsewhere, and lists it in calibration.json', async () => {
    const site = join(dir, 'drawn.json');
    writeFileSync(site, JSON.stringify(drawnOff(inputs[0].site)));
    const out = join(dir, 'cal');
    const r = await ctsim('calibrate', '--site', site, '--observations', files[0].observations, '--positions', files[0].positions, '--bootstrap', '0', '--out', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/The readings put 1 of 6 APs elsewhere than the site map/);
    expect(r.stdout).toMatch(/ {2}b1 \(floor 0\): \(15\.0, 9\.0\) → /);
    const moved = JSON.parse(readFileSync(join(out, 'calibration.json'), 'utf8')).apsElsewhere as { id: string; movedM: number }[];
    expect(moved.map((m) => m.id)).toEqual(['b1']);
    expect(moved[0].movedM).toBeGreaterThan(4);
  });
});
