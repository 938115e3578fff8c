// The twin replays a real log's devices (bench/twin/simulate.ts): each emits
// at exactly its real report times (no reading where the real log has none)
// and with its calibrated gain offset when it has one.
import { describe, expect, it } from 'vitest';
import { simulateTwin, twinScenario, type TwinDevice } from '../bench/twin/simulate.ts';
import { TrackBuilder } from '../sim/track.ts';
import { validateRadio } from '../scenarios/validate.ts';
import { testSite } from './helpers/twin-log.ts';

const radio = validateRadio({
  wifi: { pathLossExponent: 3, refLossDbAt1m: 40, shadowingSigmaDb: 0, shadowingDecorrelationM: 3, ricianKDb: 20, sensitivityDbm: -120, packetLoss: 0 },
  ble: { pathLossExponent: 2, refLossDbAt1m: 50, shadowingSigmaDb: 0, shadowingDecorrelationM: 3, ricianKDb: 20, sensitivityDbm: -120, packetLoss: 0, deviceOffsetSigmaDb: 4, channelOffsetSigmaDb: 0 },
}, 'test radio');

/** A badge standing at (10, 10) from 0 to 60 s, then walking to (20, 10) by 80 s. */
function device(id: string, extra: Partial<TwinDevice>): TwinDevice {
  const b = new TrackBuilder();
  b.add(0, 10, 10, 0);
  b.add(60_000, 10, 10, 0);
  b.add(80_000, 20, 10, 0);
  return { id, tech: 'ble-badge', track: b.build(), intervalS: 1, ...extra };
}

describe('simulateTwin', () => {
  it('emits at the given report times only: 7 times, each heard by all 6 APs, none while walking', () => {
    const timesMs = Float64Array.from([1000, 2500, 4000, 30_000, 59_000, 79_500, 79_900]);
    const { observations: obs } = simulateTwin(twinScenario(testSite(), radio, 1, {}), [device('a', { timesMs })], null);
    expect(obs.length).toBe(7 * 6);
    expect([...new Set(obs.tMs)]).toEqual([...timesMs]);
  });

  it('gives a device its calibrated offset: +5 dB and −5 dB read 10 dB apart at every AP (drawn offsets with sd 4 dB otherwise)', () => {
    const timesMs = Float64Array.from([1000, 2000, 3000]);
    const { observations: obs } = simulateTwin(twinScenario(testSite(), radio, 1, {}), [device('hi', { timesMs, offsetDb: 5 }), device('lo', { timesMs, offsetDb: -5 })], null);
    const mean = (id: string): number => {
      const rows = [...obs.rssiDbm].filter((_, i) => obs.devices[obs.deviceIdx[i]].id === id);
      return rows.reduce((a, x) => a + x, 0) / rows.length;
    };
    // K = 20 dB fading: each reading within a dB or so of its mean, rounded to whole dBm.
    expect(mean('hi') - mean('lo')).toBeGreaterThan(9);
    expect(mean('hi') - mean('lo')).toBeLessThan(11);
  });
});

describe('ctsim twin --survey-from-calibration', () => {
  it('refuses a negative grid: one line, exit 2', async () => {
    const { ctsim } = await import('./helpers/cli.ts');
    const r = await ctsim('twin', '--site', 'x.json', '--observations', 'o.csv', '--positions', 'p.csv', '--split', 'time:0.5', '--survey-from-calibration', '-1');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--survey-from-calibration/);
  });
});
