import { describe, expect, it } from 'vitest';
import { engineConfig } from '../cli/engine-options.ts';
import { parseSettings } from '../cli/set-option.ts';
import { resolveConfig } from '../engine/config.ts';
import { ctsim } from './helpers/cli.ts';

describe('--set key=value', () => {
  it('types each value like its setting and nests it by path', () => {
    expect(parseSettings(['stays.poolS=0', 'track.filter=none', 'track.kalman.smooth=false', 'contacts.distanceM=1.5'])).toEqual({
      stays: { poolS: 0 },
      track: { filter: 'none', kalman: { smooth: false } },
      contacts: { distanceM: 1.5 },
    });
  });

  it('wins over --tracker and --localizer, and leaves the other keys of a section at their defaults', () => {
    const cfg = resolveConfig(engineConfig({ workers: 1, quiet: true, localizer: 'map', tracker: 'kalman', set: ['track.filter=grid', 'localize.method=wls', 'track.grid.cellM=2'] }));
    expect(cfg.track.filter).toBe('grid');
    expect(cfg.localize.method).toBe('wls');
    expect(cfg.track.grid.cellM).toBe(2);
    expect(cfg.track.maxSpeedMps).toBe(resolveConfig().track.maxSpeedMps);
    expect(cfg.run.workers).toBe(1);
  });

  it('names the key and what is wrong with it', () => {
    expect(() => parseSettings(['stays.pool=0'])).toThrow(/unknown config key 'stays.pool'/);
    expect(() => parseSettings(['localize=0'])).toThrow(/'localize' is a section/);
    expect(() => parseSettings(['stays.poolS=soon'])).toThrow(/^--set stays.poolS=soon: must be a number in \[0, 86400\]$/);
    expect(() => parseSettings(['stays.poolS='])).toThrow(/^--set stays.poolS=: must be a number in \[0, 86400\]$/);
    expect(() => parseSettings(['track.kalman.smooth=1'])).toThrow(/^--set track.kalman.smooth=1: must be true or false$/);
    expect(() => parseSettings(['track.filter=kalmann'])).toThrow(/^--set track.filter=kalmann: must be one of grid, kalman, particle, none$/);
    expect(() => parseSettings(['track.filter'])).toThrow(/--set must look like key=value/);
    expect(() => parseSettings(['track.filter=none', 'track.filter=grid'])).toThrow(/--set track.filter given twice/);
    expect(() => parseSettings(['hotZones.techs=wifi'])).toThrow(/'hotZones.techs' is a list/);
  });

  it('names the new path of a setting that moved', () => {
    expect(() => parseSettings(['track.particles=50'])).toThrow(/unknown config key 'track.particles' \(now track.particle.count\)/);
    expect(() => parseSettings(['localizer=wls'])).toThrow(/\(now localize.method\)/);
    // The grid tracker's own radius floor became the one every tracker shares.
    expect(() => parseSettings(['track.grid.minRadiusShare=0.8'])).toThrow(/unknown config key 'track.grid.minRadiusShare' \(now track.minRadiusShare\)/);
  });

  it('ctsim run rejects a bad --set in one line before simulating anything', async () => {
    const r = await ctsim('run', '--set', 'track.fliter=none', '--out', '/nonexistent/never-written', '--quiet');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n').filter((l) => /config key/.test(l))).toEqual([expect.stringMatching(/unknown config key 'track.fliter'/)]);
  });
});
