// The Arrow observation reader: a simulated office hour read back column for
// column, record batches with their own dictionaries, and one-line errors
// naming file, row and column.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, makeVector, tableToIPC, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { dictionaryColumn, withDictionaryId } from '../engine/io/arrow.ts';
import { radioMismatch, readObservationsArrow, readObservationsCsv } from '../engine/io/observations-reader.ts';
import { writeObservations } from '../engine/io/observations-table.ts';
import type { ObservationBatch } from '../engine/contract/observations.ts';
import { isShared } from '../engine/pipeline/shared-memory.ts';
import { loadScenario } from '../scenarios/load.ts';
import { simulate } from '../sim/simulate.ts';
import { makeSite } from './helpers/synthetic.ts';
import { expectSameData } from './helpers/same-data.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctsim-obs-reader-'));

/** Per row: time, device id, tech, AP index, RSSI, so batches whose device lists differ compare. */
const rowsOf = (b: ObservationBatch) => ({
  tMs: b.tMs, apIdx: b.apIdx, rssiDbm: b.rssiDbm,
  ids: Array.from(b.deviceIdx, (d) => b.devices[d].id), techs: Array.from(b.deviceIdx, (d) => b.devices[d].tech),
});

describe('readObservationsArrow', () => {
  it('reads back a simulated office hour exactly as writeObservations wrote it', () => {
    // The ideal preset: these test the streaming and I/O mechanics (lags, counts, ordering), with thresholds set on its steady reports.
    const scenario = { ...loadScenario('office', { radioPreset: 'ideal' }), durationS: 3600, seed: 5 };
    const sim = simulate(scenario);
    const obsPath = join(dir, 'observations.arrow');
    const beaconPath = join(dir, 'ap-beacons.arrow');
    writeObservations(obsPath, sim.observations, scenario.site);
    writeObservations(beaconPath, sim.apBeacons, scenario.site);
    const obs = readObservationsArrow(obsPath, scenario.site);
    expect(sim.observations.length).toBeGreaterThan(100_000);
    expect(obs.apBeacons.length).toBe(0);
    expect(obs.observations.length).toBe(sim.observations.length);
    expectSameData(rowsOf(obs.observations), rowsOf(sim.observations));
    // In shared memory, so the engine hands chunks to its workers without copying them.
    const { tMs, deviceIdx, apIdx, rssiDbm } = obs.observations;
    expect([tMs, deviceIdx, apIdx, rssiDbm].map(isShared)).toEqual([true, true, true, true]);
    const beacons = readObservationsArrow(beaconPath, scenario.site);
    expect(beacons.observations.length).toBe(0);
    expect(sim.apBeacons.length).toBeGreaterThan(0);
    expectSameData(rowsOf(beacons.apBeacons), rowsOf(sim.apBeacons));
  });

  const site = makeSite();
  const AP = site.aps.map((a) => a.id);
  type Columns = Record<string, Vector>;
  interface Rows { tMs: number[]; devices: string[]; dev: number[]; techs: string[]; tech: number[]; aps: string[]; ap: number[]; rssi: number[] }
  const columns = (r: Rows): Columns => ({
    tMs: makeVector(Float64Array.from(r.tMs)),
    deviceId: dictionaryColumn(Uint32Array.from(r.dev), r.devices),
    tech: dictionaryColumn(Uint8Array.from(r.tech), r.techs),
    apId: dictionaryColumn(Uint16Array.from(r.ap), r.aps),
    rssiDbm: makeVector(Float32Array.from(r.rssi)),
  });
  /** Record batches in one IPC stream, each with its own dictionaries (same ids, so one schema). */
  const write = (name: string, ...batches: Columns[]): string => {
    const path = join(dir, name);
    const numbered = batches.map((c) => new Table({ ...c, deviceId: withDictionaryId(c.deviceId, 0), tech: withDictionaryId(c.tech, 1), apId: withDictionaryId(c.apId, 2) }));
    writeFileSync(path, tableToIPC(new Table(numbered.flatMap((t) => t.batches)), 'stream'));
    return path;
  };

  it('merges record batches with different dictionaries, keeps tech per device, sorts late rows stably', () => {
    const path = write('batches.arrow',
      columns({ tMs: [0, 1000, 2000], devices: ['p', 'ap:' + AP[1]], dev: [0, 1, 0], techs: ['wifi'], tech: [0, 0, 0], aps: AP, ap: [0, 2, 1], rssi: [-50, -40, -55] }),
      // New dictionaries: 'p' now sits at entry 1 and also reports as BLE (another device); its wifi row at 1000 ms is late.
      columns({ tMs: [3000, 1000, 4000], devices: ['q', 'p'], dev: [0, 1, 1], techs: ['ble-app', 'wifi'], tech: [0, 1, 0], aps: AP, ap: [3, 4, 5], rssi: [-60, -70, -65] }));
    const log = readObservationsArrow(path, site);
    expect(log.observations.devices).toEqual([{ id: 'p', tech: 'wifi' }, { id: 'q', tech: 'ble-app' }, { id: 'p', tech: 'ble-app' }]);
    expect(Array.from(log.observations.tMs)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(Array.from(log.observations.deviceIdx)).toEqual([0, 0, 0, 1, 2]);
    expect(Array.from(log.observations.apIdx)).toEqual([0, 4, 1, 3, 5]);
    expect(Array.from(log.observations.rssiDbm)).toEqual([-50, -70, -55, -60, -65]);
    expect(log.apBeacons).toEqual({
      length: 1, tMs: Float64Array.of(1000), deviceIdx: Uint32Array.of(0), apIdx: Uint16Array.of(2), rssiDbm: Float32Array.of(-40),
      devices: [{ id: 'ap:' + AP[1], tech: 'wifi' }],
    });
  });

  const good: Rows = { tMs: [0, 10], devices: ['p'], dev: [0, 0], techs: ['wifi'], tech: [0, 0], aps: AP, ap: [0, 1], rssi: [-50, -60] };
  it.each([
    ['an unknown AP', { aps: [AP[0], 'ap-nowhere'] }, /bad\.arrow: row 5: apId 'ap-nowhere' is not an AP of the site/],
    ['a bad tech', { techs: ['wifi', 'zigbee'], tech: [0, 1] }, /bad\.arrow: row 5: tech 'zigbee' is not one of wifi, wifi-probe, ble-badge, ble-app/],
    ['a NaN RSSI', { rssi: [-50, NaN] }, /bad\.arrow: row 5: rssiDbm 'NaN' is not a number/],
    ['an RSSI in mW', { rssi: [-50, 300] }, /bad\.arrow: row 5: rssiDbm 300 is outside -130\.\.0 dBm/],
    ['an infinite time', { tMs: [0, Infinity] }, /bad\.arrow: row 5: tMs 'Infinity' is not a number/],
    ['an empty device id', { devices: ['p', ''], dev: [0, 1] }, /bad\.arrow: row 5: deviceId is empty/],
  ] as [string, Partial<Rows>, RegExp][])('names file, row and column of %s (in the third record batch)', (_, change, message) => {
    const path = write('bad.arrow', columns(good), columns(good), columns({ ...good, ...change }));
    expect(() => readObservationsArrow(path, site)).toThrow(message);
  });

  it('names missing columns and a corrupt file', () => {
    const { rssiDbm: _, tech: __, ...partial } = columns(good);
    const cols = join(dir, 'cols.arrow');
    writeFileSync(cols, tableToIPC(new Table(partial), 'file'));
    expect(() => readObservationsArrow(cols, site)).toThrow(/cols\.arrow: missing column\(s\) tech, rssiDbm/);
    const corrupt = join(dir, 'corrupt.arrow');
    writeFileSync(corrupt, 'ARROW1 but not really');
    expect(() => readObservationsArrow(corrupt, site)).toThrow(/corrupt\.arrow: not a readable Arrow IPC file/);
    // A file cut short names what happened, not the reader's own TypeError; an empty one says it is empty.
    const whole = tableToIPC(new Table(columns(good)), 'file');
    const cut = join(dir, 'cut.arrow');
    writeFileSync(cut, whole.subarray(0, whole.length - 40));
    expect(() => readObservationsArrow(cut, site)).toThrow(/cut\.arrow: not a readable Arrow IPC file \((truncated or corrupt|Expected to read .*)\)$/);
    const empty = join(dir, 'empty.arrow');
    writeFileSync(empty, '');
    expect(() => readObservationsArrow(empty, site)).toThrow(/empty\.arrow: empty file \(0 bytes\)/);
  });
});

describe('radioMismatch', () => {
  it('notes reports at APs the site map gives no radio of their band, by band, naming three APs and counting the rest', () => {
    const site = makeSite();
    const wifiOnly = { ...site, aps: site.aps.map((ap) => ({ ...ap, radios: { wifi: { txPowerDbm: 20 } } })) };
    const csv = join(dir, 'mixed.csv');
    writeFileSync(csv, ['tMs,deviceId,tech,apId,rssiDbm', ...wifiOnly.aps.map((ap, k) => `${k},badge-1,ble-badge,${ap.id},-70`), `99,phone-1,wifi,${site.aps[0].id},-60`].join('\n') + '\n');
    const { observations } = readObservationsCsv(csv, wifiOnly);
    const ids = wifiOnly.aps.map((ap) => `'${ap.id}'`);
    expect(radioMismatch(observations, wifiOnly)).toBe(`note: ${wifiOnly.aps.length} ble reports at APs the site map gives no ble radio (${ids.slice(0, 3).join(', ')}, ${ids.length - 3} more): check the log's tech column or the APs' radios`);
    expect(radioMismatch(observations, { ...wifiOnly, aps: wifiOnly.aps.map((ap) => ({ ...ap, radios: { ...ap.radios, ble: { txPowerDbm: 0 } } })) })).toBe('');
  });
});
