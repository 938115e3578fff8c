// A run folder records the engine config it ran with (config.json), and
// `trace --run` and `report` read it: a trace of a `--set contacts.*` run
// lists exactly that run's contacts. A folder from before (no config.json)
// still works, with the default config and one line on stderr saying so.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../engine/config.ts';
import { readArrowTable } from '../engine/io/read-arrow.ts';
import { readConfigFile } from '../engine/io/config-file.ts';
import { ctsim } from './helpers/cli.ts';
import { officeJson } from './helpers/short-office.ts';

// The ideal preset: CLI and I/O mechanics, thresholds set in the kind world (helpers/short-office.ts).
const office = officeJson();

interface Pair { other: string; exposureS: number; minDistanceM: number }

describe('run folders record their engine config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctsim-config-'));
  const scenario = join(dir, 'office-40m.json');
  // No survey (WLS), 40 minutes: quick, and with contacts of 5+ minutes.
  writeFileSync(scenario, JSON.stringify({ ...office, durationS: 2400, survey: undefined }));
  const run = join(dir, 'tuned');
  const old = join(dir, 'old');

  it('trace --run on a --set contacts.distanceM=1.5 run lists the same pairs and exposures as its contacts.arrow', async () => {
    const r = await ctsim('run', '--scenario', scenario, '--seed', '1', '--out', run, '--quiet', '--workers', '0',
      '--set', 'contacts.distanceM=1.5', '--set', 'contacts.minExposureS=300');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
    expect(config.contacts.distanceM).toBe(1.5);
    expect(config.contacts.minExposureS).toBe(300);
    expect(config.ingest.epochMs).toBe(DEFAULT_CONFIG.ingest.epochMs);
    // The machine's worker count is not recorded: a run is the same at any.
    expect(config.run.workers).toBeUndefined();

    const contacts = readArrowTable(join(run, 'contacts.arrow')).toArray() as unknown as { a: string; b: string; exposureS: number; minDistanceM: number }[];
    expect(contacts.length).toBeGreaterThan(2);
    const pairsOf = (device: string): Pair[] => contacts
      .filter((c) => c.a === device || c.b === device)
      .map((c) => ({ other: c.a === device ? c.b : c.a, exposureS: c.exposureS, minDistanceM: c.minDistanceM }))
      .sort((p, q) => (p.other < q.other ? -1 : 1));
    // The two devices with the most contacts.
    const count = new Map<string, number>();
    for (const c of contacts) for (const d of [c.a, c.b]) count.set(d, (count.get(d) ?? 0) + 1);
    const devices = [...count].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1)).slice(0, 2).map(([d]) => d);
    for (const device of devices) {
      const t = await ctsim('trace', '--run', run, '--device', device, '--json');
      expect(t.stderr).toBe('');
      expect(t.status).toBe(0);
      const traced: Pair[] = JSON.parse(t.stdout).exposed
        // contacts.arrow stores distances as float32.
        .map((e: { deviceId: string; exposureS: number; minDistanceM: number }) => ({ other: e.deviceId, exposureS: e.exposureS, minDistanceM: Math.fround(e.minDistanceM) }))
        .sort((p: Pair, q: Pair) => (p.other < q.other ? -1 : 1));
      expect(traced, device).toEqual(pairsOf(device));
    }
    // Some of these contacts are shorter than the default 900 s minimum: with the default config the trace would drop them.
    expect(contacts.some((c) => c.exposureS < DEFAULT_CONFIG.contacts.minExposureS)).toBe(true);
  }, 180_000);

  it('a bad value in a recorded config.json is named with the file', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'ctsim-cfg-')), 'config.json');
    writeFileSync(bad, JSON.stringify({ contacts: { distanceM: -5 } }));
    expect(() => readConfigFile(bad)).toThrow(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*contacts\\.distanceM`));
  });

  it('a folder without config.json traces with the default config and says so in one line', async () => {
    cpSync(run, old, { recursive: true });
    rmSync(join(old, 'config.json'));
    const contacts = readArrowTable(join(run, 'contacts.arrow')).toArray() as unknown as { a: string; exposureS: number }[];
    const short = contacts.find((c) => c.exposureS < DEFAULT_CONFIG.contacts.minExposureS)!;
    const t = await ctsim('trace', '--run', old, '--device', short.a, '--json');
    expect(t.status).toBe(0);
    const lines = t.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/old: no config\.json .*default engine config/);
    const exposed = JSON.parse(t.stdout).exposed as { exposureS: number }[];
    expect(exposed.every((e) => e.exposureS >= DEFAULT_CONFIG.contacts.minExposureS)).toBe(true);
  }, 60_000);

  it('check runs a baseline run with the config.json it names: the values it records are that run\'s metrics', async () => {
    const baseline = join(dir, 'baseline.json');
    writeFileSync(baseline, JSON.stringify({
      runs: [{ scenario: 'office-40m.json', seed: 1, config: 'tuned/config.json' }],
      metrics: [{ path: 'perTech.*.contacts.f1', better: 'higher', abs: 0.05 }, { path: 'perTech.*.contacts.truePairs', better: 'higher', abs: 0 }],
    }));
    const r = await ctsim('check', '--baseline', baseline, '--update', '--quiet', '--workers', '0');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const values = JSON.parse(readFileSync(baseline, 'utf8')).values['office-40m.json/seed1@tuned/config.json'];
    const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
    expect(Object.keys(values).length).toBeGreaterThan(4);
    for (const [path, v] of Object.entries(values)) {
      const [, tech, , k] = path.split('.');
      expect(v, path).toBe(metrics.perTech[tech].contacts[k]);
    }
  }, 120_000);

  it('report states each run\'s config changes, and notes a folder without config.json', async () => {
    const out = join(dir, 'report');
    const r = await ctsim('report', '--run', run, '--run', old, '--out', out, '--bench-results', join(dir, 'none'));
    expect(r.status).toBe(0);
    expect(r.stderr.trimEnd().split('\n').filter((l) => /no config\.json/.test(l))).toHaveLength(1);
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    // The two runs share scenario and seed: each is named by its folder too.
    expect(md).toMatch(new RegExp(`seed 1 \\(${basename(run)}\\): engine config default except .*\`contacts\\.distanceM = 1\\.5\`, \`contacts\\.minExposureS = 300\``));
    expect(md).toMatch(new RegExp(`seed 1 \\(${basename(old)}\\): engine config not recorded \\(no config\\.json\\)`));
  }, 120_000);
});
