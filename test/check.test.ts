import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBaseline, runKey, type Baseline } from '../bench/gate/baseline.ts';
import { compareRuns, regressions } from '../bench/gate/check.ts';
import type { Metrics } from '../reports/schemas/metrics.ts';
import { ctsim } from './helpers/cli.ts';
import { writeShortOffice } from './helpers/short-office.ts';

const RULES: Baseline['metrics'] = [
  { path: 'perTech.*.localization.medianErrorM', better: 'lower', rel: 0.05, abs: 0.05 },
  { path: 'perTech.*.localization.p90ErrorM', better: 'lower', rel: 0.05, abs: 0.1 },
  { path: 'perTech.*.contacts.f1', better: 'higher', abs: 0.05 },
];

describe('comparing metrics with a baseline', () => {
  const metrics = (medianErrorM: number, f1: number, extra: object = {}): Metrics => ({
    scenario: 'office', seed: 1,
    perTech: { wifi: { localization: { medianErrorM, p90ErrorM: 6, rmseM: 4, n: 10 }, contacts: { precision: 0.5, recall: 0.5, f1, truePairs: 9 }, ...extra } },
    throughput: { observations: 1, obsPerSec: 1, wallS: 1, simulateWallS: 1 },
  } as Metrics);
  const baseline: Baseline = {
    runs: [{ scenario: 'office', seed: 1 }],
    metrics: RULES,
    values: { 'office/seed1': { 'perTech.wifi.localization.medianErrorM': 3, 'perTech.wifi.localization.p90ErrorM': 6, 'perTech.wifi.contacts.f1': 0.4 } },
  };
  const verdicts = (m: Metrics) => Object.fromEntries(compareRuns(baseline, new Map([['office/seed1', m]])).map((r) => [r.metric, r.verdict]));

  it('judges each metric in its own direction, within max(abs, rel × baseline)', () => {
    expect(verdicts(metrics(3.14, 0.36))).toEqual({
      'perTech.wifi.localization.medianErrorM': 'ok', 'perTech.wifi.localization.p90ErrorM': 'ok', 'perTech.wifi.contacts.f1': 'ok',
    });
    const v = verdicts(metrics(3.16, 0.34));
    expect(v['perTech.wifi.localization.medianErrorM']).toBe('WORSE');
    expect(v['perTech.wifi.contacts.f1']).toBe('WORSE');
    expect(verdicts(metrics(2.5, 0.5))['perTech.wifi.localization.medianErrorM']).toBe('better');
    expect(verdicts(metrics(2.5, 0.5))['perTech.wifi.contacts.f1']).toBe('better');
  });

  it('a metric gone missing or turned NaN regresses; one a new rule matches is new', () => {
    const nan = verdicts(metrics(NaN, 0.4));
    expect(nan['perTech.wifi.localization.medianErrorM']).toBe('WORSE');
    const gone = { ...metrics(3, 0.4), perTech: {} } as Metrics;
    expect(regressions(compareRuns(baseline, new Map([['office/seed1', gone]])))).toHaveLength(3);
    const withNew = compareRuns({ ...baseline, metrics: [...RULES, { path: 'perTech.*.journeys.*', better: 'higher' }] },
      new Map([['office/seed1', metrics(3, 0.4, { journeys: { visitF1: 0.7 } })]]));
    expect(withNew.find((r) => r.metric === 'perTech.wifi.journeys.visitF1')?.verdict).toBe('new');
  });

  it('the shipped CI baseline is valid and gates office and retail at two seeds each', () => {
    const ci = readBaseline(new URL('../bench/gate/ci-baseline.json', import.meta.url).pathname);
    for (const scenario of ['office', 'retail']) expect(ci.runs.filter((r) => r.scenario === scenario).map((r) => r.seed), scenario).toHaveLength(2);
    for (const run of ci.runs) {
      const values = ci.values[runKey(run)];
      expect(values?.['perTech.wifi.localization.medianErrorM'], runKey(run)).toBeGreaterThan(0);
      expect(values?.['perTech.ble-badge.contacts.f1'], runKey(run)).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('ctsim check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-check-'));
  writeShortOffice(dir);
  const file = join(dir, 'baseline.json');
  // Half an hour of the office: every technology has fixes, and a 3 dB bias moves its errors well past the tolerances.
  writeFileSync(file, JSON.stringify({ runs: [{ scenario: './office-2h.json', seed: 1, durationS: 1800 }], metrics: RULES }));

  it('--update records the values', async () => {
    const up = await ctsim('check', '--baseline', file, '--update', '--quiet');
    expect(up.stderr).toBe('');
    expect(up.status).toBe(0);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(stored.values['./office-2h.json/seed1'])).toHaveLength(12); // 3 rules × 4 technologies
  });

  it('the unmodified engine passes', async () => {
    const pass = await ctsim('check', '--baseline', file, '--quiet');
    expect(pass.status).toBe(0);
    expect(pass.stdout).toMatch(/check passed: 12 metric\(s\)/);
    expect(pass.stdout).not.toMatch(/WORSE/);
  });

  it('a 3 dB miscalibration fails naming the metrics', async () => {
    // APs miscalibrated by ±3 dB: ranges and map matches go wrong, fixes drift.
    const worse = await ctsim('check', '--baseline', file, '--quiet', '--rssi-bias-db', '-3');
    expect(worse.status).toBe(1);
    const failed = /check FAILED: (\d+) metric\(s\) regressed: (.*)/.exec(worse.stdout);
    expect(failed).not.toBeNull();
    for (const tech of ['wifi', 'ble-badge', 'ble-app']) {
      expect(failed![2]).toContain(`perTech.${tech}.localization.medianErrorM`);
      expect(failed![2]).toContain(`perTech.${tech}.localization.p90ErrorM`);
    }
    expect(worse.stdout).toMatch(/perTech\.ble-badge\.localization\.medianErrorM\s+\S+\s+\S+\s+\+\S+ \(\+\d+\.\d%\)\s+WORSE/);
  });

  it.each([
    ['a scenario that does not exist', { runs: [{ scenario: 'atlantis', seed: 1 }], metrics: RULES }, /atlantis.*unknown scenario/],
    ['a bad direction', { runs: [{ scenario: 'office', seed: 1 }], metrics: [{ path: 'x', better: 'up' }] }, /metrics\[0\]\.better: must be "higher" or "lower"/],
    ['a non-integer seed', { runs: [{ scenario: 'office', seed: 1.5 }], metrics: RULES }, /runs\[0\]\.seed: must be an integer/],
    // Dropped, a mistyped cap ran the whole day.
    ['a mistyped key', { runs: [{ scenario: 'office', seed: 1, durationSec: 60 }], metrics: RULES }, /runs\[0\]\.durationSec: unknown field \(expected one of scenario, seed, durationS, config\)/],
  ])('a baseline with %s: one line, exit 2', async (_, content, message) => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(content));
    const r = await ctsim('check', '--baseline', bad, '--quiet');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
