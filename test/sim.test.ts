import { beforeAll, describe, expect, it } from 'vitest';
import { linearRegression, mean, sampleCorrelation, standardDeviation } from 'simple-statistics';
import type { ObservationBatch } from '../engine/contract/observations.ts';
import { loadScenario, validateScenario } from '../scenarios/load.ts';
import type { BandRadio, RadioEffects, Scenario, ScenarioSite } from '../scenarios/types.ts';
import { Des } from '../sim/des.ts';
import { assignDevices, DeviceRegistry } from '../sim/devices.ts';
import { DeviceEmitter } from '../sim/emitter.ts';
import { ObservationColumns } from '../engine/contract/observation-columns.ts';
import { BandChannel } from '../sim/radio/channel.ts';
import { AP_HEIGHT_M, DEVICE_HEIGHT_M } from '../sim/radio/heights.ts';
import { rayleighFadingDb, ricianFadingDb } from '../sim/radio/fading.ts';
import { ShadowingField } from '../sim/radio/shadowing.ts';
import { Rng } from '../sim/rng.ts';
import { simulate } from '../sim/simulate.ts';
import { ABSENT_FLOOR, TrackCursor } from '../sim/track.ts';
import { findContacts, samplePositions } from '../sim/truth.ts';
import type { SimResult, Track } from '../sim/types.ts';
import { Walkways } from '../sim/walkways.ts';
import { wallCrossings } from './helpers/wall-crossings.ts';
import { expectSameData } from './helpers/same-data.ts';

/**
 * A 20 x 10 m floor: desks (west), meeting room, kitchen (east) along the
 * south; a corridor along the north with the entrance at its west end and a
 * coffee corner at its east end. Doors are 1 m gaps in the wall at y = 6.
 */
