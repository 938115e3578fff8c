// The carrier's body by walking direction, read from the log's tracks
// (engine/calibrate/walking-body.ts): on a synthetic floor whose map is
// exact, walkers whose readings carry a body of known depth or none, tracked
// as a smoother tracks them (unbiased, 0.3 m of noise) or lagging behind.
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { ObservationBatch } from '../engine/contract/observations.ts';
import type { Site } from '../engine/contract/site.ts';
import { siteLayout } from '../engine/localize/layout.ts';
import type { TechRadioMap } from '../engine/localize/types.ts';
import type { Estimates } from '../engine/outputs.ts';
import { fitWalkingBody, walkingTracks, WALKING_BODY_SETTINGS, withoutWalkingBody } from '../engine/calibrate/walking-body.ts';
import { TECHS } from '../engine/contract/site.ts';

const SIZE_M = 30, CELL_M = 0.5, EPOCH_MS = 5000;
const site: Site = {
  floors: [{ id: 0, name: 'f', widthM: SIZE_M, heightM: SIZE_M, elevationM: 0 }],
  walls: [],
  zones: [],
  aps: [[3, 3], [15, 2], [27, 4], [2, 15], [15, 15], [28, 16], [4, 27], [16, 28], [26, 26]].map(([x, y], i) => ({ id: `ap${i}`, floor: 0, x, y, radios: { ble: { txPowerDbm: 0 } } })),
};
const layout = siteLayout(site);
const gainAt = (ap: number, x: number, y: number): number => -40 - 25 * Math.log10(Math.max(1, Math.hypot(x - layout.apX[ap], y - layout.apY[ap])));
const nx = SIZE_M / CELL_M, aps = site.aps.length;
const gain = new Float32Array(nx * nx * aps);
for (let j = 0; j < nx; j++) for (let i = 0; i < nx; i++) for (let a = 0; a < aps; a++) gain[(j * nx + i) * aps + a] = gainAt(a, (i + 0.5) * CELL_M, (j + 0.5) * CELL_M);
const map: TechRadioMap = {
  grid: { cellM: CELL_M, nx: Int32Array.of(nx), ny: Int32Array.of(nx), gainDb: [gain], walkable: [] },
  apOffsetDb: new Float32Array(aps), readingSigmaDb: 4, radiusFloor: { reports: [], floorM: [] },
};
const maps = TECHS.map((t) => (t === 'ble-badge' ? map : undefined));

/**
 * Badges walking back and forth across the floor at 1.2 m/s for an hour, two
 * reports per AP per epoch with 4 dB of fading, their readings less a body of
 * depthDb by the walking direction; the track the engine would have: truth
 * plus 0.3 m of noise, lagDistM behind the walker.
 */
