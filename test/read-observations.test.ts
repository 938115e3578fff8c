import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeObservations } from '../engine/io/observations-table.ts';
import { readObservations } from '../engine/io/read-observations.ts';
import type { ObservationBatch } from '../engine/observations.ts';
import type { Site } from '../engine/site.ts';

const site: Site = {
  floors: [{ id: 0, name: 'F0', widthM: 30, heightM: 20, elevationM: 0 }],
  walls: [],
  zones: [],
  aps: ['ap-a', 'ap-b', 'ap-c'].map((id, i) => ({ id, floor: 0, x: 10 * i, y: 5, radios: { wifi: { txPowerDbm: 20 } } })),
};

/** 3 devices × 3 APs every second for 40 s; device 1 is never heard, so ids get renumbered on read. */
function batch(): ObservationBatch {
  const rows: [number, number, number, number][] = [];
  for (let t = 0; t < 40; t++) for (const d of [2, 0, 3]) for (let a = 0; a < 3; a++) rows.push([t * 1000 + d, d, a, -40 - d - 7 * a - (t % 5)]);
  return {
    length: rows.length,
    tMs: Float64Array.from(rows, (r) => r[0]),
    deviceIdx: Uint32Array.from(rows, (r) => r[1]),
    apIdx: Uint16Array.from(rows, (r) => r[2]),
    rssiDbm: Float32Array.from(rows, (r) => r[3]),
    devices: [{ id: 'w0', tech: 'wifi' }, { id: 'unused', tech: 'wifi' }, { id: 'b2', tech: 'ble-badge' }, { id: 'p3', tech: 'wifi-probe' }],
  };
}

describe('readObservations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-read-'));

  it('reads back what writeObservations wrote, devices in order of first report', () => {
    const obs = batch();
    const path = join(dir, 'observations.arrow');
    writeObservations(path, obs, site);
    const back = readObservations(path, site);
    expect(back.devices).toEqual([{ id: 'b2', tech: 'ble-badge' }, { id: 'w0', tech: 'wifi' }, { id: 'p3', tech: 'wifi-probe' }]);
    expect(back.length).toBe(obs.length);
    expect(back.tMs).toEqual(obs.tMs);
    expect(back.apIdx).toEqual(obs.apIdx);
    expect(back.rssiDbm).toEqual(obs.rssiDbm);
    expect(Array.from(back.deviceIdx, (d) => back.devices[d].id)).toEqual(Array.from(obs.deviceIdx, (d) => obs.devices[d].id));
  });

  it('names the file and the problem for a corrupt file or an AP the site lacks', () => {
    const corrupt = join(dir, 'corrupt.arrow');
    writeFileSync(corrupt, 'ARROW1 but not really');
    expect(() => readObservations(corrupt, site)).toThrow(/corrupt\.arrow: not a readable Arrow IPC file/);
    const path = join(dir, 'other-site.arrow');
    writeObservations(path, batch(), site);
    const smaller = { ...site, aps: site.aps.slice(0, 2) };
    expect(() => readObservations(path, smaller)).toThrow(/other-site\.arrow: apId 'ap-c' \(dictionary entry 2\) is not an AP of the site/);
  });
});
