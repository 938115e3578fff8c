// ctsim calibrate on a log the simulator made with a known radio model
// (test/helpers/twin-log.ts): the fitted parameters' 95 % intervals hold the true ones.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FadingTable } from '../sim/radio/fading-table.ts';
import { shadowingFit, type BandCalibration, type Estimate } from '../bench/twin/calibrate.ts';
import { fitVariogram } from '../bench/twin/robust.ts';
import { LIMITS } from '../scenarios/limits.ts';
import { validateRadio } from '../scenarios/validate.ts';
import { ctsim } from './helpers/cli.ts';
import { knownRadio, TRUE_BLE, writeTwinLog } from './helpers/twin-log.ts';

let dir: string;
let ble: BandCalibration;
let radioJson: unknown;
let paths: ReturnType<typeof writeTwinLog>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ctsim-calibrate-'));
  const p = (paths = writeTwinLog(dir, 12, 8));
  const r = await ctsim('calibrate', '--site', p.site, '--observations', p.observations, '--positions', p.positions, '--bootstrap', '30', '--out', join(dir, 'cal'));
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  ble = JSON.parse(readFileSync(join(dir, 'cal/calibration.json'), 'utf8')).fits.bands.find((b: BandCalibration) => b.band === 'ble');
  radioJson = JSON.parse(readFileSync(join(dir, 'cal/radio.json'), 'utf8'));
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const holds = (e: Estimate | null, truth: number): void => {
  expect(e).not.toBeNull();
  expect(truth).toBeGreaterThanOrEqual(e!.lo);
  expect(truth).toBeLessThanOrEqual(e!.hi);
};

describe('ctsim calibrate on a simulated log with known parameters (seed 8, 3 badges, 12 min)', () => {
  const fading = new FadingTable(10 ** (TRUE_BLE.ricianKDb / 10));

  it('recovers the path-loss line: exponent 2.2 and the mean level at 1 m (−60 dB plus the fading mean)', () => {
    holds(ble.pathLossExponent, TRUE_BLE.pathLossExponent);
    holds(ble.rssiDbAt1m, -TRUE_BLE.refLossDbAt1m + fading.meanDb);
  });

  it('recovers the temporal model: slow sd 3 dB with a 5 s correlation time, fast fading of K = 3 dB (sd 4.35 dB)', () => {
    holds(ble.slowSigmaDb, TRUE_BLE.slowSigmaDb);
    holds(ble.slowCorrelationS, TRUE_BLE.slowCorrelationS);
    holds(ble.fadingSigmaDb, fading.sigmaDb);
  });

  it('finds no distance over which a move leaves the slow component behind: it follows time alone here', () => {
    expect(ble.slowDecorrelationM).toBeNull();
  });

  it('recovers the shadowing decorrelation (3 m), the sensitivity (−110 dBm) and the hearing rate (1 − packet loss 0.1)', () => {
    holds(ble.shadowingDecorrelationM, TRUE_BLE.shadowingDecorrelationM);
    holds(ble.sensitivityDbm, TRUE_BLE.sensitivityDbm);
    holds(ble.hearingRate, 1 - TRUE_BLE.packetLoss);
  });

  it('splits the 4 dB shadowing between the field and per-AP gains (the mean of each AP\'s field over the walk): together within 0.7 dB', () => {
    const gains = Object.values(ble.apGainDb).map((e) => e.value);
    const gainVar = gains.reduce((a, g) => a + g * g, 0) / gains.length;
    expect(Math.sqrt(ble.shadowingSigmaDb.value ** 2 + gainVar)).toBeGreaterThan(TRUE_BLE.shadowingSigmaDb - 0.7);
    expect(Math.sqrt(ble.shadowingSigmaDb.value ** 2 + gainVar)).toBeLessThan(TRUE_BLE.shadowingSigmaDb + 0.7);
  });

  it('gives every AP, all on the air, its own hearing rate within 0.03 of the band\'s 0.9', () => {
    const rates = Object.values(ble.apHearingRate);
    expect(rates.length).toBe(6);
    for (const e of rates) expect(Math.abs(e.value - (1 - TRUE_BLE.packetLoss))).toBeLessThanOrEqual(0.03);
  });

  it('writes a radio section the scenario validator takes, with the temporal effect on and the per-AP gains', () => {
    const radio = validateRadio(radioJson, 'radio.json');
    expect(radio.effects.temporal).toBe(true);
    expect(Object.keys(radio.ble.apGainDb).sort()).toEqual(['b0', 'b1', 'b2', 'b3', 'b4', 'b5']);
    expect(radio.ble.pathLossExponent).toBeCloseTo(ble.pathLossExponent.value, 6);
  });
});