function walkers(depthDb: number, lagDistM: number, seed: string): { obs: ObservationBatch; track: Estimates } {
  const rng = seedrandom(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const rows: [number, number, number, number][] = [];
  const fixes: [number, number, number, number][] = [];
  const devices = 6, epochs = 720;
  for (let d = 0; d < devices; d++) {
    // Legs of 18 m or more between random waypoints.
    let x = 5 + 20 * rng(), y = 5 + 20 * rng(), tx = 5 + 20 * rng(), ty = 5 + 20 * rng();
    for (let e = 0; e < epochs; e++) {
      while (Math.hypot(tx - x, ty - y) < 6) {
        const [nx, ny] = [2 + 26 * rng(), 2 + 26 * rng()];
        if (Math.hypot(nx - x, ny - y) >= 18) [tx, ty] = [nx, ny];
      }
      const heading = Math.atan2(ty - y, tx - x);
      [x, y] = [x + 6 * Math.cos(heading), y + 6 * Math.sin(heading)];
      const t = e * EPOCH_MS + 2500;
      fixes.push([t, d, x - lagDistM * Math.cos(heading) + 0.3 * gauss(), y - lagDistM * Math.sin(heading) + 0.3 * gauss()]);
      for (let a = 0; a < aps; a++) {
        const body = (depthDb / 2) * Math.cos(Math.atan2(layout.apY[a] - y, layout.apX[a] - x) - heading);
        for (const dt of [1000, 3500]) rows.push([e * EPOCH_MS + dt, d, a, gainAt(a, x, y) + body + 4 * gauss()]);
      }
    }
  }
  rows.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  fixes.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const obs: ObservationBatch = {
    length: rows.length, tMs: Float64Array.from(rows, (r) => r[0]), deviceIdx: Uint32Array.from(rows, (r) => r[1]), apIdx: Uint16Array.from(rows, (r) => r[2]),
    rssiDbm: Float32Array.from(rows, (r) => r[3]), devices: Array.from({ length: devices }, (_, d) => ({ id: `badge-${d}`, tech: 'ble-badge' as const })),
  };
  const track: Estimates = {
    length: fixes.length, tMs: Float64Array.from(fixes, (f) => f[0]), deviceIdx: Uint32Array.from(fixes, (f) => f[1]), x: Float32Array.from(fixes, (f) => f[2]),
    y: Float32Array.from(fixes, (f) => f[3]), floor: new Int16Array(fixes.length), errorRadiusM: new Float32Array(fixes.length).fill(1), apsUsed: new Uint8Array(fixes.length).fill(aps),
  };
  return { obs, track };
}

const s = WALKING_BODY_SETTINGS.defaults;
function read(depthDb: number, lagDistM: number, seed = 'walk') {
  const { obs, track } = walkers(depthDb, lagDistM, seed);
  const walks = walkingTracks([track], obs.devices.length, EPOCH_MS, s);
  return { body: fitWalkingBody(layout, obs, walks, maps, EPOCH_MS, s)[TECHS.indexOf('ble-badge')]!, obs, walks, track };
}

describe('the walking body read from the tracks', () => {
  it('reads a body of 8 dB at 5-8 dB, beyond chance, and one facing back as negative (measured: 6 and -6 dB)', () => {
    // Below 8: the window's direction straddles some of the walk's turns.
    const front = read(8, 0).body, back = read(-8, 0).body;
    expect(front.used).toBe(true);
    expect(front.depthDb).toBeGreaterThanOrEqual(5);
    expect(front.depthDb).toBeLessThanOrEqual(8);
    expect(front.z).toBeGreaterThan(10);
    expect(back.used).toBe(true);
    expect(back.depthDb).toBeLessThanOrEqual(-5);
  });

  it('reads none where there is none (three seeds)', () => {
    for (const seed of ['a', 'b', 'c']) {
      const { body } = read(0, 0, seed);
      expect(body.used, seed).toBe(false);
      expect(Math.abs(body.depthDb), seed).toBeLessThanOrEqual(1);
    }
  });

  it('reads a track that lags its walker by 2 m as a shallow body, a third of a real one (why the batch tracker smooths: measured 2 dB)', () => {
    const { body } = read(0, 2, 'b');
    expect(Math.abs(body.depthDb)).toBeLessThanOrEqual(2.5);
  });

  it('takes the depth it used out of the walking readings, by their bearing off the walking direction, and leaves the log as it is where it used none', () => {
    const { body, obs, walks, track } = read(8, 0);
    const out = withoutWalkingBody(layout, obs, walks, TECHS.map((t) => (t === 'ble-badge' ? body : null)), EPOCH_MS);
    // A row of device 0 in its 10th epoch: its walking direction from its fixes 2 epochs either side.
    const fixes = Array.from({ length: track.length }, (_, k) => k).filter((k) => track.deviceIdx[k] === 0);
    const [before, at, after] = [fixes[8], fixes[10], fixes[12]];
    const i = Array.from({ length: obs.length }, (_, k) => k).find((k) => obs.deviceIdx[k] === 0 && Math.floor(obs.tMs[k] / EPOCH_MS) === 10)!;
    const heading = Math.atan2(track.y[after] - track.y[before], track.x[after] - track.x[before]);
    const bearing = Math.atan2(layout.apY[obs.apIdx[i]] - track.y[at], layout.apX[obs.apIdx[i]] - track.x[at]);
    expect(out.rssiDbm[i]).toBeCloseTo(obs.rssiDbm[i] - (body.depthDb / 2) * Math.cos(bearing - heading), 4);
    expect(withoutWalkingBody(layout, obs, walks, TECHS.map(() => ({ ...body, used: false })), EPOCH_MS).rssiDbm).toEqual(obs.rssiDbm);
  });
});
