// Arrow logs are checked by type and by dictionary: an index outside its
// dictionary was read as entry 0 (rows moved to the wrong AP or device) and
// a boolean tMs column was read as 0/1 ms. Both are now one line naming the
// column and row, exit 2, through `ctsim locate`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bool, Float32, makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { dictionaryColumn, writeArrowFile } from '../engine/io/arrow.ts';
import { loadScenario } from '../scenarios/load.ts';
import { ctsim } from './helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctsim-arrow-input-'));
const apIds = loadScenario('office').site.aps.map((a) => a.id); // 8 APs
const sitePath = 'scenarios/office.json';

/** Four reports of one phone; `change` replaces columns. */
function observations(change: Record<string, Vector> = {}): string {
  const path = join(dir, `obs-${Object.keys(change).join('-') || 'ok'}.arrow`);
  writeArrowFile(path, {
    tMs: makeVector(Float64Array.of(0, 1000, 2000, 3000)),
    deviceId: dictionaryColumn(Uint8Array.of(0, 0, 0, 0), ['phone-1']),
    tech: dictionaryColumn(Uint8Array.of(0, 0, 0, 0), ['wifi']),
    apId: dictionaryColumn(Uint8Array.of(0, 1, 2, 3), apIds),
    rssiDbm: makeVector(Float32Array.of(-60, -61, -62, -63)),
    ...change,
  });
  return path;
}

async function locate(obs: string, ...extra: string[]) {
  return await ctsim('locate', '--site', sitePath, '--observations', obs, '--out', join(dir, 'out'), '--quiet', '--workers', '0', ...extra);
}

describe('Arrow observations', () => {
  it('a well-formed file is read (the baseline of the cases below)', async () => {
    const r = await locate(observations());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.each([
    ['an AP index past the dictionary', { apId: dictionaryColumn(Uint8Array.of(0, 1, 8, 3), apIds) }, /obs-apId\.arrow: row 2: apId's dictionary index 8 is outside its dictionary \(8 entries\)/],
    ['a device index past the dictionary', { deviceId: dictionaryColumn(Uint8Array.of(0, 0, 0, 3), ['phone-1']) }, /obs-deviceId\.arrow: row 3: deviceId's dictionary index 3 is outside its dictionary \(1 entries\)/],
    ['a boolean tMs column', { tMs: vectorFromArray([false, true, true, true], new Bool()) }, /obs-tMs\.arrow: column 'tMs' is Bool, expected numbers/],
    ['a boolean rssiDbm column', { rssiDbm: vectorFromArray([true, true, true, true], new Bool()) }, /obs-rssiDbm\.arrow: column 'rssiDbm' is Bool, expected numbers/],
    ['a float apId column', { apId: vectorFromArray([1.5, 1.5, 1.5, 1.5], new Float32()) }, /obs-apId\.arrow: column 'apId' is Float32, expected text/],
  ])('%s: one line naming column and row, exit 2', async (_, change, message) => {
    const r = await locate(observations(change));
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.status).toBe(2);
  });
});

describe('Arrow survey', () => {
  it('a band index past the dictionary: one line naming column and row, exit 2', async () => {
    const path = join(dir, 'survey.arrow');
    writeArrowFile(path, {
      floor: makeVector(Int16Array.of(0, 0)),
      x: makeVector(Float32Array.of(5, 6)),
      y: makeVector(Float32Array.of(5, 6)),
      apId: dictionaryColumn(Uint8Array.of(0, 1), apIds),
      band: dictionaryColumn(Uint8Array.of(0, 2), ['wifi', 'ble']),
      rssiDbm: makeVector(Float32Array.of(-50, -55)),
    });
    const r = await locate(observations(), '--survey', path);
    expect(r.stderr).toMatch(/survey\.arrow: row 1: band's dictionary index is outside its dictionary \(2 entries\)/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.status).toBe(2);
  });
});
