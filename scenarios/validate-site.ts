// Validation of `site`: the floor plan, APs and walkable graph. Beyond field
// types it checks what the simulator relies on without re-checking: everything
// lies inside its floor, walkways never pass through walls, every zone can be
// reached from an entrance, and every seat sees its zone's entry node.
import { pointInPolygon, segmentsCross, type Point } from '../engine/contract/geometry.ts';
import type { AccessPoint, ApRadio, Band, Floor, Wall } from '../engine/contract/site.ts';
import { polygonProblem, siteProblem } from '../engine/contract/site-rules.ts';
import { LIMITS, MAX_SEATS_PER_ZONE, seatGridSize } from './limits.ts';
import { quote } from '../engine/contract/quote.ts';
import { Reader } from './read.ts';
import { seatsOf } from './seats.ts';
import type { ScenarioSite, ScenarioZone, WalkwayNode, ZoneKind } from './types.ts';

// A record, not a list, so adding a ZoneKind without listing it here fails to compile.
export const ZONE_KINDS = Object.keys({
  desks: true, meeting: true, lunch: true, break: true, corridor: true, entrance: true, ward: true, shop: true,
} satisfies Record<ZoneKind, true>) as ZoneKind[];
const BANDS: readonly Band[] = ['wifi', 'ble'];

export function readSite(r: Reader, v: unknown): ScenarioSite {
  const o = r.object(v, 'site', ['floors', 'materials', 'walls', 'zones', 'aps', 'walkways'], ['deviceHeightM']);
  const floors = list(r, o.floors, 'site.floors', (x, f) => readFloor(r, x, f));
  if (floors.length === 0) r.fail('site.floors', 'must list at least one floor');
  const materials = readMaterials(r, o.materials);
  const walls = list(r, o.walls, 'site.walls', (x, f) => readWall(r, x, f, floors, materials));
  const walkways = readWalkways(r, o.walkways, floors, walls);
  const zones = list(r, o.zones, 'site.zones', (x, f) => readZone(r, x, f, floors, walkways.nodes));
  for (const kind of ['desks', 'entrance'] as const) {
    if (!zones.some((z) => z.kind === kind)) r.fail('site.zones', `needs at least one zone of kind '${kind}'`);
  }
  const aps = list(r, o.aps, 'site.aps', (x, f) => readAp(r, x, f, floors));
  // The rules a plain site map obeys too (ids, polygons, floors, losses): one copy, in engine/contract/site-rules.ts.
  // How high devices are carried (the AP's own height: aps[].heightM), where the site says: the world stands them there, the engine ranges with it.
  const heights = o.deviceHeightM === undefined ? {} : { deviceHeightM: r.number(o.deviceHeightM, 'site.deviceHeightM') };
  const bad = siteProblem({ floors, walls, zones, aps, ...heights });
  if (bad) r.fail(`site.${bad.field}`, bad.problem);
  checkReachable(r, zones, walkways);
  checkSeats(r, zones, walkways.nodes, walls);
  return { floors, materials, walls, zones, aps, walkways, ...heights };
}

function list<T>(r: Reader, v: unknown, field: string, read: (v: unknown, field: string) => T): T[] {
  return r.array(v, field).map((item, i) => read(item, `${field}[${i}]`));
}

function unique(r: Reader, ids: readonly (string | number)[], field: string, what: string): void {
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) r.fail(`${field}[${i}].id`, `duplicate ${what} '${id}'`);
  });
}

function readFloor(r: Reader, v: unknown, f: string): Floor {
  const o = r.object(v, f, ['id', 'name', 'widthM', 'heightM', 'elevationM']);
  return {
    id: r.integer(o.id, `${f}.id`),
    name: r.string(o.name, `${f}.name`),
    widthM: r.positive(o.widthM, `${f}.widthM`),
    heightM: r.positive(o.heightM, `${f}.heightM`),
    elevationM: r.within(o.elevationM, `${f}.elevationM`, LIMITS.elevationM),
  };
}

function readMaterials(r: Reader, v: unknown): Record<string, number> {
  const o = r.map(v, 'site.materials');
  return Object.fromEntries(Object.entries(o).map(([name, loss]) => [name, r.within(loss, `site.materials.${name}`, LIMITS.lossDb)]));
}

/** The floor a thing stands on; `what` names the thing for the error ("AP on no floor"). */
function floorOf(r: Reader, v: unknown, f: string, floors: readonly Floor[], what: string): Floor {
  const id = r.integer(v, f);
  const floor = floors.find((fl) => fl.id === id);
  if (!floor) r.fail(f, `${what} on no floor: floor ${id} does not exist (floors: ${floors.map((fl) => fl.id).join(', ')})`);
  return floor;
}