describe('ctsim calibrate on the same log with its rows in another order', () => {
  it('fits the same values and draws the same bootstrap intervals (clusters are numbered by key, not by first row), up to a hair where the robust fits step', async () => {
    const [header, ...rows] = readFileSync(paths.observations, 'utf8').trim().split('\n');
    const reversed = join(dir, 'reversed.csv');
    writeFileSync(reversed, [header, ...rows.reverse()].join('\n') + '\n');
    const r = await ctsim('calibrate', '--site', paths.site, '--observations', reversed, '--positions', paths.positions, '--bootstrap', '30', '--out', join(dir, 'cal-reversed'));
    expect(r.status).toBe(0);
    const again: BandCalibration = JSON.parse(readFileSync(join(dir, 'cal-reversed/calibration.json'), 'utf8')).fits.bands.find((b: BandCalibration) => b.band === 'ble');
    // Integer dBm readings tie, so a robust fit's median can step on a sum taken in another order: a hair, against the interval's width (14 % of it before).
    const estimates = Object.entries(ble).filter((e): e is [string, Estimate] => e[1] !== null && typeof e[1] === 'object' && 'lo' in e[1]);
    expect(estimates.length).toBeGreaterThanOrEqual(10);
    for (const [key, a] of estimates) {
      const b = (again as unknown as Record<string, Estimate>)[key];
      for (const end of ['value', 'lo', 'hi'] as const) expect(Math.abs(b[end] - a[end]), `${key} ${end}`).toBeLessThanOrEqual(0.025 * (a.hi - a.lo) + 1e-9);
    }
  }, 180_000);
});

