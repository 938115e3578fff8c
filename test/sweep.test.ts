import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { overridesOf, resolveConfig } from '../engine/config.ts';
import { runExperiment } from '../bench/harness/experiment.ts';
import { runSweep, type SweepRow } from '../bench/harness/sweep.ts';
import { operatingPoint } from '../bench/harness/sweep-output.ts';
import type { PrPoint } from '../reports/schemas/sweep-summary.ts';
import { parseParam } from '../bench/harness/sweep-params.ts';
import type { Scenario } from '../scenarios/types.ts';
import { simulate } from '../sim/simulate.ts';
import { ctsim } from './helpers/cli.ts';
import { shortOffice, writeShortOffice } from './helpers/short-office.ts';

describe('--param parsing', () => {
  it('expands inclusive ranges without float drift, and lists', () => {
    expect(parseParam('contacts.distanceM=1.5:3:0.25').values).toEqual([1.5, 1.75, 2, 2.25, 2.5, 2.75, 3]);
    expect(parseParam('contacts.minExposureS=300,600,900')).toEqual({ path: 'contacts.minExposureS', values: [300, 600, 900] });
    expect(parseParam('localize.method=wls,centroid').values).toEqual(['wls', 'centroid']);
    expect(parseParam('ranging.wifi.pathLossExponent=2:3:0.5').values).toEqual([2, 2.5, 3]);
  });

  it('rejects unknown keys, sections, empty ranges and wrong types, naming the key', () => {
    expect(() => parseParam('contacts.radiusM=1,2')).toThrow(/unknown config key 'contacts.radiusM'/);
    expect(() => parseParam('contacts=1,2')).toThrow(/'contacts' is a section/);
    expect(() => parseParam('contacts.distanceM=3:1:0.5')).toThrow(/empty range/);
    expect(() => parseParam('contacts.distanceM=')).toThrow(/empty range/);
    expect(() => parseParam('contacts.distanceM=1:2:0')).toThrow(/step must be > 0/);
    expect(() => parseParam('contacts.distanceM=1,x')).toThrow(/contacts.distanceM=x: must be a number in \(0, 100\]/);
    expect(() => parseParam('localize.method=1:2:1')).toThrow(/needs a numeric key/);
  });
});

describe('operating point', () => {
  const pt = (point: number, precision: number, recall: number): PrPoint => ({ point, values: {}, precision, recall, f1: (2 * precision * recall) / (precision + recall) });
  const curve = [pt(0, 0.9, 0.2), pt(1, 0.6, 0.6), pt(2, 0.4, 0.9)];

  it('is the best F1, or the best precision reaching the required recall', () => {
    expect(operatingPoint(curve, null)?.point).toBe(1);
    expect(operatingPoint(curve, 0.5)?.point).toBe(1);
    expect(operatingPoint(curve, 0.1)?.point).toBe(0);
    expect(operatingPoint(curve, 0.85)?.point).toBe(2);
    expect(operatingPoint(curve, 0.95)).toBeNull();
  });
});