function coordinate(r: Reader, v: unknown, f: string, floor: Floor, axis: 'x' | 'y'): number {
  const n = r.number(v, f);
  const max = axis === 'x' ? floor.widthM : floor.heightM;
  if (n < 0 || n > max) r.fail(f, `${n} is outside floor ${floor.id} (0..${max} m)`);
  return n;
}

function readWall(r: Reader, v: unknown, f: string, floors: readonly Floor[], materials: Record<string, number>): Wall {
  const o = r.object(v, f, ['floor', 'x1', 'y1', 'x2', 'y2', 'material']);
  const floor = floorOf(r, o.floor, `${f}.floor`, floors, 'wall');
  const material = r.string(o.material, `${f}.material`);
  if (!Object.hasOwn(materials, material)) {
    r.fail(`${f}.material`, `unknown material '${material}' (site.materials has ${Object.keys(materials).join(', ')})`);
  }
  return {
    floor: floor.id,
    x1: coordinate(r, o.x1, `${f}.x1`, floor, 'x'),
    y1: coordinate(r, o.y1, `${f}.y1`, floor, 'y'),
    x2: coordinate(r, o.x2, `${f}.x2`, floor, 'x'),
    y2: coordinate(r, o.y2, `${f}.y2`, floor, 'y'),
    material,
    lossDb: materials[material],
  };
}

function readWalkways(r: Reader, v: unknown, floors: readonly Floor[], walls: readonly Wall[]): ScenarioSite['walkways'] {
  const o = r.object(v, 'site.walkways', ['nodes', 'edges']);
  const nodes = list(r, o.nodes, 'site.walkways.nodes', (x, f): WalkwayNode => {
    const n = r.object(x, f, ['id', 'floor', 'x', 'y']);
    const floor = floorOf(r, n.floor, `${f}.floor`, floors, 'walkway node');
    return {
      id: r.string(n.id, `${f}.id`),
      floor: floor.id,
      x: coordinate(r, n.x, `${f}.x`, floor, 'x'),
      y: coordinate(r, n.y, `${f}.y`, floor, 'y'),
    };
  });
  unique(r, nodes.map((n) => n.id), 'site.walkways.nodes', 'walkway node id');
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = list(r, o.edges, 'site.walkways.edges', (x, f): [string, string] => {
    const pair = r.array(x, f);
    if (pair.length !== 2) r.fail(f, `must be [nodeId, nodeId], got ${pair.length} values`);
    const [a, b] = pair.map((id, k) => {
      const node = byId.get(r.string(id, `${f}[${k}]`));
      if (!node) r.fail(`${f}[${k}]`, `no walkway node '${id}'`);
      return node;
    });
    // Edges between floors are stairs or lifts: no wall lies between their ends.
    if (a.floor === b.floor) {
      const w = blockingWall(a.x, a.y, b.x, b.y, a.floor, walls);
      if (w >= 0) r.fail(f, `walkway ${a.id} -> ${b.id} crosses wall site.walls[${w}] (${walls[w].material})`);
    }
    return [a.id, b.id];
  });
  return { nodes, edges };
}

/** Index of the first wall on `floor` that segment (x1,y1)-(x2,y2) crosses, or -1. */
function blockingWall(x1: number, y1: number, x2: number, y2: number, floor: number, walls: readonly Wall[]): number {
  return walls.findIndex((w) => w.floor === floor && segmentsCross(x1, y1, x2, y2, w.x1, w.y1, w.x2, w.y2));
}

