// The body at stays whose facing no log records (bench/twin/stay-facing.ts):
// stays found as one device's runs at one spot, and the depth read back from
// synthetic residuals, with each spot's own pattern over bearings (the
// shelves on one side) left out of it.
import { describe, expect, it } from 'vitest';
import { staysOf, stayFacingDepthDb } from '../bench/twin/stay-facing.ts';
import { joinLog, type JoinedLog } from '../bench/twin/samples.ts';
import { simulateTwin, twinScenario } from '../bench/twin/simulate.ts';
import type { Site } from '../engine/contract/site.ts';
import { loadScenario } from '../scenarios/load.ts';
import { Rng } from '../sim/rng.ts';

interface Sample { device: number; tMs: number; x: number; y: number; ap: number; resid: number }

const samplesOf = (rows: Sample[]): JoinedLog['samples'] => ({
  device: Uint32Array.from(rows, (r) => r.device), tMs: Float64Array.from(rows, (r) => r.tMs),
  x: Float32Array.from(rows, (r) => r.x), y: Float32Array.from(rows, (r) => r.y),
  floor: new Int16Array(rows.length), ap: Uint16Array.from(rows, (r) => r.ap),
}) as unknown as JoinedLog['samples'];

const APS = Array.from({ length: 12 }, (_, a) => ({ x: 20 + 15 * Math.cos(a * 0.52 + 0.3 * (a % 3)), y: 20 + 15 * Math.sin(a * 0.52 + 0.3 * (a % 3)) }));

/** 40 spots, each visited `visits` times (3 scans a visit, 4 s apart), facing at random; the spot's own field has a bearing pattern of 8 dB. */
function log(depthDb: number, visits: number, seed: number): { rows: Sample[]; bearing: (r: Sample) => number } {
  const rng = new Rng(seed, 'stay-facing-test');
  const bearing = (r: Sample): number => Math.atan2(APS[r.ap].y - r.y, APS[r.ap].x - r.x);
  const rows: Sample[] = [];
  let t = 0;
  const spots = Array.from({ length: 40 }, (_, spot) => ({ x: 10 + (spot % 8) * 3, y: 12 + Math.floor(spot / 8) * 4, shelves: rng.uniform(-Math.PI, Math.PI), field: APS.map(() => rng.normal(0, 5)) }));
  // Each visit walks every spot in turn, as a survey's sets do.
  for (let v = 0; v < visits; v++) {
    for (const { x, y, shelves, field } of spots) {
      const facing = rng.uniform(-Math.PI, Math.PI);
      t += 15_000;
      for (let scan = 0; scan < 3; scan++, t += 4000) {
        APS.forEach((_, ap) => {
          const b = Math.atan2(APS[ap].y - y, APS[ap].x - x);
          const resid = (depthDb / 2) * Math.cos(b - facing) + 4 * Math.cos(b - shelves) + field[ap] + rng.normal(0, 2);
          rows.push({ device: 0, tMs: t, x, y, ap, resid });
        });
      }
    }
  }
  return { rows, bearing };
}

function depth(depthDb: number, visits: number, seed = 1): number | null {
  const { rows, bearing } = log(depthDb, visits, seed);
  const s = samplesOf(rows), idx = rows.map((_, i) => i);
  return stayFacingDepthDb(staysOf(idx, s), Float64Array.from(rows, (r) => r.resid), new Float64Array(rows.length).fill(1), (k) => rows[k].ap, (k) => bearing(rows[k]));
}

