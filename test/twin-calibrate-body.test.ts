// ctsim calibrate's fit of what a carrier brings (bench/twin/calibrate.ts): on
// a simulated log whose three badges have their own gain offsets (sd 4 dB)
// and a 6 dB body-by-heading depth, it recovers each device's offset and the
// depth from the AP's bearing relative to the way each device last moved.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrate, type BandCalibration } from '../bench/twin/calibrate.ts';
import { readTwinInput } from '../bench/twin/input.ts';
import { joinLog } from '../bench/twin/samples.ts';
import { validateRadio } from '../scenarios/validate.ts';
import { Rng } from '../sim/rng.ts';
import { TRUE_BLE, writeTwinLog } from './helpers/twin-log.ts';

const DEPTH_DB = 6;
let dir: string;
let ble: BandCalibration;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctsim-body-'));
  const wifi = { pathLossExponent: 3, refLossDbAt1m: 40, shadowingSigmaDb: 4, shadowingDecorrelationM: 3, ricianKDb: 3, sensitivityDbm: -90, packetLoss: 0.1 };
  const radio = validateRadio({
    wifi, ble: { ...TRUE_BLE, deviceOffsetSigmaDb: 4, bodyOrientationDepthDb: { hand: DEPTH_DB } }, effects: { temporal: true, bodyOrientation: true },
  }, 'test radio');
  const input = readTwinInput({ ...writeTwinLog(dir, 12, 9, radio), maxGapS: 30 });
  ble = calibrate(input.site, input.observations, joinLog(input.site, input.observations, input.tracks), { bootstrap: 0, seed: 1 }).bands.find((b) => b.band === 'ble')!;
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('calibrate: the carrier (seed 9, 3 badges, 12 min)', () => {
  it('recovers the 6 dB body-by-heading depth within 1.5 dB (4.9 dB: a carrier keeps its last heading while it stands)', () => {
    expect(ble.orientationDepthDb).not.toBeNull();
    expect(Math.abs(ble.orientationDepthDb!.value - DEPTH_DB)).toBeLessThanOrEqual(1.5);
  });

  it('gives each of the 3 badges its own offset, their spread the deviceOffsetSigmaDb estimate', () => {
    expect(Object.keys(ble.deviceOffsetDb).sort()).toEqual(['badge-0', 'badge-1', 'badge-2']);
    const offsets = Object.values(ble.deviceOffsetDb).map((e) => e.value);
    const mean = offsets.reduce((a, x) => a + x, 0) / 3;
    const sd = Math.sqrt(offsets.reduce((a, x) => a + (x - mean) ** 2, 0) / 3);
    expect(sd).toBeCloseTo(ble.deviceOffsetSigmaDb!.value, 6);
  });

  it('recovers the offsets the simulator drew (−0.05, 6.34, −3.68 dB; the line takes their mean): differences within 1 dB', () => {
    const truth = [0, 1, 2].map((p) => new Rng(9, `emissions:ble-badge:${p}`).normal(0, 4));
    const fit = [0, 1, 2].map((p) => ble.deviceOffsetDb[`badge-${p}`].value);
    for (const [a, b] of [[1, 0], [2, 0], [2, 1]]) expect(Math.abs(fit[a] - fit[b] - (truth[a] - truth[b]))).toBeLessThanOrEqual(1);
  });
});