function readZone(r: Reader, v: unknown, f: string, floors: readonly Floor[], nodes: readonly WalkwayNode[]): ScenarioZone {
  const o = r.object(v, f, ['id', 'name', 'floor', 'kind', 'polygon', 'capacity', 'seatSpacingM', 'entryNode'], ['seatFacingDeg']);
  const id = r.string(o.id, `${f}.id`);
  const name = r.string(o.name, `${f}.name`);
  const floor = floorOf(r, o.floor, `${f}.floor`, floors, 'zone');
  const kind = r.oneOf(o.kind, `${f}.kind`, ZONE_KINDS, 'zone kind');
  const polygon = r.array(o.polygon, `${f}.polygon`).map((p, i): Point => {
    const xy = r.array(p, `${f}.polygon[${i}]`);
    if (xy.length !== 2) r.fail(`${f}.polygon[${i}]`, `must be [x, y], got ${xy.length} values`);
    return [coordinate(r, xy[0], `${f}.polygon[${i}][0]`, floor, 'x'), coordinate(r, xy[1], `${f}.polygon[${i}][1]`, floor, 'y')];
  });
  const shape = polygonProblem(polygon);
  if (shape) r.fail(`${f}.polygon`, shape);
  const capacity = r.integerWithin(o.capacity, `${f}.capacity`, LIMITS.capacity);
  const seatSpacingM = r.within(o.seatSpacingM, `${f}.seatSpacingM`, LIMITS.seatSpacingM);
  // Before the seats are listed (checkSeats): a fine grid over a big zone would not fit in memory.
  const seats = seatGridSize({ polygon, seatSpacingM });
  if (seats > MAX_SEATS_PER_ZONE) r.fail(`${f}.seatSpacingM`, `${seatSpacingM} m lays about ${seats.toPrecision(3)} seats over zone ${quote(id)}, more than ${MAX_SEATS_PER_ZONE.toLocaleString('en-US')}`);
  const entryNode = r.string(o.entryNode, `${f}.entryNode`);
  const node = nodes.find((n) => n.id === entryNode);
  if (!node) r.fail(`${f}.entryNode`, `no walkway node '${entryNode}'`);
  if (node.floor !== floor.id || !pointInPolygon(node.x, node.y, polygon)) {
    r.fail(`${f}.entryNode`, `walkway node '${entryNode}' is not inside zone '${id}'`);
  }
  const seatFacingDeg = r.optional(o, 'seatFacingDeg', f, (x, ff) => r.within(x, ff, LIMITS.seatFacingDeg), null);
  return { id, name, floor: floor.id, kind: kind as ZoneKind, polygon, capacity, seatSpacingM, seatFacingDeg, entryNode };
}

function readAp(r: Reader, v: unknown, f: string, floors: readonly Floor[]): AccessPoint {
  const o = r.object(v, f, ['id', 'floor', 'x', 'y', 'radios'], ['heightM']);
  const floor = floorOf(r, o.floor, `${f}.floor`, floors, 'AP');
  const radiosRaw = r.object(o.radios, `${f}.radios`, [], BANDS);
  if (Object.keys(radiosRaw).length === 0) r.fail(`${f}.radios`, 'needs at least one radio (wifi or ble)');
  const radios: Partial<Record<Band, ApRadio>> = {};
  for (const band of BANDS) {
    if (!(band in radiosRaw)) continue;
    const radio = r.object(radiosRaw[band], `${f}.radios.${band}`, ['txPowerDbm']);
    radios[band] = { txPowerDbm: r.within(radio.txPowerDbm, `${f}.radios.${band}.txPowerDbm`, LIMITS.txPowerDbm) };
  }
  return {
    id: r.string(o.id, `${f}.id`),
    floor: floor.id,
    x: coordinate(r, o.x, `${f}.x`, floor, 'x'),
    y: coordinate(r, o.y, `${f}.y`, floor, 'y'),
    radios,
    ...(o.heightM === undefined ? {} : { heightM: r.number(o.heightM, `${f}.heightM`) }),
  };
}

/** Every zone's entry node must be walkable from some entrance, or its people could never get there. */
function checkReachable(r: Reader, zones: readonly ScenarioZone[], walkways: ScenarioSite['walkways']): void {
  const next = new Map<string, string[]>(walkways.nodes.map((n) => [n.id, []]));
  for (const [a, b] of walkways.edges) {
    next.get(a)!.push(b);
    next.get(b)!.push(a);
  }
  const seen = new Set(zones.filter((z) => z.kind === 'entrance').map((z) => z.entryNode));
  const queue = [...seen];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const n of next.get(id)!) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  zones.forEach((z, i) => {
    if (seen.has(z.entryNode)) return;
    const who = z.kind === 'desks' || z.kind === 'ward' || z.kind === 'shop' ? `: people seated there could never reach their ${z.kind === 'desks' ? 'desk' : 'seat'}` : '';
    r.fail(`site.zones[${i}].entryNode`, `no walkable path from zone '${z.id}' to an entrance${who}`);
  });
}

/** People walk straight between their seat and the zone's entry node, so no wall may lie in between. */
function checkSeats(r: Reader, zones: readonly ScenarioZone[], nodes: readonly WalkwayNode[], walls: readonly Wall[]): void {
  zones.forEach((z, i) => {
    const seats = seatsOf(z);
    if (seats.length === 0) r.fail(`site.zones[${i}].seatSpacingM`, `${z.seatSpacingM} m leaves no seat inside zone '${z.id}'`);
    const entry = nodes.find((n) => n.id === z.entryNode)!;
    for (const [x, y] of seats) {
      const w = blockingWall(x, y, entry.x, entry.y, z.floor, walls);
      if (w >= 0) {
        r.fail(`site.zones[${i}].entryNode`, `seat (${x}, ${y}) of zone '${z.id}' is behind wall site.walls[${w}] from its entry node '${z.entryNode}'`);
      }
    }
  });
}