describe('the body at stays', () => {
  it('finds a device\'s runs at one spot, two reports or more', () => {
    const rows: Sample[] = [];
    const scan = (tMs: number, x: number): void => { for (let ap = 0; ap < 6; ap++) rows.push({ device: 0, tMs, x, y: 0, ap, resid: 0 }); };
    scan(0, 1); scan(4000, 1); scan(8000, 1); // a stay of three scans
    scan(12_000, 5); // one scan at a spot: passing through
    scan(16_000, 9); scan(20_000, 9.01); // two scans within a few centimetres
    scan(200_000, 9.01); // back at it minutes later: a stay of its own, but only one scan
    const stays = staysOf(rows.map((_, i) => i), samplesOf(rows));
    expect(stays.map((st) => st.byAp.reduce((n, ks) => n + ks.length, 0))).toEqual([18, 12]);
    expect(stays[0].byAp).toHaveLength(6);
  });

  it('reads the depth the facings were drawn with, not the spot\'s own pattern', () => {
    for (const d of [6, 10]) {
      const got = depth(d, 4)!;
      expect(got).toBeGreaterThan(d * 0.85);
      expect(got).toBeLessThan(d * 1.15);
    }
    // No body: the shelves' 8 dB pattern and the field, the same at every visit, read as none.
    expect(depth(0, 4)!).toBeLessThan(1.5);
  });

  it('reads nothing where no spot is visited twice', () => {
    expect(depth(8, 1)).toBeNull();
  });
});

describe('a twin\'s carrier who faces at random where it stops', () => {
  // 12 APs about a 40 m floor; a badge in the hand makes 8 loops over 30 spots, three emissions 4 s apart at each.
  const site: Site = {
    floors: [{ id: 0, name: 'one', widthM: 40, heightM: 40, elevationM: 0 }], walls: [], zones: [],
    aps: APS.map((p, a) => ({ id: `ap${a}`, floor: 0, x: p.x, y: p.y, radios: { ble: { txPowerDbm: 0 } } })),
  };
  const spots = Array.from({ length: 30 }, (_, k) => ({ x: 10 + (k % 6) * 4, y: 10 + Math.floor(k / 6) * 4 }));
  const t: number[] = [], xs: number[] = [], ys: number[] = [];
  for (let loop = 0, tMs = 0; loop < 8; loop++) {
    for (const p of spots) {
      for (let e = 0; e < 3; e++, tMs += 4000) { t.push(tMs); xs.push(p.x); ys.push(p.y); }
      tMs += 11_000;
    }
  }
  const track = { tMs: Float64Array.from(t), x: Float32Array.from(xs), y: Float32Array.from(ys), floor: new Int16Array(t.length) };

  /** The body's depth that the stays of a twin's log read back, its carrier given a hand depth of 8 dB. */
  function readBack(facesAtRandom: boolean): number | null {
    const radio = loadScenario('office', { radioPreset: 'ideal' }).radio;
    radio.effects = { ...radio.effects, fading: false, shadowing: false, packetLoss: false, deviceOffsets: false, advertisingChannels: false, temporal: false, bodyOrientation: true };
    radio.ble.bodyOrientationDepthDb.hand = 8;
    const scenario = twinScenario(site, radio, 1, {});
    const obs = simulateTwin(scenario, [{ id: 'phone', tech: 'ble-badge', track, intervalS: 4, timesMs: track.tMs, facesAtRandom }], null).observations;
    const log = joinLog(site, obs, new Map([['phone', track]]));
    const idx = Array.from({ length: log.samples.length }, (_, i) => i);
    const resid = Float64Array.from(idx, (i) => log.samples.rssiDbm[i] - log.samples.txDbm[i]);
    const bearing = (k: number): number => Math.atan2(site.aps[log.samples.ap[k]].y - log.samples.y[k], site.aps[log.samples.ap[k]].x - log.samples.x[k]);
    return stayFacingDepthDb(staysOf(idx, log.samples), resid, new Float64Array(idx.length).fill(1), (k) => log.samples.ap[k], bearing);
  }

  it('turns a way of its own at each stop, which its stays read as its body', () => {
    // It turns as it stops, so all three emissions at a spot face the way it turned.
    const got = readBack(true)!;
    expect(got).toBeGreaterThan(7);
    expect(got).toBeLessThan(9);
  });

  it('otherwise faces the way it walked in, the same at every visit, which the stays read as none', () => {
    expect(readBack(false)!).toBeLessThan(1);
  });
});