function tinyScenario(seed = 7): Scenario {
  const drywall = (x1: number, y1: number, x2: number, y2: number) => ({ floor: 0, x1, y1, x2, y2, material: 'drywall' });
  const concrete = (x1: number, y1: number, x2: number, y2: number) => ({ floor: 0, x1, y1, x2, y2, material: 'concrete' });
  const rect = (x0: number, y0: number, x1: number, y1: number): [number, number][] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
  const radios = { wifi: { txPowerDbm: 20 }, ble: { txPowerDbm: 0 } };
  const site = {
    floors: [{ id: 0, name: 'ground', widthM: 20, heightM: 10, elevationM: 0 }],
    materials: { drywall: 3, concrete: 12 },
    walls: [
      concrete(0, 0, 20, 0), concrete(20, 0, 20, 10), concrete(20, 10, 0, 10), concrete(0, 10, 0, 0),
      drywall(0, 6, 4, 6), drywall(5, 6, 12, 6), drywall(13, 6, 17.5, 6), drywall(18.5, 6, 20, 6),
      drywall(10, 0, 10, 6), drywall(16, 0, 16, 6),
    ],
    zones: [
      { id: 'entrance', name: 'Entrance', floor: 0, polygon: rect(0, 6, 3, 10), capacity: 4, kind: 'entrance', entryNode: 'ent', seatSpacingM: 1.5 },
      { id: 'corridor', name: 'Corridor', floor: 0, polygon: rect(3, 6, 16, 10), capacity: 10, kind: 'corridor', entryNode: 'c1', seatSpacingM: 1.5 },
      { id: 'coffee', name: 'Coffee', floor: 0, polygon: rect(16, 6, 20, 10), capacity: 6, kind: 'break', entryNode: 'c3', seatSpacingM: 1.2 },
      { id: 'desks', name: 'Desks', floor: 0, polygon: rect(0, 0, 10, 6), capacity: 18, kind: 'desks', entryNode: 'dA', seatSpacingM: 1.6 },
      { id: 'meeting', name: 'Meeting', floor: 0, polygon: rect(10, 0, 16, 6), capacity: 6, kind: 'meeting', entryNode: 'dB', seatSpacingM: 1.2 },
      { id: 'kitchen', name: 'Kitchen', floor: 0, polygon: rect(16, 0, 20, 6), capacity: 6, kind: 'lunch', entryNode: 'dL', seatSpacingM: 1.2 },
    ],
    aps: [
      { id: 'ap-1', floor: 0, x: 5, y: 3, radios },
      { id: 'ap-2', floor: 0, x: 13, y: 3, radios },
      { id: 'ap-3', floor: 0, x: 18, y: 3, radios },
      { id: 'ap-4', floor: 0, x: 10, y: 8, radios },
    ],
    walkways: {
      nodes: [
        { id: 'ent', floor: 0, x: 1.5, y: 8 }, { id: 'c1', floor: 0, x: 4.5, y: 8 }, { id: 'c2', floor: 0, x: 12.5, y: 8 },
        { id: 'c3', floor: 0, x: 18, y: 8 }, { id: 'dA', floor: 0, x: 4.5, y: 4 }, { id: 'dB', floor: 0, x: 12.5, y: 4 },
        { id: 'dL', floor: 0, x: 18, y: 4 },
      ],
      edges: [['ent', 'c1'], ['c1', 'c2'], ['c2', 'c3'], ['c1', 'dA'], ['c2', 'dB'], ['c3', 'dL']],
    },
  };
  const role = {
    share: 0.75, arriveS: [0, 1800] as [number, number], leaveS: [9000, 10000] as [number, number],
    lunchStartS: [3600, 5400] as [number, number], lunchDurationS: [900, 1800] as [number, number],
    breaksPerDay: [1, 2] as [number, number], breakDurationS: [120, 300] as [number, number], attendsMeetings: true,
  };
  // Through the validator, so the optional fields get their defaults.
  return validateScenario({
    name: 'tiny',
    description: 'two rooms, a kitchen and a corridor',
    seed,
    durationS: 10_800,
    site,
    population: {
      count: 12,
      roles: { staff: role, visitor: { ...role, share: 0.25, arriveS: [1800, 3600], leaveS: [6000, 8000], breaksPerDay: [0, 1] } },
      meetings: { durationS: [900, 1800], gapS: [300, 900], fillShare: [0.5, 1] },
      walkSpeedMps: [1.1, 1.5],
    },
    devices: {
      wifi: { share: 0.75, intervalS: 4, txPowerDbm: 15 },
      'wifi-probe': { share: 0.25, intervalS: 60, txPowerDbm: 15 },
      'ble-badge': { share: 0.5, intervalS: 1, txPowerDbm: 0 },
      'ble-app': { share: 0.5, intervalS: 2, txPowerDbm: 0 },
    },
    radio: {
      wifi: { pathLossExponent: 3, refLossDbAt1m: 40, shadowingSigmaDb: 4, shadowingDecorrelationM: 4, ricianKDb: 6, sensitivityDbm: -90, packetLoss: 0.05 },
      ble: { pathLossExponent: 2.5, refLossDbAt1m: 41, shadowingSigmaDb: 3.5, shadowingDecorrelationM: 3, ricianKDb: 6, sensitivityDbm: -95, packetLoss: 0.1 },
    },
    truth: { contacts: { distanceM: 2, minExposureS: 900 }, sampleIntervalS: 5 },
  }, 'tiny');
}

/** A 40 x 10 m floor with one AP at (0, 5) and the given walls, for the radio chain alone. */
function radioSite(walls: ScenarioSite['walls']): ScenarioSite {
  return {
    floors: [{ id: 0, name: 'f', widthM: 40, heightM: 10, elevationM: 0 }],
    materials: {},
    walls,
    zones: [],
    aps: [{ id: 'ap', floor: 0, x: 0, y: 5, radios: { wifi: { txPowerDbm: 20 } } }],
    walkways: { nodes: [], edges: [] },
  };
}

const quietRadio: BandRadio = {
  pathLossExponent: 3, refLossDbAt1m: 40, shadowingSigmaDb: 0, shadowingDecorrelationM: 4, ricianKDb: 6, sensitivityDbm: -200, packetLoss: 0, packetLossCorrelation: 0, sensitivityRampDb: 0,
  floorLossDb: 15, deviceOffsetSigmaDb: 0, bodyLossDb: { hand: 0, pocket: 0, lanyard: 0 }, channelOffsetSigmaDb: 0, slowSigmaDb: 0, slowCorrelationS: 1,
  bodyOrientationDepthDb: { hand: 0, pocket: 0, lanyard: 0 }, driftSigmaInfDb: 0, driftTimeDays: 1, apLifeDays: 1100, apGainDb: {},
};
const allEffects: RadioEffects = {
  walls: true, floors: true, shadowing: true, fading: true, deviceOffsets: true, bodyLoss: true, advertisingChannels: true, packetLoss: true, temporal: false, bodyOrientation: false, drift: true, otherBodies: false, deviceModels: false, bleTiming: false, mapDrawing: false, wifiChannels: false, wifiTraffic: false, wifiReports: false,
};

