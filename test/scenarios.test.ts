import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { pointInPolygon, segmentsCross } from '../engine/contract/geometry.ts';
import { listScenarios, loadScenario, ScenarioError, seatsOf, validateScenario } from '../scenarios/load.ts';
import { scenarioToJson } from '../scenarios/serialize.ts';

const OFFICE_PATH = new URL('../scenarios/office.json', import.meta.url);

/** A fresh deep copy of office.json as plain JSON, for breaking one thing at a time. */
function office(): any {
  return JSON.parse(readFileSync(OFFICE_PATH, 'utf8'));
}

/** Runs `fn`, expects a ScenarioError, and returns it. */
function scenarioError(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as Error).message).not.toContain('\n');
    return err as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

describe('office scenario', () => {
  const s = loadScenario('office');

  it('loads and validates', () => {
    expect(s.name).toBe('office');
    expect(s.durationS).toBe(28800);
    expect(s.site.floors).toEqual([{ id: 0, name: 'Ground floor', widthM: 40, heightM: 25, elevationM: 0 }]);
    expect(s.site.aps.length).toBeGreaterThanOrEqual(6);
    expect(s.site.aps.length).toBeLessThanOrEqual(10);
    expect(s.population.count).toBe(60);
    expect(listScenarios()).toContainEqual({ name: 'office', description: s.description });
  });

  it('fills lossDb on every wall from its material', () => {
    for (const w of s.site.walls) expect(w.lossDb).toBe(s.site.materials[w.material]);
  });

  it('has zones of every kind the simulator schedules', () => {
    const kinds = new Set(s.site.zones.map((z) => z.kind));
    for (const kind of ['desks', 'meeting', 'lunch', 'break', 'entrance']) expect(kinds).toContain(kind);
  });

  it('routes no walkway edge through a wall', () => {
    const node = new Map(s.site.walkways.nodes.map((n) => [n.id, n]));
    for (const [a, b] of s.site.walkways.edges) {
      const [p, q] = [node.get(a)!, node.get(b)!];
      for (const w of s.site.walls) expect(segmentsCross(p.x, p.y, q.x, q.y, w.x1, w.y1, w.x2, w.y2)).toBe(false);
    }
  });

  it('seats desk workers within contact distance of a neighbour', () => {
    const desks = s.site.zones.filter((z) => z.kind === 'desks');
    const seats = desks.flatMap((z) => seatsOf(z));
    expect(seats.length).toBeGreaterThanOrEqual(s.population.count);
    for (const z of desks) expect(z.seatSpacingM).toBeLessThan(s.truth.contacts.distanceM);
  });

  it('lays seats inside their zone, deterministically', () => {
    for (const z of s.site.zones) {
      const seats = seatsOf(z);
      expect(seats.length).toBeGreaterThan(0);
      for (const [x, y] of seats) expect(pointInPolygon(x, y, z.polygon)).toBe(true);
      expect(seatsOf(z)).toEqual(seats);
    }
  });
});

