// Journeys, contacts, hot zones and trace queries on a hand-built site where
// every answer is known in advance (no simulator, no localization noise).
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../engine/config.ts';
import { riceCdf, closeProbability } from '../engine/contacts/close-probability.ts';
import { smoothEstimates } from '../engine/contacts/window-mean.ts';
import { contactsFromTracks } from '../engine/contacts/track-contacts.ts';
import { EstimatesBuilder } from '../engine/pipeline/estimates.ts';
import { hotZoneAlerts } from '../engine/hotzones/alerts.ts';
import { baselineOf } from '../engine/hotzones/baseline.ts';
import { hotZonesFromFixes, hotZonesFromVisits } from '../engine/hotzones/hot-zones.ts';
import { occupancyFromFixes, occupancyOf } from '../engine/hotzones/occupancy.ts';
import { buildJourneys } from '../engine/journeys/journeys.ts';
import type { DeviceInfo } from '../engine/contract/observations.ts';
import type { Estimates } from '../engine/outputs.ts';
import type { Site } from '../engine/contract/site.ts';
import { traceDevice } from '../engine/trace/trace.ts';
import { countedShareOf } from '../bench/harness/device-share.ts';
import { loadScenario } from '../scenarios/load.ts';

const EPOCH_MS = 5000;
const MIN = 60_000;

/** Two 10 × 10 m rooms side by side, a wall between them at x = 10. */
const SITE: Site = {
  floors: [{ id: 0, name: 'F0', widthM: 20, heightM: 10, elevationM: 0 }],
  walls: [{ floor: 0, x1: 10, y1: 0, x2: 10, y2: 10, material: 'drywall', lossDb: 3 }],
  zones: [
    { id: 'room-a', name: 'A', floor: 0, polygon: [[0, 0], [10, 0], [10, 10], [0, 10]], capacity: 2 },
    { id: 'room-b', name: 'B', floor: 0, polygon: [[10, 0], [20, 0], [20, 10], [10, 10]], capacity: 2 },
  ],
  aps: [],
};

const DEVICES: DeviceInfo[] = ['d0', 'd1', 'd2', 'd3'].map((id) => ({ id, tech: 'wifi' }));

/** One fix per device per 5 s epoch for an hour, error radius 0.5 m. */
function tinyEstimates(): Estimates {
  const b = new EstimatesBuilder();
  for (let e = 0; e < 720; e++) {
    const at: [number, number][] = [
      e < 360 ? [3, 5] : [15, 5], // d0: room A for 30 min, then room B
      [4, 5], // d1: room A, 1 m from d0's first half hour
      [10.6, 5], // d2: room B, 1.9 m from d3 through the wall
      [8.7, 5], // d3: room A
    ];
    at.forEach(([x, y], d) => b.push((e + 0.5) * EPOCH_MS, d, { x, y, floor: 0, errorRadiusM: 0.5, apsUsed: 6 }));
  }
  return b.build();
}

const CFG = resolveConfig({
  ingest: { epochMs: EPOCH_MS },
  contacts: { smoothWindowS: 0, uncertaintyAware: false, roomAware: false },
  journeys: { smoothWindowS: 0, marginM: 0.5, snapM: 2, switchAfterS: 30, minDwellS: 120, maxGapS: 300 },
  hotZones: { intervalS: 60, techs: ['wifi'], alertFactor: 1, alertForS: 60, clearFactor: 1, clearForS: 120 },
});

