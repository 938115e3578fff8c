// Every numeric setting has a valid range, checked before any work: through
// the CLI (--set, sweep --param, --workers) and for a config given in code.
import { describe, expect, it } from 'vitest';
import { CONFIG_RULES, DEFAULT_CONFIG, resolveConfig } from '../engine/config.ts';
import type { Rule } from '../engine/settings/rules.ts';
import { checkWorkersFlag } from '../cli/engine-options.ts';
import { parseSettings } from '../cli/set-option.ts';
import { ctsim } from './helpers/cli.ts';

/** Every numeric setting's path and rule. */
function numericRules(rule: Rule, path = ''): [string, { min: number; max: number }][] {
  if ('kind' in rule && typeof rule.kind === 'string') {
    const r = rule as { kind: string; min?: number; max?: number; item?: Rule };
    if (r.kind === 'number') return [[path, { min: r.min!, max: r.max! }]];
    return r.kind === 'list' ? numericRules(r.item!, `${path}[]`) : [];
  }
  return Object.entries(rule as Record<string, Rule>).flatMap(([k, v]) => numericRules(v, path ? `${path}.${k}` : k));
}

describe('setting ranges', () => {
  it('gives every numeric setting a finite range that holds its default', async () => {
    const rules = numericRules(CONFIG_RULES);
    expect(rules.length).toBeGreaterThan(90);
    for (const [path, { min, max }] of rules) {
      expect(Number.isFinite(min) && Number.isFinite(max) && min < max, path).toBe(true);
      const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key.replace('[]', '')], DEFAULT_CONFIG);
      for (const v of Array.isArray(value) ? value : [value]) expect(v >= min && v <= max, `${path} = ${v}`).toBe(true);
    }
    expect(() => resolveConfig()).not.toThrow();
  });

  it('refuses a config given in code with a value out of range, naming it', async () => {
    expect(() => resolveConfig({ track: { particle: { count: -1 } } })).toThrow(/^config track.particle.count = -1: must be a whole number in \[1, 100000\]$/);
    expect(() => resolveConfig({ proximity: { attenuationThresholdsDb: [46, 48] as unknown as [number, number, number] } })).toThrow(/proximity.attenuationThresholdsDb/);
    expect(() => resolveConfig({ contacts: { distanceM: 2, nearM: 1 } as never })).toThrow(/unknown config key 'contacts.nearM'/);
  });

  it('ctsim run --set exits 2 with one line naming the key, the value and the range, before simulating', async () => {
    const r = await ctsim('run', '--scenario', 'office', '--set', 'track.particle.count=-1', '--out', '/nonexistent/never-written', '--quiet');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ctsim: --set track\.particle\.count=-1: must be a whole number in \[1, 100000\] \(see ctsim --help\)$/)]);
    // The same parser, in-process (a child process each proves nothing more).
    expect(() => parseSettings(['hotZones.intervalS=0'])).toThrow(/^--set hotZones\.intervalS=0: must be a number in \[1, 86400\]$/);
    expect(() => parseSettings(['contacts.distanceM=-2'])).toThrow(/^--set contacts\.distanceM=-2: must be a number in \(0, 100\]$/);
    expect(() => checkWorkersFlag(1000)).toThrow(/^--workers: run\.workers=1000: must be a whole number in \[0, 128\]$/);
  });

  it('ctsim sweep --param checks the same ranges', async () => {
    const sweep = await ctsim('sweep', '--scenario', 'office', '--param', 'contacts.distanceM=-1,2', '--out', '/nonexistent/never-written', '--quiet');
    expect(sweep.status).toBe(2);
    expect(sweep.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ctsim: --param contacts\.distanceM=-1: must be a number in \(0, 100\] \(see ctsim --help\)$/)]);
  });
});