describe('ctsim calibrate on a log heard from two floors (six more APs one floor up, slabs of 20 dB)', () => {
  it('finds the slab\'s loss from which links between floors were missed, where the heard readings alone read it low', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ctsim-calibrate-floors-'));
    try {
      const radio = knownRadio();
      const p = writeTwinLog(d, 12, 8, { ...radio, ble: { ...radio.ble, floorLossDb: 20 } }, true);
      const r = await ctsim('calibrate', '--site', p.site, '--observations', p.observations, '--positions', p.positions, '--bootstrap', '10', '--out', join(d, 'cal'));
      expect(r.status).toBe(0);
      const band: BandCalibration = JSON.parse(readFileSync(join(d, 'cal/calibration.json'), 'utf8')).fits.bands.find((b: BandCalibration) => b.band === 'ble');
      // Measured: 19.6 dB, 2.1 of it from the missed links (the heard ones alone read 17.6).
      expect(Math.abs(band.floorLossDb!.value - 20)).toBeLessThanOrEqual(1.5);
      expect(band.floorLossFromHearingDb!.value).toBeGreaterThan(1);
      expect(JSON.parse(readFileSync(join(d, 'cal/radio.json'), 'utf8')).ble.floorLossDb).toBeCloseTo(band.floorLossDb!.value, 6);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('ctsim calibrate on a log whose slow component a move leaves behind (5 dB, 60 s, 3 m)', () => {
  it('finds the 3 m within its interval and writes it to the radio section', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ctsim-calibrate-moves-'));
    try {
      const radio = knownRadio();
      // A minute's correlation time: the badges walk 4 m between stops within it, so the moves, not the time, part the readings.
      const p = writeTwinLog(d, 12, 8, { ...radio, ble: { ...radio.ble, slowSigmaDb: 5, slowCorrelationS: 60, slowDecorrelationM: 3 } });
      const r = await ctsim('calibrate', '--site', p.site, '--observations', p.observations, '--positions', p.positions, '--bootstrap', '20', '--out', join(d, 'cal'));
      expect(r.status).toBe(0);
      const band: BandCalibration = JSON.parse(readFileSync(join(d, 'cal/calibration.json'), 'utf8')).fits.bands.find((b: BandCalibration) => b.band === 'ble');
      // Measured: 3.2 m (0.3 .. 7.9); the same log with time alone reads none.
      holds(band.slowDecorrelationM, 3);
      expect(JSON.parse(readFileSync(join(d, 'cal/radio.json'), 'utf8')).ble.slowDecorrelationM).toBeCloseTo(band.slowDecorrelationM!.value, 6);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('the shadowing field from the variogram of cell means', () => {
  const lags = [0.5, 1, 1.6, 2.5, 3.5, 4.75, 6.5, 8.75, 12];
  const fit = (gamma: (h: number) => number) => shadowingFit(fitVariogram(lags, lags.map(gamma), lags.map(() => 100), 'gaussian', [LIMITS.shadowingDecorrelationM.min, LIMITS.shadowingDecorrelationM.max]));

  it('takes the fitted decorrelation where the variogram rises with distance', () => {
    const f = fit((h) => 4 + 16 * (1 - Math.exp(-((h / 5) ** 2))));
    expect(f!.scale).toBeGreaterThan(4);
    expect(f!.scale).toBeLessThan(6);
  });

  it('takes the shortest decorrelation, not none, where the variogram is flat from the shortest lag (a rough field)', () => {
    expect(fit(() => 21)!.scale).toBe(LIMITS.shadowingDecorrelationM.min);
  });

  it('has none where the cell means do not differ', () => {
    expect(fit(() => 0)).toBeNull();
  });
});

describe('ctsim calibrate on a log one AP alone reports', () => {
  it('fits no hearing rate from it (every emission is in the log because that AP heard it: before, 0.01), and the silent APs hear nothing', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ctsim-calibrate-one-ap-'));
    try {
      const p = writeTwinLog(d, 12, 8);
      const [header, ...rows] = readFileSync(p.observations, 'utf8').trim().split('\n');
      writeFileSync(p.observations, [header, ...rows.filter((r) => r.split(',')[3] === 'b0')].join('\n') + '\n');
      const r = await ctsim('calibrate', '--site', p.site, '--observations', p.observations, '--positions', p.positions, '--bootstrap', '10', '--out', join(d, 'cal'));
      expect(r.status).toBe(0);
      const band: BandCalibration = JSON.parse(readFileSync(join(d, 'cal/calibration.json'), 'utf8')).fits.bands.find((b: BandCalibration) => b.band === 'ble');
      expect(band.hearingRate).toBeNull();
      expect(band.apHearingRate.b1).toEqual({ value: 0, lo: 0, hi: 0 });
      expect(JSON.parse(readFileSync(join(d, 'cal/radio.json'), 'utf8')).ble.apHearingRate.b5).toBe(0);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('ctsim calibrate on a feed whose APs stamp each report by their own clock', () => {
  it('reads the hearing rate (1 − packet loss 0.9) as on the log stamped per emission: each AP\'s report 0-0.45 s late (before, 0.01)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ctsim-calibrate-ap-clocks-'));
    try {
      const p = writeTwinLog(d, 12, 8);
      const [header, ...rows] = readFileSync(p.observations, 'utf8').trim().split('\n');
      // Each AP (b0..b8) its own delay, and a little more per report: never the same time twice for one emission.
      const late = rows.map((r, i) => {
        const [t, ...rest] = r.split(',');
        return [Number(t) + 50 * Number(rest[2].slice(1)) + (i % 7), ...rest].join(',');
      });
      late.sort((a, b) => Number(a.split(',')[0]) - Number(b.split(',')[0]));
      writeFileSync(p.observations, [header, ...late].join('\n') + '\n');
      const r = await ctsim('calibrate', '--site', p.site, '--observations', p.observations, '--positions', p.positions, '--bootstrap', '10', '--out', join(d, 'cal'));
      expect(r.status).toBe(0);
      const band: BandCalibration = JSON.parse(readFileSync(join(d, 'cal/calibration.json'), 'utf8')).fits.bands.find((b: BandCalibration) => b.band === 'ble');
      expect(Math.abs(band.hearingRate!.value - ble.hearingRate!.value)).toBeLessThanOrEqual(0.02);
      holds(band.hearingRate, 1 - TRUE_BLE.packetLoss);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  }, 180_000);
});

describe("ctsim calibrate on a log whose badges differ (the receivers' floor −95 dBm, which the far links reach): one reports 12 dB high, floor and all, and hears 0.6 as often; one transmits 8 dB hotter", () => {
  it('reads each badge its own floor and hearing: the reporting offset moves the floor, the transmit power does not', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ctsim-calibrate-devices-'));
    try {
      const radio = knownRadio();
      const p = writeTwinLog(d, 12, 8, { ...radio, ble: { ...radio.ble, sensitivityDbm: -95 }, effects: { ...radio.effects, deviceOffsets: true } }, false, [{ offsetDb: 12, floorDb: 12, hearingScale: 0.6 }, { offsetDb: 8 }, { offsetDb: 0 }]);
      const r = await ctsim('calibrate', '--site', p.site, '--observations', p.observations, '--positions', p.positions, '--bootstrap', '10', '--out', join(d, 'cal'));
      expect(r.status).toBe(0);
      const band: BandCalibration = JSON.parse(readFileSync(join(d, 'cal/calibration.json'), 'utf8')).fits.bands.find((b: BandCalibration) => b.band === 'ble');
      const floor = (id: string): number => band.deviceFloorDb[id].value - band.deviceFloorDb['badge-2'].value;
      const hearing = (id: string): number => band.deviceHearing[id].value / band.deviceHearing['badge-2'].value;
      // Measured: floors 12 and 0 dB above badge-2's, hearing 0.62 and 1.04 of its (with the floor at −110 dBm, out of the links' reach, the weakest readings follow the offsets instead: 13 and 6 dB, harmless there).
      expect(Math.abs(floor('badge-0') - 12)).toBeLessThanOrEqual(2);
      expect(Math.abs(floor('badge-1'))).toBeLessThanOrEqual(2);
      expect(Math.abs(hearing('badge-0') - 0.6)).toBeLessThanOrEqual(0.08);
      expect(Math.abs(hearing('badge-1') - 1)).toBeLessThanOrEqual(0.08);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  }, 180_000);
});