describe('scenario errors name the field', () => {
  const cases: [string, (o: any) => void, RegExp][] = [
    ['missing field', (o) => delete o.durationS, /^office\.json: durationS: missing field$/],
    ['negative duration', (o) => (o.durationS = -5), /^office\.json: durationS: must be a positive number, got -5$/],
    ['unknown top-level field', (o) => (o.durationSec = 10), /^office\.json: durationSec: unknown field/],
    // Printed in progress lines and tables: an escape sequence in a name would drive the terminal.
    ['a control character in a name', (o) => (o.name = 'evil\u001b[31m'), /^office\.json: name: must not hold control characters \(U\+001B at 4\), got 'evil\\u001b\[31m'$/],
    ['a control character in a zone id', (o) => (o.site.zones[1].id = 'desks\u0007'), /^office\.json: site\.zones\[1\]\.id: must not hold control characters/],
    ['AP outside the floor', (o) => (o.site.aps[3].x = 52), /^office\.json: site\.aps\[3\]\.x: 52 is outside floor 0 \(0\.\.40 m\)$/],
    ['AP on a missing floor', (o) => (o.site.aps[0].floor = 3), /^office\.json: site\.aps\[0\]\.floor: AP on no floor/],
    ['unknown technology', (o) => (o.devices.zigbee = { share: 1, intervalS: 1, txPowerDbm: 0 }),
      /^office\.json: devices\.zigbee: unknown technology 'zigbee' \(expected one of wifi, wifi-probe, ble-badge, ble-app\)$/],
    ['unknown wall material', (o) => (o.site.walls[7].material = 'brick'),
      /^office\.json: site\.walls\[7\]\.material: unknown material 'brick'/],
    ['role shares not summing to 1', (o) => (o.population.roles.visitor.share = 0.3),
      /^office\.json: population\.roles: role shares must sum to 1, got 1\.2$/],
    ['range with min > max', (o) => (o.population.walkSpeedMps = [1.5, 1.1]),
      /^office\.json: population\.walkSpeedMps: min 1\.5 is greater than max 1\.1$/],
    ['walkway edge through a wall', (o) => o.site.walkways.edges.push(['desks-north', 'kitchen']),
      /^office\.json: site\.walkways\.edges\[\d+\]: walkway desks-north -> kitchen crosses wall site\.walls\[10\]/],
    // The outline is checked before the entry node is placed in it (a 2-point zone was named by its entry node).
    ['a zone of 2 points', (o) => (o.site.zones[2].polygon = [[0, 14], [26, 14]]),
      /^office\.json: site\.zones\[2\]\.polygon: needs at least 3 points, got 2$/],
    ['a zone crossing itself', (o) => (o.site.zones[2].polygon = [[0, 14], [26, 25], [26, 14], [0, 25]]),
      /^office\.json: site\.zones\[2\]\.polygon: crosses itself \(edge 0-1 with edge 2-3\): list its points in order around it$/],
    ['no floor', (o) => (o.site.floors = []), /^office\.json: site\.floors: must list at least one floor$/],
    ['entry node outside its zone', (o) => (o.site.zones[0].entryNode = 'coffee'),
      /^office\.json: site\.zones\[0\]\.entryNode: walkway node 'coffee' is not inside zone 'reception'$/],
    ['5 GHz devices without a 5 GHz channel model', (o) => (o.devices.wifi.fiveGhzShare = 0.5),
      /^office\.json: devices\.wifi\.fiveGhzShare: needs radio\.wifi5 \(the 5 GHz channel model\)$/],
    ['a 5 GHz field on another decorrelation than the 2.4 GHz one it shares', (o) => (o.radio.wifi5 = { ...o.radio.wifi, shadowingDecorrelationM: o.radio.wifi.shadowingDecorrelationM - 1 }),
      /^office\.json: radio\.wifi5\.shadowingDecorrelationM: must equal radio\.wifi's \(\d+(\.\d+)?\): 5 GHz shares the 2\.4 GHz shadowing field$/],
    ['no entrance', (o) => o.site.zones.splice(0, 1),
      /^office\.json: site\.zones: needs at least one zone of kind 'entrance'$/],
    ['an AP hung above 20 m', (o) => (o.site.aps[0].heightM = 60),
      /^office\.json: site\.aps\[0\]\.heightM: must be at least 0 and at most 20 m, got 60$/],
    ['a device height that is no number', (o) => (o.site.deviceHeightM = 'high'),
      /^office\.json: site\.deviceHeightM: must be a number/],
  ];

  for (const [name, breakIt, message] of cases) {
    it(name, () => {
      const raw = office();
      breakIt(raw);
      expect(scenarioError(() => validateScenario(raw, 'office.json')).message).toMatch(message);
    });
  }

  it('unreachable zone', () => {
    const raw = office();
    raw.site.walkways.edges = raw.site.walkways.edges.filter(([a]: string[]) => a !== 'coffee');
    const i = raw.site.zones.findIndex((z: { id: string }) => z.id === 'coffee');
    const err = scenarioError(() => validateScenario(raw, 'office.json'));
    expect(err.field).toBe(`site.zones[${i}].entryNode`);
    expect(err.message).toContain("no walkable path from zone 'coffee' to an entrance");
  });

  it('a person who cannot reach their desk', () => {
    const raw = office();
    // Cut the south desks off the corridor: their entry node joins nothing.
    raw.site.walkways.edges = raw.site.walkways.edges.filter(([a]: string[]) => a !== 'desks-south');
    const i = raw.site.zones.findIndex((z: { id: string }) => z.id === 'desks-south');
    const err = scenarioError(() => validateScenario(raw, 'office.json'));
    expect(err.message).toBe(
      `office.json: site.zones[${i}].entryNode: no walkable path from zone 'desks-south' to an entrance: people seated there could never reach their desk`,
    );
  });

  it('more people than home seats', () => {
    const raw = office();
    raw.population.count = 200;
    expect(scenarioError(() => validateScenario(raw, 'office.json')).message).toMatch(
      /^office\.json: population\.count: about 200 people need a seat in 'desks' zones, which have \d+$/,
    );
  });

  it('a role seated in a kind of zone the site lacks', () => {
    const raw = office();
    raw.population.roles.visitor.homeKind = 'ward';
    expect(scenarioError(() => validateScenario(raw, 'office.json')).message).toBe(
      "office.json: population.roles.visitor.homeKind: no zone of kind 'ward' to seat this role in",
    );
  });

  it('an AP hearing rate out of range or for an AP the site lacks', () => {
    const raw = office();
    raw.radio.ble.apHearingRate = { [raw.site.aps[0].id]: 1.2 };
    expect(scenarioError(() => validateScenario(raw, 'office.json')).message).toMatch(/^office\.json: radio\.ble\.apHearingRate\.[^:]+: /);
    raw.radio.ble.apHearingRate = { 'ap-nowhere': 0.5 };
    expect(scenarioError(() => validateScenario(raw, 'office.json')).message).toBe('office.json: radio.ble.apHearingRate.ap-nowhere: is not an AP of site.aps');
  });

  it('a slow component\'s move decorrelation out of range; absent, the slow component follows time alone', () => {
    const raw = office();
    expect(validateScenario(raw, 'office.json').radio.ble.slowDecorrelationM).toBeUndefined();
    raw.radio.ble.slowDecorrelationM = 0;
    expect(scenarioError(() => validateScenario(raw, 'office.json')).message).toMatch(/^office\.json: radio\.ble\.slowDecorrelationM: /);
    raw.radio.ble.slowDecorrelationM = 2.5;
    expect(validateScenario(raw, 'office.json').radio.ble.slowDecorrelationM).toBe(2.5);
  });

  it('BSSIDs of one radio: an AP the site lacks, a group of one, an AP in two groups', () => {
    const raw = office();
    const [a, b, c] = raw.site.aps.map((ap: { id: string }) => ap.id);
    raw.radio.wifi.sameRadio = [[a, 'ap-nowhere']];
    expect(scenarioError(() => validateScenario(raw, 'office.json')).message).toBe('office.json: radio.wifi.sameRadio[0][1]: "ap-nowhere" is not an AP of site.aps');
    raw.radio.wifi.sameRadio = [[a]];
    expect(scenarioError(() => validateScenario(raw, 'office.json')).message).toBe('office.json: radio.wifi.sameRadio[0]: needs two or more AP ids (a radio with one BSSID is no group)');
    raw.radio.wifi.sameRadio = [[a, b], [c, a]];
    expect(scenarioError(() => validateScenario(raw, 'office.json')).message).toBe(`office.json: radio.wifi.sameRadio[1][1]: "${a}" is in another group already`);
    raw.radio.wifi.sameRadio = [[a, b]];
    expect(validateScenario(raw, 'office.json').radio.wifi.sameRadio).toEqual([[a, b]]);
  });

  it('bad radio effect switch and carry shares', () => {
    const raw = office();
    raw.radio.effects = { fadding: false };
    expect(scenarioError(() => validateScenario(raw, 'office.json')).message).toMatch(/^office\.json: radio\.effects\.fadding: unknown field \(expected one of walls, floors/);
    const raw2 = office();
    raw2.devices.wifi.carry = { hand: 0.5, pocket: 0.2 };
    expect(scenarioError(() => validateScenario(raw2, 'office.json')).message).toBe('office.json: devices.wifi.carry: carry shares must sum to 1, got 0.7');
  });

  it('fills radio and device defaults, each documented', () => {
    // A file that names no preset and leaves the optional band fields out.
    const raw = office();
    delete raw.radio.preset;
    delete raw.radio.ble.slowSigmaDb;
    delete raw.radio.ble.slowCorrelationS;
    const s = validateScenario(raw, 'office.json');
    expect(s.radio.effects).toEqual({
      walls: true, floors: true, shadowing: true, fading: true, deviceOffsets: true, bodyLoss: true, advertisingChannels: true, packetLoss: true,
      temporal: false, bodyOrientation: false, drift: false, otherBodies: false, deviceModels: false, bleTiming: false, mapDrawing: false, wifiChannels: false, wifiTraffic: false, wifiReports: false,
    });
    expect(s.radio.ble).toMatchObject({
      floorLossDb: 15, deviceOffsetSigmaDb: 2, bodyLossDb: { hand: 0, pocket: 6, lanyard: 3 }, channelOffsetSigmaDb: 1.5,
      slowSigmaDb: 3.5, slowCorrelationS: 1.7, bodyOrientationDepthDb: { hand: 5, pocket: 8, lanyard: 8 }, driftSigmaInfDb: 2.1, driftTimeDays: 78, apLifeDays: 1100,
    });
    expect(s.devices['ble-badge']!.carry).toEqual({ hand: 0, pocket: 0, lanyard: 1 });
    expect(s.devices['wifi-probe']!.randomizedMac).toBe(true);
    expect(s.population.roles['desk-worker']).toMatchObject({ homeKind: 'desks', visits: null });
  });

  it('the library runs on the realistic preset, a survey a month old; --radio-preset ideal gives the kind world', () => {
    for (const { name } of listScenarios()) {
      const lib = loadScenario(name);
      expect(Object.values(lib.radio.effects).every((on) => on), name).toBe(true);
      if (lib.survey) expect(lib.survey.ageDays, name).toBe(30);
      const ideal = loadScenario(name, { radioPreset: 'ideal' });
      expect(ideal.radio.effects, name).toEqual(validateScenario({ ...office(), radio: { ...office().radio, preset: 'ideal' } }, 'office.json').radio.effects);
      expect(ideal.radio.ble, name).toEqual(lib.radio.ble);
    }
  });

  it('radio.preset "realistic" turns every effect on, a switch set on its own still wins, an unknown preset is named', () => {
    const raw = office();
    raw.radio.preset = 'realistic';
    raw.radio.effects = { mapDrawing: false };
    const { effects } = validateScenario(raw, 'office.json').radio;
    expect(Object.entries(effects).filter(([, on]) => !on).map(([k]) => k)).toEqual(['mapDrawing']);
    expect(Object.keys(effects)).toHaveLength(18);
    raw.radio.preset = 'kind';
    expect(scenarioError(() => validateScenario(raw, 'office.json')).message).toBe(
      "office.json: radio.preset: unknown radio preset 'kind' (expected one of ideal, realistic)",
    );
  });

  it('seat hidden from its entry node by a wall', () => {
    const raw = office();
    // A partition across the middle of the north desk area.
    raw.site.walls.push({ floor: 0, x1: 1, y1: 22, x2: 25, y2: 22, material: 'drywall' });
    const err = scenarioError(() => validateScenario(raw, 'office.json'));
    expect(err.field).toBe('site.zones[2].entryNode');
    expect(err.message).toMatch(/seat \([\d.]+, [\d.]+\) of zone 'desks-north' is behind wall site\.walls\[\d+\]/);
  });

  it('not JSON', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ctsim-')), 'bad.json');
    writeFileSync(path, '{"name": "bad",\n }');
    expect(scenarioError(() => loadScenario(path)).message).toMatch(/^bad\.json: not valid JSON \(.+\)$/);
  });

  it('missing file', () => {
    const path = join(tmpdir(), 'ctsim-does-not-exist.json');
    expect(scenarioError(() => loadScenario(path)).message).toMatch(/^ctsim-does-not-exist\.json: cannot read file .*ENOENT/);
  });

  it('unknown scenario name lists the built-in ones', () => {
    expect(scenarioError(() => loadScenario('warehouse')).message).toMatch(/^warehouse: unknown scenario \(built-in: .*office/);
  });

  it('loads a scenario file by path', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ctsim-')), 'copy.json');
    writeFileSync(path, JSON.stringify(office()));
    expect(loadScenario(path).site.aps).toHaveLength(8);
  });

  it('a validated scenario written back as JSON validates to the same scenario', () => {
    for (const { name } of listScenarios()) {
      const scenario = { ...loadScenario(name), seed: 7 };
      const json = scenarioToJson(scenario) as { site: { walls: object[] } };
      expect(json.site.walls.some((w) => 'lossDb' in w)).toBe(false);
      expect(validateScenario(JSON.parse(JSON.stringify(json)), `${name}.json`)).toEqual(scenario);
    }
  });
});