describe('sweep over the office (2 h), 4 × 3 points, 2 seeds', () => {
  const params = [parseParam('contacts.distanceM=1.5:3:0.5'), parseParam('contacts.minExposureS=300,600,900')];
  const countingSimulate = () => {
    const calls: string[] = [];
    return { calls, simulate: (s: Scenario) => (calls.push(`${s.name}/${s.seed}`), simulate(s)) };
  };
  const office = shortOffice();
  let rows: SweepRow[] = [];

  it('simulates each scenario+seed once and scores every point per technology', async () => {
    const counter = countingSimulate();
    rows = await runSweep({ scenarios: [office], seeds: [1, 2], params, base: { 'run.workers': 0 }, simulate: counter.simulate });
    expect(counter.calls).toEqual(['office/1', 'office/2']);
    const techs = [...new Set(rows.map((r) => r.tech))].sort();
    expect(techs).toEqual(['ble-app', 'ble-badge', 'wifi', 'wifi-probe']);
    expect(rows.length).toBe(24 * techs.length);
    expect(new Set(rows.map((r) => r.unit)).size).toBe(24);
    expect(rows.every((r) => r.metrics['localization.n']! > 0 && r.metrics['contacts.truePairs']! > 0 || r.tech === 'wifi-probe')).toBe(true);
  });

  it('recall grows with the contact distance and shrinks with the exposure needed', () => {
    const recall = (tech: string, seed: number, d: number, e: number): number =>
      rows.find((r) => r.tech === tech && r.seed === seed && r.values['contacts.distanceM'] === d && r.values['contacts.minExposureS'] === e)!.metrics['contacts.recall']!;
    for (const tech of ['wifi', 'ble-badge']) {
      for (const seed of [1, 2]) {
        for (const e of [300, 600, 900]) {
          for (const [d1, d2] of [[1.5, 2], [2, 2.5], [2.5, 3]]) expect(recall(tech, seed, d2, e)).toBeGreaterThanOrEqual(recall(tech, seed, d1, e));
        }
        for (const d of [1.5, 2, 2.5, 3]) expect(recall(tech, seed, d, 300)).toBeGreaterThanOrEqual(recall(tech, seed, d, 900));
        // The sweep covers a real spread, not one flat value.
        expect(recall(tech, seed, 3, 300) - recall(tech, seed, 1.5, 900)).toBeGreaterThan(0.2);
      }
    }
  });

  it('a point scores exactly what a plain run with that config scores', async () => {
    const values = { 'contacts.distanceM': 2.5, 'contacts.minExposureS': 600 };
    const exp = await runExperiment({ ...office, seed: 2 }, { config: resolveConfig(overridesOf({ ...values, 'run.workers': 0 })) });
    for (const [tech, score] of Object.entries(exp.metrics.perTech)) {
      const row = rows.find((r) => r.seed === 2 && r.tech === tech && r.values['contacts.distanceM'] === 2.5 && r.values['contacts.minExposureS'] === 600)!;
      expect(row.metrics['contacts.f1'], tech).toBe(score.contacts.f1);
      expect(row.metrics['contacts.precision'], tech).toBe(score.contacts.precision);
      expect(row.metrics['localization.medianErrorM'], tech).toBe(score.localization.medianErrorM);
    }
  });

  it('shards partition the units: their rows, concatenated and sorted by unit, are the whole table', async () => {
    const small = [params[0], parseParam('contacts.minExposureS=300,900')];
    // Which rows a shard computes does not depend on how long the day is: 20 minutes show it.
    const short = { ...office, durationS: 1200 };
    const whole = await runSweep({ scenarios: [short], seeds: [1], params: small, base: { 'run.workers': 0 } });
    const parts: SweepRow[] = [];
    for (const index of [1, 2]) {
      const counter = countingSimulate();
      parts.push(...await runSweep({ scenarios: [short], seeds: [1], params: small, base: { 'run.workers': 0 }, shard: { index, count: 2 }, simulate: counter.simulate }));
      expect(counter.calls).toEqual(['office/1']);
    }
    expect(whole).toHaveLength(8 * 4); // 4 distances × 2 exposures, 4 technologies
    parts.sort((a, b) => a.unit - b.unit || a.tech.localeCompare(b.tech));
    expect(parts).toEqual(whole);
  });
});

describe('ctsim sweep', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-sweep-'));
  const scenario = writeShortOffice(dir, 'office-1h.json', 3600);

  it('writes the tidy table as Arrow and CSV, and the curves with a recommended point', async () => {
    const out = join(dir, 'sw');
    const r = await ctsim('sweep', '--scenario', scenario, '--seed', '1', '--param', 'contacts.distanceM=1.5,3', '--param', 'contacts.minExposureS=300,900', '--min-recall', '0.5', '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/best precision with recall ≥ 0.5/);
    const csv = readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^unit,scenario,seed,point,contacts.distanceM,contacts.minExposureS,tech,/);
    expect(csv.length).toBe(1 + 4 * 4);
    const table = tableFromIPC(readFileSync(join(out, 'sweep.arrow')));
    expect(table.numRows).toBe(16);
    expect(table.getChild('contacts.f1')!.get(0)).toBeCloseTo(Number(csv[1].split(',')[csv[0].split(',').indexOf('contacts.f1')]), 12);
    const summary = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(summary.prCurves.wifi).toHaveLength(4);
    const rec = summary.recommended['ble-badge'];
    const eligible = summary.prCurves['ble-badge'].filter((p: PrPoint) => p.recall >= 0.5);
    expect(rec.precision).toBe(Math.max(...eligible.map((p: PrPoint) => p.precision)));
  });

  it.each([
    [['--param', 'contacts.radiusM=1,2'], /unknown config key 'contacts.radiusM'/],
    [['--param', 'contacts.distanceM=3:1:0.5'], /empty range/],
    [['--param', 'contacts.distanceM=1,2', '--param', 'contacts.distanceM=3'], /given twice/],
  ])('bad input %j: one line, exit 2', async (args, message) => {
    const r = await ctsim('sweep', ...args, '--out', join(dir, 'never'), '--quiet');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
