import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_FILES } from '../bench/harness/write-run.ts';
import { ctsim } from './helpers/cli.ts';
import { writeShortOffice, officeJson } from './helpers/short-office.ts';

// The ideal preset: CLI and I/O mechanics, thresholds set in the kind world (helpers/short-office.ts).
const office = officeJson();

describe('ctsim run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-run-'));
  // The office's first hour (over 100k observations, every technology located): enough to show determinism, and quick.
  const scenario = writeShortOffice(dir, 'office-1h.json', 3600);

  it('writes metrics and Arrow files, byte-identical for the same seed whatever the worker count', async () => {
    const a = await ctsim('run', '--scenario', scenario, '--seed', '3', '--out', join(dir, 'a'), '--workers', '1', '--quiet');
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/ble-badge/);
    const b = await ctsim('run', '--scenario', scenario, '--seed', '3', '--out', join(dir, 'b'), '--workers', '2', '--quiet');
    expect(b.status).toBe(0);

    for (const file of RUN_FILES.filter((f) => f !== 'metrics.json')) {
      const fa = readFileSync(join(dir, 'a', file));
      expect(fa.length, file).toBeGreaterThan(0);
      expect(fa.equals(readFileSync(join(dir, 'b', file))), `${file} differs`).toBe(true);
    }
    const ma = JSON.parse(readFileSync(join(dir, 'a', 'metrics.json'), 'utf8'));
    const mb = JSON.parse(readFileSync(join(dir, 'b', 'metrics.json'), 'utf8'));
    expect({ ...ma, throughput: undefined }).toEqual({ ...mb, throughput: undefined });
    expect(ma.throughput.observations).toBe(mb.throughput.observations);

    expect(ma.scenario).toBe('office');
    expect(ma.seed).toBe(3);
    for (const tech of ['wifi', 'wifi-probe', 'ble-badge', 'ble-app']) {
      const s = ma.perTech[tech];
      expect(s.localization.n, tech).toBeGreaterThan(0);
      expect(s.localization.medianErrorM, tech).toBeGreaterThan(0);
      expect(s.localization.p90ErrorM).toBeGreaterThanOrEqual(s.localization.medianErrorM);
      for (const k of ['precision', 'recall', 'f1']) expect(s.contacts[k]).toBeGreaterThanOrEqual(0);
    }
    expect(ma.throughput.observations).toBeGreaterThan(100_000);
  });

  it("runs a run folder's scenario.json again to the same outputs", async () => {
    const again = await ctsim('run', '--scenario', join(dir, 'a', 'scenario.json'), '--out', join(dir, 'again'), '--workers', '1', '--quiet');
    expect(again.stderr).toBe('');
    for (const file of ['observations.arrow', 'estimates.arrow', 'contacts.arrow']) {
      expect(readFileSync(join(dir, 'again', file)).equals(readFileSync(join(dir, 'a', file))), `${file} differs`).toBe(true);
    }
  });

  it('ctsim trace lists the exposed devices of a run and names an unknown device in one line', async () => {
    const metrics = JSON.parse(readFileSync(join(dir, 'a', 'metrics.json'), 'utf8'));
    expect(metrics.perTech['ble-badge'].journeys.trueVisits).toBeGreaterThan(0);
    expect(metrics.hotZones.precision).toBeGreaterThanOrEqual(0);
    const t = await ctsim('trace', '--run', join(dir, 'a'), '--device', 'badge-0001', '--from', '0:30', '--to', '3600', '--min-exposure', '60', '--json');
    expect(t.stderr).toBe('');
    expect(t.status).toBe(0);
    const r = JSON.parse(t.stdout);
    expect(r.deviceId).toBe('badge-0001');
    expect(r.journey.length).toBeGreaterThan(0);
    expect(r.exposed.every((e: { deviceId: string; exposureS: number }) => e.deviceId.startsWith('badge-') && e.exposureS >= 60)).toBe(true);
    const exposures = r.exposed.map((e: { exposureS: number }) => e.exposureS);
    expect(exposures).toEqual([...exposures].sort((p: number, q: number) => q - p));

    const bad = await ctsim('trace', '--run', join(dir, 'a'), '--device', 'badge-9999');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/unknown device 'badge-9999'/);

    const neither = await ctsim('trace', '--device', 'badge-0001');
    expect(neither.status).not.toBe(0);
    expect(neither.stderr).toMatch(/exactly one of --run DIR or --store FILE/);
  });

  it('a different seed gives different observations', async () => {
    // Ten minutes of the same office at seeds 3 and 4: the seed, not the length, makes the difference.
    const short = writeShortOffice(dir, 'office-10min.json', 600);
    for (const seed of ['3', '4']) expect((await ctsim('run', '--scenario', short, '--seed', seed, '--out', join(dir, `seed${seed}`), '--quiet')).status).toBe(0);
    const [c3, c4] = ['seed3', 'seed4'].map((d) => readFileSync(join(dir, d, 'observations.arrow')));
    expect(c3.length).toBeGreaterThan(0);
    expect(c4.equals(c3)).toBe(false);
  });
});

describe('ctsim input errors: one line, non-zero exit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-bad-'));
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const oneLine = (stderr: string): string => {
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0];
  };

  it.each([
    ['not JSON', write('broken.json', '{ "name": "x", '), /broken\.json: not valid JSON/],
    ['missing field', write('nodur.json', JSON.stringify({ ...office, durationS: undefined })), /durationS/],
    ['negative duration', write('neg.json', JSON.stringify({ ...office, durationS: -5 })), /durationS.*-5/],
    ['unknown technology', write('tech.json', JSON.stringify({ ...office, devices: { ...office.devices, zigbee: office.devices.wifi } })), /zigbee/],
    ['missing file', join(dir, 'nope.json'), /nope\.json/],
  ])('%s', async (_name, path, pattern) => {
    const r = await ctsim('run', '--scenario', path, '--out', join(dir, 'out'), '--quiet');
    expect(r.status).not.toBe(0);
    expect(oneLine(r.stderr)).toMatch(pattern);
  });

  it('an unknown flag names the flag', async () => {
    const r = await ctsim('run', '--bogus', '1');
    expect(r.status).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/bogus/);
  });

  it('an unknown command or subcommand is named as a command', async () => {
    for (const args of [['bogus'], ['store', 'bogus']]) {
      const r = await ctsim(...args);
      expect(r.status).toBe(2);
      expect(oneLine(r.stderr)).toMatch(/^ctsim: Unknown command: bogus/);
    }
  });

  it('with CTSIM_DEBUG=1 the stack trace comes first, the one line last', async () => {
    process.env.CTSIM_DEBUG = '1';
    try {
      const r = await ctsim('run', '--scenario', join(dir, 'nope.json'), '--out', join(dir, 'out'), '--quiet');
      expect(r.status).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines.filter((l) => /^\s+at /.test(l)).length).toBeGreaterThan(0);
      expect(lines.at(-1)).toMatch(/^ctsim: .*nope\.json/);
    } finally {
      delete process.env.CTSIM_DEBUG;
    }
  });

  it('an unknown scenario name lists the built-in ones', async () => {
    const r = await ctsim('run', '--scenario', 'spaceship', '--quiet');
    expect(r.status).not.toBe(0);
    expect(oneLine(r.stderr)).toMatch(/spaceship.*office/);
  });
});
