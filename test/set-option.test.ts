import { describe, expect, it } from 'vitest';
import { engineConfig } from '../cli/engine-options.ts';
import { parseSettings } from '../cli/set-option.ts';
import { resolveConfig } from '../engine/config.ts';
import { ctsim } from './helpers/cli.ts';

describe('--set key=value', () => {
  it('types each value like its default and nests it by path', () => {
    expect(parseSettings(['localize.stillPoolS=0', 'track.filter=none', 'track.smooth=false', 'contacts.distanceM=1.5'])).toEqual({
      localize: { stillPoolS: 0 },
      track: { filter: 'none', smooth: false },
      contacts: { distanceM: 1.5 },
    });
  });

  it('wins over --tracker and --localizer, and leaves the other keys of a section at their defaults', () => {
    const cfg = resolveConfig(engineConfig({ workers: 1, quiet: true, localizer: 'map', tracker: 'kalman', set: ['track.filter=grid', 'localizer=wls', 'track.gridCellM=2'] }));
    expect(cfg.track.filter).toBe('grid');
    expect(cfg.localizer).toBe('wls');
    expect(cfg.track.gridCellM).toBe(2);
    expect(cfg.track.maxSpeedMps).toBe(resolveConfig().track.maxSpeedMps);
    expect(cfg.workers).toBe(1);
  });

  it('names the key and what is wrong with it', () => {
    expect(() => parseSettings(['localize.stillPool=0'])).toThrow(/unknown config key 'localize.stillPool'/);
    expect(() => parseSettings(['localize=0'])).toThrow(/'localize' is a section/);
    expect(() => parseSettings(['localize.stillPoolS=soon'])).toThrow(/--set localize.stillPoolS: 'soon' is not a number/);
    expect(() => parseSettings(['localize.stillPoolS='])).toThrow(/--set localize.stillPoolS: '' is not a number/);
    expect(() => parseSettings(['track.smooth=1'])).toThrow(/--set track.smooth: '1' is not true or false/);
    expect(() => parseSettings(['track.filter=kalmann'])).toThrow(/--set track.filter: 'kalmann' is not one of grid, kalman, particle, none/);
    expect(() => parseSettings(['track.filter'])).toThrow(/--set must look like key=value/);
    expect(() => parseSettings(['track.filter=none', 'track.filter=grid'])).toThrow(/--set track.filter given twice/);
  });

  it('ctsim run rejects a bad --set in one line before simulating anything', async () => {
    const r = await ctsim('run', '--set', 'track.fliter=none', '--out', '/nonexistent/never-written', '--quiet');
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n').filter((l) => /config key/.test(l))).toEqual([expect.stringMatching(/unknown config key 'track.fliter'/)]);
  });
});