describe('a hand-built site with known answers', () => {
  const est = tinyEstimates();

  it('finds exactly the known contacts, and the wall removes one in room-aware mode', () => {
    const d0d1 = { a: 'd0', b: 'd1', tech: 'wifi', exposureS: 1800, minDistanceM: 1, firstTMs: 2500, lastTMs: 1_797_500, zones: ['room-a'] };
    const contacts = contactsFromTracks(est, DEVICES, SITE, EPOCH_MS, CFG.contacts);
    expect(contacts).toHaveLength(2);
    expect(contacts[0]).toEqual(d0d1);
    expect(contacts[1]).toMatchObject({ a: 'd2', b: 'd3', exposureS: 3600, firstTMs: 2500, lastTMs: 3_597_500, zones: ['room-a'] });
    expect(contacts[1].minDistanceM).toBeCloseTo(1.9, 5);

    const roomAware = contactsFromTracks(est, DEVICES, SITE, EPOCH_MS, { ...CFG.contacts, roomAware: true });
    expect(roomAware).toEqual([d0d1]);
  });

  it('pairs devices that report on alternate epochs (fillGapS)', () => {
    // d0 and d1 sit 1 m apart for 30 min, each fixed only every other epoch, never in the same one.
    const b = new EstimatesBuilder();
    for (let e = 0; e < 360; e++) b.push((e + 0.5) * EPOCH_MS, e % 2, { x: 3 + (e % 2), y: 5, floor: 0, errorRadiusM: 0.5, apsUsed: 6 });
    const sparse = b.build();
    const found = (fillGapS: number) => contactsFromTracks(sparse, DEVICES, SITE, EPOCH_MS, { ...CFG.contacts, fillGapS });
    expect(found(0)).toEqual([]);
    // Filled in between fixes 10 s apart: every epoch from the second (d1's first fix) to the 359th (d0's last) is shared.
    expect(found(30).map((c) => [c.a, c.b, c.exposureS, c.minDistanceM, c.firstTMs, c.lastTMs])).toEqual([['d0', 'd1', 358 * 5, 1, 7500, 1_792_500]]);
  });

  it('builds exactly the known journeys', () => {
    const visits = buildJourneys(est, DEVICES, SITE, EPOCH_MS, CFG.journeys);
    expect(visits.map((v) => [v.deviceId, v.zone, v.enterTMs, v.exitTMs, v.dwellS])).toEqual([
      ['d0', 'room-a', 0, 30 * MIN, 1800],
      ['d0', 'room-b', 30 * MIN, 60 * MIN, 1800],
      ['d1', 'room-a', 0, 60 * MIN, 3600],
      ['d2', 'room-b', 0, 60 * MIN, 3600],
      ['d3', 'room-a', 0, 60 * MIN, 3600],
    ]);
  });

  it('raises exactly the known hot-zone alert, with counts only, from fixes as from visits', () => {
    const visits = buildJourneys(est, DEVICES, SITE, EPOCH_MS, CFG.journeys);
    const fromVisits = hotZonesFromVisits(visits, DEVICES, SITE, { fromMs: 0, toMs: 60 * MIN }, CFG.hotZones);
    const { occupancy, alerts } = hotZonesFromFixes(est, DEVICES, SITE, { fromMs: 0, toMs: 60 * MIN }, CFG.hotZones);
    expect(occupancy.intervals).toBe(60);
    expect(Array.from(occupancy.counts.subarray(0, 2))).toEqual([3, 1]); // interval 0: A has d0, d1, d3; B has d2
    expect(Array.from(occupancy.counts.subarray(60, 62))).toEqual([2, 2]); // after 30 min d0 is in B
    expect(alerts).toEqual([
      { zone: 'room-a', risingTMs: 0, raisedTMs: MIN, clearedTMs: 32 * MIN, peakOccupancy: 3, baseline: 2, threshold: 2 },
    ]);
    expect(fromVisits.occupancy.counts).toEqual(occupancy.counts);
    expect(fromVisits.alerts).toEqual(alerts);
    expect(Object.keys(alerts[0]).some((k) => /device/i.test(k))).toBe(false);
  });

  it('traces a device: exposed devices ranked, within the window, with its journey', () => {
    const visits = buildJourneys(est, DEVICES, SITE, EPOCH_MS, CFG.journeys);
    const all = traceDevice(est, DEVICES, visits, SITE, CFG, { deviceId: 'd1' });
    expect(all.exposed.map((e) => [e.deviceId, e.exposureS, e.zones])).toEqual([['d0', 1800, ['room-a']]]);
    expect(all.journey.map((v) => v.zone)).toEqual(['room-a']);

    const window = traceDevice(est, DEVICES, visits, SITE, CFG, { deviceId: 'd0', fromTMs: 20 * MIN, toTMs: 40 * MIN, minExposureS: 300 });
    expect(window.exposed.map((e) => [e.deviceId, e.exposureS, e.firstTMs, e.lastTMs])).toEqual([['d1', 600, 20 * MIN + 2500, 30 * MIN - 2500]]);
    expect(window.journey.map((v) => v.zone)).toEqual(['room-a', 'room-b']);

    expect(() => traceDevice(est, DEVICES, visits, SITE, CFG, { deviceId: 'nobody' })).toThrow(/unknown device 'nobody'/);
  });
});