function meanRssiAt(channel: BandChannel, x: number, y: number, samples: number, rng: Rng, floor = 0): number {
  const meanDbm = channel.meanRxDbm(0, 20, x, y, floor);
  const los = channel.lineOfSight;
  let sum = 0;
  for (let i = 0; i < samples; i++) sum += channel.receive(meanDbm, los, rng);
  return sum / samples;
}

function expectSortedObservations(obs: ObservationBatch): void {
  let bad = 0;
  for (let i = 1; i < obs.length; i++) {
    const dt = obs.tMs[i] - obs.tMs[i - 1];
    const dd = obs.deviceIdx[i] - obs.deviceIdx[i - 1];
    if (dt < 0 || (dt === 0 && (dd < 0 || (dd === 0 && obs.apIdx[i] <= obs.apIdx[i - 1])))) bad++;
  }
  expect(bad).toBe(0);
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** A person sitting at (x, y) on floor 0 from t = 0 to the end of the run. */
function seatedTrack(x: number, y: number): Track {
  return { tMs: Float64Array.of(0), x: Float32Array.of(x), y: Float32Array.of(y), floor: Int16Array.of(0) };
}

describe('DES core', () => {
  it('runs events by time, then by insertion order', () => {
    const des = new Des();
    const log: string[] = [];
    des.schedule(30, () => log.push(`c@${des.nowMs}`));
    des.schedule(10, () => {
      log.push(`a@${des.nowMs}`);
      des.schedule(20, () => log.push(`b2@${des.nowMs}`));
    });
    des.schedule(20, () => log.push(`b1@${des.nowMs}`));
    des.schedule(50, () => log.push('late'));
    des.run(40);
    expect(log).toEqual(['a@10', 'b1@20', 'b2@20', 'c@30']);
    expect(des.nowMs).toBe(40);
    expect(() => des.schedule(39, () => {})).toThrow(/before now/);
    des.run(50);
    expect(log.at(-1)).toBe('late');
  });
});

describe('walkways', () => {
  it('finds the shortest path by Euclidean length', () => {
    const w = new Walkways({
      nodes: [{ id: 'a', floor: 0, x: 0, y: 0 }, { id: 'b', floor: 0, x: 10, y: 0 }, { id: 'c', floor: 0, x: 5, y: 1 }, { id: 'd', floor: 0, x: 5, y: 10 }],
      edges: [['a', 'd'], ['d', 'b'], ['a', 'c'], ['c', 'b']],
    });
    expect(w.shortestPath('a', 'b').map((i) => w.nodes[i].id)).toEqual(['a', 'c', 'b']);
    expect(w.shortestPath('b', 'b')).toEqual([1]);
    expect(() => w.shortestPath('a', 'zz')).toThrow(/unknown walkway node "zz"/);
  });
});

describe('radio chain', () => {
  it('RSSI falls with 10·n·log10(distance) (n = 3, no walls, no shadowing)', () => {
    const channel = new BandChannel(radioSite([]), 'wifi', quietRadio, allEffects, 1);
    const rng = new Rng(1, 'test');
    const points: [number, number][] = [];
    for (let xM = 1; xM <= 30; xM += 1) {
      const distanceM = Math.hypot(xM, AP_HEIGHT_M - DEVICE_HEIGHT_M);
      points.push([Math.log10(distanceM), meanRssiAt(channel, xM, 5, 2000, rng)]);
    }
    const { m: slope } = linearRegression(points);
    expect(slope).toBeGreaterThan(-30 - 0.6);
    expect(slope).toBeLessThan(-30 + 0.6);
  });

  it('a wall lowers the mean RSSI by its lossDb', () => {
    // Both sides Rayleigh (K ≈ 0), so the difference is the wall alone, not the LOS/NLOS fading switch.
    const params = { ...quietRadio, ricianKDb: -100 };
    const channel = new BandChannel(radioSite([{ floor: 0, x1: 5, y1: 0, x2: 5, y2: 4, material: 'brick', lossDb: 8 }]), 'wifi', params, allEffects, 1);
    const rng = new Rng(2, 'test');
    // (10, 1) is behind the wall, (10, 9) is its mirror image, at the same distance.
    const behindDbm = meanRssiAt(channel, 10, 1, 40_000, rng);
    expect(channel.lineOfSight).toBe(false);
    const clearDbm = meanRssiAt(channel, 10, 9, 40_000, rng);
    expect(channel.lineOfSight).toBe(true);
    expect(clearDbm - behindDbm).toBeGreaterThan(8 - 1);
    expect(clearDbm - behindDbm).toBeLessThan(8 + 1);
  });

  it('each floor slab between device and AP lowers the mean RSSI by floorLossDb', () => {
    // Three floors 4 m apart; the AP on the ground floor at (0, 5). Rayleigh everywhere, so only the slabs differ.
    const site = radioSite([]);
    site.floors = [0, 1, 2].map((id) => ({ id, name: `f${id}`, widthM: 40, heightM: 10, elevationM: 4 * id }));
    const params = { ...quietRadio, ricianKDb: -100, floorLossDb: 14 };
    const channel = new BandChannel(site, 'wifi', params, allEffects, 1);
    const rng = new Rng(6, 'test');
    for (const [floor, slabs] of [[1, 1], [2, 2]]) {
      // Same 3-D distance on the AP's floor and on the floor above: dz moves into the horizontal offset.
      const dzAbove = 4 * floor + DEVICE_HEIGHT_M - AP_HEIGHT_M;
      const dzSame = AP_HEIGHT_M - DEVICE_HEIGHT_M;
      const xAbove = 6;
      const xSame = Math.sqrt(xAbove ** 2 + dzAbove ** 2 - dzSame ** 2);
      const aboveDbm = meanRssiAt(channel, xAbove, 5, 40_000, rng, floor);
      expect(channel.lineOfSight).toBe(false);
      const sameDbm = meanRssiAt(channel, xSame, 5, 40_000, rng, 0);
      expect(sameDbm - aboveDbm).toBeGreaterThan(14 * slabs - 1);
      expect(sameDbm - aboveDbm).toBeLessThan(14 * slabs + 1);
    }
    // With floors switched off a device hears only its own floor's APs.
    expect([...new BandChannel(site, 'wifi', params, { ...allEffects, floors: false }, 1).apsHearing(1)]).toEqual([]);
    expect([...channel.apsHearing(1)]).toEqual([0]);
  });

  it('body loss lowers a pocketed phone by its configured loss', () => {
    const s = tinyScenario();
    const radio = { ...s.radio.wifi, deviceOffsetSigmaDb: 0, bodyLossDb: { hand: 0, pocket: 7, lanyard: 3 }, packetLoss: 0, shadowingSigmaDb: 0 };
    const channel = new BandChannel(s.site, 'wifi', radio, s.radio.effects, 1);
    const registry = new DeviceRegistry(new Rng(1, 'ids'));
    const meanAt = (carry: 'hand' | 'pocket', person: number) => {
      const idx = registry.addWithMac('wifi', person);
      const spec = { ...s.devices.wifi!, intervalS: 1 };
      const e = new DeviceEmitter({ tech: 'wifi', person, carry, deviceIdx: idx, fiveGhz: false }, spec, radio, s.radio.effects, seatedTrack(2, 2), channel, s.site.aps, registry, 1);
      const out = new ObservationColumns();
      e.emitUntil(3 * 3600_000, out);
      let sum = 0;
      let n = 0;
      for (let i = 0; i < out.length; i++) if (out.apIdx[i] === 0) (sum += out.rssiDbm[i]), n++;
      return sum / n;
    };
    const hand = meanAt('hand', 0);
    const pocket = meanAt('pocket', 0);
    expect(hand - pocket).toBeGreaterThan(7 - 0.5);
    expect(hand - pocket).toBeLessThan(7 + 0.5);
  });

  it('a BLE badge is heard on three advertising channels, each with its own gain', () => {
    const s = tinyScenario();
    const radio = { ...s.radio.ble, channelOffsetSigmaDb: 6, packetLoss: 0, shadowingSigmaDb: 0 };
    const levelsAtAp0 = (effects: RadioEffects) => {
      const channel = new BandChannel(s.site, 'ble', radio, effects, 1);
      const registry = new DeviceRegistry(new Rng(1, 'ids'));
      const carrier = { tech: 'ble-badge' as const, person: 0, carry: 'lanyard' as const, deviceIdx: registry.add('ble-badge', 0, 'badge-1'), fiveGhz: false };
      const e = new DeviceEmitter(carrier, s.devices['ble-badge']!, radio, effects, seatedTrack(2, 2), channel, s.site.aps, registry, 1);
      const out = new ObservationColumns();
      e.emitUntil(1800_000, out);
      const counts = new Map<number, number>();
      for (let i = 0; i < out.length; i++) if (out.apIdx[i] === 0) counts.set(out.rssiDbm[i], (counts.get(out.rssiDbm[i]) ?? 0) + 1);
      const heard = [...counts.values()].reduce((a, n) => a + n, 0);
      return [...counts.values()].map((n) => n / heard);
    };
    // Fading off: what varies from advert to advert is the channel alone, each about a third of the time.
    const shares = levelsAtAp0({ ...s.radio.effects, fading: false });
    expect(shares.length).toBe(3);
    for (const share of shares) expect(share).toBeCloseTo(1 / 3, 1);
    expect(levelsAtAp0({ ...s.radio.effects, fading: false, advertisingChannels: false })).toEqual([1]);
  });

  it('fading keeps the mean linear power at 1 (Rician K = 6 dB and Rayleigh)', () => {
    const rng = new Rng(3, 'test');
    const n = 200_000;
    let rician = 0;
    let rayleigh = 0;
    for (let i = 0; i < n; i++) {
      rician += 10 ** (ricianFadingDb(10 ** 0.6, rng) / 10);
      rayleigh += 10 ** (rayleighFadingDb(rng) / 10);
    }
    expect(rician / n).toBeCloseTo(1, 1);
    expect(rayleigh / n).toBeCloseTo(1, 1);
  });

  it('shadowing has the configured sigma and decorrelates over the configured distance', () => {
    const field = new ShadowingField(200, 200, 4, 5, new Rng(4, 'test'));
    const here: number[] = [];
    const there: number[] = [];
    for (let y = 2; y < 198; y += 3) {
      for (let x = 2; x < 190; x += 3) {
        here.push(field.atDb(x, y));
        there.push(field.atDb(x + 5, y));
      }
    }
    expect(standardDeviation(here)).toBeGreaterThan(3.5);
    expect(standardDeviation(here)).toBeLessThan(4.5);
    expect(Math.abs(mean(here))).toBeLessThan(0.5);
    expect(sampleCorrelation(here, there)).toBeGreaterThan(Math.exp(-1) - 0.1);
    expect(sampleCorrelation(here, there)).toBeLessThan(Math.exp(-1) + 0.1);
  });

  it('drops receptions below sensitivity and rounds to whole dBm', () => {
    const channel = new BandChannel(radioSite([]), 'wifi', { ...quietRadio, sensitivityDbm: -70 }, allEffects, 1);
    const rng = new Rng(5, 'test');
    for (let i = 0; i < 1000; i++) {
      const rssiDbm = channel.receive(-65, true, rng);
      if (!Number.isNaN(rssiDbm)) {
        expect(Number.isInteger(rssiDbm)).toBe(true);
        expect(rssiDbm).toBeGreaterThanOrEqual(-70);
      }
    }
    expect(Number.isNaN(channel.receive(-120, true, rng))).toBe(true);
  });

  it('detects readings on the ramp above sensitivity in proportion to their height on it: 25 % at 2 of 8 dB, all above it', () => {
    const radio = { ...quietRadio, sensitivityDbm: -90, sensitivityRampDb: 8, ricianKDb: 40 };
    const channel = new BandChannel(radioSite([]), 'wifi', radio, { ...allEffects, fading: false }, 1);
    const rng = new Rng(6, 'test');
    const heard = (meanDbm: number): number => Array.from({ length: 20_000 }, () => channel.receive(meanDbm, true, rng)).filter((x) => !Number.isNaN(x)).length / 20_000;
    expect(heard(-91)).toBe(0);
    expect(Math.abs(heard(-88) - 0.25)).toBeLessThan(0.015);
    expect(heard(-82)).toBe(1);
  });

  it("hears an AP with its own hearing rate (radio.<band>.apHearingRate): 0.3 where the band's is 0.9", () => {
    const aps = [{ id: 'ap', floor: 0, x: 0, y: 5, radios: { wifi: { txPowerDbm: 20 } } }, { id: 'off', floor: 0, x: 9, y: 5, radios: { wifi: { txPowerDbm: 20 } } }];
    const channel = new BandChannel({ ...radioSite([]), aps }, 'wifi', { ...quietRadio, packetLoss: 0.1, apHearingRate: { off: 0.3 } }, allEffects, 1);
    const rng = new Rng(7, 'test');
    const heard = (ap: number): number => Array.from({ length: 20_000 }, () => channel.receive(-50, true, rng, channel.lossShareAt(ap))).filter((x) => !Number.isNaN(x)).length / 20_000;
    expect(Math.abs(heard(0) - 0.9)).toBeLessThan(0.01);
    expect(Math.abs(heard(1) - 0.3)).toBeLessThan(0.01);
    // Within an emission that lost 40 %, the AP keeps its share of that emission's hearing: 0.6 · 0.3 / 0.9.
    expect(channel.lossShareAt(1, 0.4)).toBeCloseTo(1 - 0.2, 12);
    expect(channel.lossShareAt(0, 0.4)).toBe(0.4);
  });

  it('gives one radio\'s BSSIDs (radio.<band>.sameRadio) its shadowing and one loss draw, each its own place and gain', () => {
    // Three APs on one spot: a and b one radio, c its own; b 2 dB stronger (its own gain).
    const aps = ['a', 'b', 'c'].map((id) => ({ id, floor: 0, x: 0, y: 5, radios: { wifi: { txPowerDbm: 20 } } }));
    const radio = { ...quietRadio, shadowingSigmaDb: 6, packetLoss: 0.5, apGainDb: { b: 2 }, sameRadio: [['a', 'b']] };
    const channel = new BandChannel({ ...radioSite([]), aps }, 'wifi', radio, allEffects, 1);
    expect(Array.from(channel.radioOf)).toEqual([0, 0, 2]);
    expect(Array.from(channel.sharesRadio)).toEqual([1, 1, 0]);
    let apart = 0;
    for (let x = 1; x < 39; x += 2) {
      const [a, b, c] = [0, 1, 2].map((ap) => channel.meanRxDbm(ap, 20, x, 5, 0));
      expect(b - a).toBeCloseTo(2, 9);
      apart += Math.abs(c - a);
    }
    // c's own field puts it several dB off a and b (6 dB shadowing each).
    expect(apart / 19).toBeGreaterThan(2);
    // The loss draw given is the one used: below the share, lost; above it, heard.
    const rng = new Rng(8, 'test');
    expect(Number.isNaN(channel.fade(true, rng, 0.5, 0.2))).toBe(true);
    expect(Number.isNaN(channel.fade(true, rng, 0.5, 0.7))).toBe(false);
  });
});

describe('true contacts', () => {
  it('finds two people seated 1.5 m apart all day, not two 5 m apart', () => {
    const s = tinyScenario();
    const tracks = [seatedTrack(2, 2), seatedTrack(3.5, 2), seatedTrack(10, 8), seatedTrack(15, 8)];
    const positions = samplePositions(s, tracks);
    expect(positions.length).toBe(4 * (s.durationS / s.truth.sampleIntervalS));
    const contacts = findContacts(s, positions, tracks.length);
    expect(contacts).toEqual([{ a: 0, b: 1, exposureS: s.durationS, minDistanceM: 1.5, firstTMs: 0, lastTMs: (s.durationS - s.truth.sampleIntervalS) * 1000 }]);
  });

  it('needs the minimum cumulative exposure', () => {
    const s = { ...tinyScenario(), durationS: 600 };
    const contacts = findContacts(s, samplePositions(s, [seatedTrack(2, 2), seatedTrack(3.5, 2)]), 2);
    expect(contacts).toEqual([]);
  });
});

describe('simulate (tiny scenario)', () => {
  let run: SimResult;
  let s: Scenario;
  beforeAll(() => {
    s = tinyScenario();
    run = simulate(s);
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const again = simulate(tinyScenario());
    const { observations: a } = again;
    const { observations: b } = run;
    expect(a.length).toBe(b.length);
    expect([sameBytes(a.tMs, b.tMs), sameBytes(a.deviceIdx, b.deviceIdx), sameBytes(a.apIdx, b.apIdx), sameBytes(a.rssiDbm, b.rssiDbm)]).toEqual([true, true, true, true]);
    expect(a.devices).toEqual(b.devices);
    expectSameData(again.truth, run.truth);
    const other = simulate(tinyScenario(8)).observations;
    expect(other.length).not.toBe(b.length);
    expect(sameBytes(other.rssiDbm.subarray(0, 1000), b.rssiDbm.subarray(0, 1000))).toBe(false);
  });

  it('does not change movement when the device mix changes', () => {
    const fewer = tinyScenario();
    fewer.devices = { 'ble-badge': { ...fewer.devices['ble-badge']!, share: 1, intervalS: 2, txPowerDbm: 4 } };
    expectSameData(simulate(fewer).truth.tracks, run.truth.tracks);
  });

  it('gives each technology round(share * people) carriers, fixed ids except for randomized probes', () => {
    const { registry, carriers } = assignDevices(s, s.population.count);
    const count = (tech: string) => carriers.filter((c) => c.tech === tech).length;
    expect([count('wifi'), count('wifi-probe'), count('ble-badge'), count('ble-app')]).toEqual([9, 3, 6, 6]);
    const { devices } = registry;
    // Probing phones randomize their MAC by default: no lasting id before they emit.
    expect(devices.filter((d) => d.tech === 'wifi-probe')).toEqual([]);
    expect(carriers.filter((c) => c.tech === 'wifi-probe').every((c) => c.deviceIdx === -1)).toBe(true);
    expect(new Set(devices.map((d) => d.id)).size).toBe(devices.length);
    expect(devices.find((d) => d.tech === 'wifi')!.id).toMatch(/^wifi-([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(devices.find((d) => d.tech === 'ble-badge')!.id).toBe('badge-0001');
    // Badges hang on lanyards; phones are in a hand or a pocket.
    expect(new Set(carriers.filter((c) => c.tech === 'ble-badge').map((c) => c.carry))).toEqual(new Set(['lanyard']));
    expect(carriers.filter((c) => c.tech === 'wifi').every((c) => c.carry === 'hand' || c.carry === 'pocket')).toBe(true);
    // Nobody carries two devices of the same technology.
    for (const tech of ['wifi', 'ble-badge']) {
      const owners = carriers.flatMap((c) => (c.tech === tech ? [c.person] : []));
      expect(new Set(owners).size).toBe(owners.length);
    }
    // The run's device list starts with the fixed ids, owned by the same people.
    expect(run.observations.devices.slice(0, devices.length)).toEqual(devices);
    expect([...run.truth.deviceOwner.subarray(0, devices.length)]).toEqual([...registry.ownerArray()]);
  });

  it('shows a new locally administered MAC on every probe burst, each mapped to its carrier', () => {
    const obs = run.observations;
    const carriers = assignDevices(s, s.population.count).carriers.filter((c) => c.tech === 'wifi-probe');
    const probeIds = obs.devices.flatMap((d, i) => (d.tech === 'wifi-probe' ? [i] : []));
    const burstTimes = new Map<number, Set<number>>();
    for (let i = 0; i < obs.length; i++) {
      if (obs.devices[obs.deviceIdx[i]].tech !== 'wifi-probe') continue;
      let times = burstTimes.get(obs.deviceIdx[i]);
      if (!times) burstTimes.set(obs.deviceIdx[i], (times = new Set()));
      times.add(obs.tMs[i]);
    }
    // One burst per id; a carrier present ~2 h with bursts every 30-120 s (mean 75 s) shows dozens of ids.
    expect([...burstTimes.values()].every((t) => t.size === 1)).toBe(true);
    expect(probeIds.length).toBeGreaterThan(carriers.length * 40);
    expect(probeIds.every((i) => /^probe-[0-9a-f][26ae](:[0-9a-f]{2}){5}$/.test(obs.devices[i].id))).toBe(true);
    expect(new Set(probeIds.map((i) => run.truth.deviceOwner[i]))).toEqual(new Set(carriers.map((c) => c.person)));
    // Bursts of one carrier are 30-120 s apart.
    const first = carriers[0].person;
    const times = probeIds.filter((i) => run.truth.deviceOwner[i] === first && burstTimes.has(i)).map((i) => [...burstTimes.get(i)!][0]);
    const gapsS = times.slice(1).map((t, k) => (t - times[k]) / 1000);
    expect(Math.min(...gapsS)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...gapsS)).toBeLessThanOrEqual(120 * 2);
  });

  it('puts 5 GHz phones on the 5 GHz channel model', () => {
    const five = tinyScenario();
    five.radio.wifi5 = { ...five.radio.wifi, refLossDbAt1m: five.radio.wifi.refLossDbAt1m + 8 };
    five.devices.wifi = { ...five.devices.wifi!, fiveGhzShare: 1 };
    const meanWifi = (obs: ObservationBatch) => {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < obs.length; i++) if (obs.devices[obs.deviceIdx[i]].tech === 'wifi') (sum += obs.rssiDbm[i]), n++;
      return sum / n;
    };
    // Same people, same spots: only the 8 dB of extra loss differs (no censoring at these ranges).
    const drop = meanWifi(run.observations) - meanWifi(simulate(five).observations);
    expect(drop).toBeGreaterThan(8 - 0.5);
    expect(drop).toBeLessThan(8 + 0.5);
  });

  it('emits observations sorted by (time, device, AP), with RSSI in a sane range', () => {
    const obs = run.observations;
    expect(obs.length).toBeGreaterThan(100_000);
    expectSortedObservations(obs);
    expect(obs.apIdx.every((ap) => ap < s.site.aps.length)).toBe(true);
    let minRssi = Infinity;
    let maxRssi = -Infinity;
    for (const r of obs.rssiDbm) {
      minRssi = Math.min(minRssi, r);
      maxRssi = Math.max(maxRssi, r);
    }
    expect(minRssi).toBeGreaterThanOrEqual(-95);
    expect(maxRssi).toBeLessThan(0);
  });

  it('keeps every track segment clear of walls', () => {
    expect(wallCrossings(s, run.truth.tracks)).toBe(0);
  });

  it('has people present only between arrival and leaving, and devices heard only then', () => {
    const { tracks, people, positions, deviceOwner } = run.truth;
    tracks.forEach((t, p) => {
      const role = s.population.roles[people[p].role];
      const present = [...t.floor].flatMap((f, i) => (f === ABSENT_FLOOR ? [] : [t.tMs[i]]));
      expect(present[0]).toBeGreaterThanOrEqual(role.arriveS[0] * 1000);
      expect(present[0]).toBeLessThanOrEqual(role.arriveS[1] * 1000);
      expect(t.floor[0]).toBe(present[0] > 0 ? ABSENT_FLOOR : 0);
      // Everyone leaves before the end in this scenario, not before their earliest leave time.
      expect(t.floor.at(-1)).toBe(ABSENT_FLOOR);
      expect(t.tMs.at(-1)!).toBeGreaterThanOrEqual(role.leaveS[0] * 1000);
      for (let i = 0; i < positions.length; i++) {
        if (positions.person[i] !== p) continue;
        expect(positions.tMs[i]).toBeGreaterThanOrEqual(present[0]);
        expect(positions.tMs[i]).toBeLessThan(t.tMs.at(-1)!);
      }
    });
    const cursors = run.observations.devices.map((_, d) => new TrackCursor(tracks[deviceOwner[d]]));
    let heardAbsent = 0;
    for (let i = 0; i < run.observations.length; i++) {
      const c = cursors[run.observations.deviceIdx[i]];
      c.seek(run.observations.tMs[i]);
      if (c.floor === ABSENT_FLOOR) heardAbsent++;
    }
    expect(heardAbsent).toBe(0);
  });

  it('sends people to desks, meetings, lunch and breaks', () => {
    const kinds = new Set<string>();
    const { positions } = run.truth;
    for (let i = 0; i < positions.length; i++) if (positions.zone[i] >= 0) kinds.add(s.site.zones[positions.zone[i]].kind);
    expect([...kinds].sort()).toEqual(['break', 'corridor', 'desks', 'entrance', 'lunch', 'meeting']);
  });

  it('reports progress up to 1', () => {
    const fractions: number[] = [];
    simulate(s, { onProgress: (f) => fractions.push(f) });
    expect(fractions.length).toBeGreaterThan(5);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions.at(-1)).toBe(1);
  });
});

describe('simulate (office scenario)', () => {
  let s: Scenario;
  let run: SimResult;
  beforeAll(() => {
    // The first 2 h (arrivals, meetings) keep the suite lean. The ideal preset: these check the
    // simulator's own cadence and chain, which the realistic effects (own suites) then change.
    s = { ...loadScenario('office', { radioPreset: 'ideal' }), durationS: 2 * 3600 };
    run = simulate(s);
  });

  it('produces realistic observations', () => {
    expect(run.observations.length).toBeGreaterThan(1_000_000);
    expectSortedObservations(run.observations);
  });

  it('keeps every track segment clear of walls', () => {
    expect(wallCrossings(s, run.truth.tracks)).toBe(0);
  });

  it('finds some true contacts, sorted by (a, b)', () => {
    const { contacts } = run.truth;
    expect(contacts.length).toBeGreaterThan(0);
    for (const c of contacts) {
      expect(c.a).toBeLessThan(c.b);
      expect(c.exposureS).toBeGreaterThanOrEqual(s.truth.contacts.minExposureS);
      expect(c.minDistanceM).toBeLessThanOrEqual(s.truth.contacts.distanceM);
    }
    expect(contacts.every((c, i) => i === 0 || c.a > contacts[i - 1].a || (c.a === contacts[i - 1].a && c.b > contacts[i - 1].b))).toBe(true);
  });
});