describe('journey hysteresis', () => {
  it('a device standing by the wall does not flicker between rooms', () => {
    // Fixes scatter ±0.4 m around x = 10 for an hour after 10 min well inside room A.
    const b = new EstimatesBuilder();
    for (let e = 0; e < 720; e++) {
      const x = e < 120 ? 5 : 10 + (e % 2 ? 0.4 : -0.4);
      b.push((e + 0.5) * EPOCH_MS, 0, { x, y: 5, floor: 0, errorRadiusM: 1, apsUsed: 6 });
    }
    const visits = buildJourneys(b.build(), DEVICES.slice(0, 1), SITE, EPOCH_MS, CFG.journeys);
    expect(visits.map((v) => [v.zone, v.enterTMs, v.exitTMs])).toEqual([['room-a', 0, 60 * MIN]]);
  });

  it('fixes pulled just outside the building still count for the room (snapM)', () => {
    // 10 min in room A, then 10 min of fixes 1.5 m beyond its outer wall (x = -1.5), then 10 min back inside.
    const b = new EstimatesBuilder();
    for (let e = 0; e < 360; e++) b.push((e + 0.5) * EPOCH_MS, 0, { x: e >= 120 && e < 240 ? -1.5 : 5, y: 5, floor: 0, errorRadiusM: 2, apsUsed: 6 });
    const est = b.build();
    const visits = (snapM: number) => buildJourneys(est, DEVICES.slice(0, 1), SITE, EPOCH_MS, { ...CFG.journeys, snapM }).map((v) => [v.zone, v.enterTMs, v.exitTMs]);
    expect(visits(2)).toEqual([['room-a', 0, 30 * MIN]]);
    expect(visits(1)).toEqual([['room-a', 0, 10 * MIN], ['room-a', 20 * MIN, 30 * MIN]]);
  });
});

describe('hot zones on small inputs', () => {
  const visit = (deviceId: string, zone: string, fromMin: number, toMin: number) => ({
    deviceId, zone, enterTMs: fromMin * MIN, exitTMs: toMin * MIN, dwellS: (toMin - fromMin) * 60,
  });

  it('counts a phone and a badge bound to one person once when asked', () => {
    const visits = [visit('phone-1', 'room-a', 0, 10), visit('badge-1', 'room-a', 0, 10), visit('badge-2', 'room-a', 5, 10)];
    const bindings = new Map([['phone-1', 'p1'], ['badge-1', 'p1']]);
    const counts = (identityOf?: (id: string) => string | undefined) => Array.from(occupancyOf(visits, ['room-a'], { fromMs: 0, toMs: 10 * MIN }, 5 * MIN, identityOf).counts);
    expect(counts()).toEqual([2, 3]);
    expect(counts((id) => bindings.get(id) ?? id)).toEqual([1, 2]);
  });

  it('counts a holder once per interval, where most of its fixes were; a tie counts nowhere', () => {
    // Holder 0 carries devices 0 and 1; holder 1 carries device 2. Zone of each fix by row.
    const b = new EstimatesBuilder();
    const fixes: [number, number, number][] = [ // [tS, device, zone]
      [5, 0, 0], [10, 1, 0], [15, 0, 1], // interval 0: holder 0 twice in A, once in B -> A
      [5, 2, 1], [10, 2, -1], // holder 1: once in B, once nowhere -> tie, not counted
      [65, 0, 0], [70, 1, 1], // interval 1: holder 0 split A/B -> not counted
      [75, 2, 1], // holder 1 -> B
    ];
    fixes.sort((p, q) => p[0] - q[0]).forEach(([tS, d, z]) => b.push(tS * 1000, d, { x: z, y: 0, floor: 0, errorRadiusM: 1, apsUsed: 6 }));
    const byZone = b.build();
    const occ = occupancyFromFixes(byZone, Int32Array.from([0, 0, 1]), 2, (i) => byZone.x[i], ['a', 'b'], { fromMs: 0, toMs: 2 * MIN }, MIN);
    expect(Array.from(occ.counts)).toEqual([1, 0, 0, 1]);
  });

  it('the site survey share: people with at least one counted device', () => {
    // retail: wifi 0.6, badge 0.1, app 0.2 (all opted in), drawn independently: 1 − 0.4 × 0.9 × 0.8.
    expect(countedShareOf(loadScenario('retail'), ['wifi', 'ble-badge', 'ble-app'])).toBeCloseTo(0.712, 10);
    expect(countedShareOf(loadScenario('office'), ['wifi', 'ble-badge', 'ble-app'])).toBe(1);
  });

  it('compares device counts with capacity × countedShare', () => {
    const occ = { intervalMs: MIN, startMs: 0, intervals: 1, zoneIds: ['z'], counts: Uint16Array.from([3]) };
    expect(baselineOf(occ, [10], { ...CFG.hotZones, countedShare: 0.25 })(0, 0)).toBe(2.5);
    expect(hotZoneAlerts(occ, baselineOf(occ, [10], { ...CFG.hotZones, countedShare: 0.25 }), CFG.hotZones).map((a) => a.threshold)).toEqual([2.5]);
  });

  it('needs the crowd to last alertForS, and clears only after clearForS', () => {
    const occ = { intervalMs: MIN, startMs: 0, intervals: 10, zoneIds: ['z'], counts: Uint16Array.from([5, 0, 5, 5, 5, 2, 5, 2, 2, 2]) };
    const cfg = { ...CFG.hotZones, alertFactor: 1.5, alertForS: 120, clearFactor: 1, clearForS: 120 };
    // 5 > 1.5 × 2: the single spike at 0 is too short; 2..4 raises at 4 min; one quiet minute at 5 is not enough; 7, 8 clear it.
    expect(hotZoneAlerts(occ, () => 2, cfg)).toEqual([
      { zone: 'z', risingTMs: 2 * MIN, raisedTMs: 4 * MIN, clearedTMs: 9 * MIN, peakOccupancy: 5, baseline: 2, threshold: 3 },
    ]);
  });
});

describe('learned hot-zone baseline', () => {
  it('is the median count of the same hour over the days, floored at minLearnedBaseline', () => {
    // Two days of hourly counts for one zone: hour 0 has 4 then 8 (median 6); hour 1 has 0 then 1 (floored to 2).
    const counts = new Uint16Array(48);
    counts[0] = 4;
    counts[24] = 8;
    counts[1] = 0;
    counts[25] = 1;
    const occ = { intervalMs: 3_600_000, startMs: 0, intervals: 48, zoneIds: ['z'], counts };
    const at = baselineOf(occ, [100], { ...CFG.hotZones, baseline: 'learned', learnedSlotS: 3600, minLearnedBaseline: 2 });
    expect([at(0, 0), at(24, 0), at(1, 0), at(25, 0)]).toEqual([6, 6, 2, 2]);
    expect(baselineOf(occ, [100], CFG.hotZones)(0, 0)).toBe(100);
    // With factor 1.2 the second day's hour 0 (8 > 7.2) is hot, the first (4) is not.
    const alerts = hotZoneAlerts(occ, at, { ...CFG.hotZones, alertFactor: 1.2, alertForS: 3600, clearForS: 3600 });
    expect(alerts.map((a) => [a.risingTMs / 3_600_000, a.raisedTMs / 3_600_000, a.clearedTMs / 3_600_000, a.peakOccupancy])).toEqual([[24, 25, 26, 8]]);
  });
});

describe('uncertainty-aware contacts', () => {
  it('the Rice CDF matches a seeded Monte Carlo', () => {
    let s = 12345;
    const u = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const normal = (): number => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    for (const [a, b] of [[0, 1], [1, 1.5], [2.5, 2], [4, 2]]) {
      let hits = 0;
      const n = 40_000;
      for (let i = 0; i < n; i++) if (Math.hypot(a + normal(), normal()) <= b) hits++;
      expect(riceCdf(a, b), `a=${a} b=${b}`).toBeCloseTo(hits / n, 2);
    }
    expect(riceCdf(0, 1)).toBeCloseTo(1 - Math.exp(-0.5), 4); // Rayleigh
  });

  it('weighs close pairs near 1, far pairs near 0, and doubt in between', () => {
    expect(closeProbability(0.5, 2, 0.1, 0.1)).toBeGreaterThan(0.999);
    expect(closeProbability(4, 2, 0.1, 0.1)).toBeLessThan(1e-6);
    expect(closeProbability(1.9, 2, 0.01, 0.01)).toBeGreaterThan(0.999); // far past the table: still right
    expect(closeProbability(2.1, 2, 0.01, 0.01)).toBeLessThan(0.001);
    const unsure = closeProbability(2, 2, 3, 3);
    expect(unsure).toBeGreaterThan(0.1);
    expect(unsure).toBeLessThan(0.5);
  });

  it('grid and all-pairs agree with uncertainty weights on random tracks', () => {
    let s = 99;
    const u = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const b = new EstimatesBuilder();
    const n = 80;
    const pos = Array.from({ length: n }, () => [20 * u(), 10 * u()]);
    for (let e = 0; e < 240; e++) {
      pos.forEach((p, d) => {
        p[0] += (u() - 0.5) * 0.6;
        p[1] += (u() - 0.5) * 0.6;
        b.push((e + 0.5) * EPOCH_MS, d, { x: p[0], y: p[1], floor: 0, errorRadiusM: 0.5 + 3 * u(), apsUsed: 6 });
      });
    }
    const est = b.build();
    const devices = Array.from({ length: n }, (_, i): DeviceInfo => ({ id: `d${String(i).padStart(3, '0')}`, tech: 'ble-badge' }));
    const cfg = { ...CFG.contacts, uncertaintyAware: true, roomAware: true, smoothWindowS: 30, minExposureS: 60 };
    const fromGrid = contactsFromTracks(est, devices, SITE, EPOCH_MS, { ...cfg, detector: 'grid' });
    expect(fromGrid.length).toBeGreaterThan(20);
    expect(fromGrid).toEqual(contactsFromTracks(est, devices, SITE, EPOCH_MS, { ...cfg, detector: 'all-pairs' }));
  });

  it('smoothing averages out per-epoch jitter of a still device', () => {
    const b = new EstimatesBuilder();
    for (let e = 0; e < 100; e++) b.push((e + 0.5) * EPOCH_MS, 0, { x: 5 + (e % 2 ? 1 : -1), y: 5, floor: 0, errorRadiusM: 2, apsUsed: 6 });
    const s = smoothEstimates(b.build(), 1, 60);
    for (let i = 10; i < 90; i++) expect(Math.abs(s.x[i] - 5)).toBeLessThanOrEqual(1 / 13 + 1e-6);
    expect(s.errorRadiusM[50]).toBe(2);
  });

  it('smoothing never averages across floors', () => {
    const b = new EstimatesBuilder();
    for (let e = 0; e < 40; e++) b.push((e + 0.5) * EPOCH_MS, 0, { x: e < 20 ? 0 : 10, y: 5, floor: e < 20 ? 0 : 1, errorRadiusM: 2, apsUsed: 6 });
    const s = smoothEstimates(b.build(), 1, 60);
    expect(Array.from(s.x.subarray(14, 26))).toEqual([0, 0, 0, 0, 0, 0, 10, 10, 10, 10, 10, 10]);
  });
});
