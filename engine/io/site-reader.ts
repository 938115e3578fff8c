// Reading a site map for `ctsim locate`: JSON shaped like engine/contract/site.ts's
// Site ({ floors, walls, zones, aps }, walls with their lossDb). Checks the
// fields' types here (AP heightM and radioId and the site's deviceHeightM are optional; for locate with a
// survey, an AP's x and y too), then the rules a scenario's site obeys too
// (engine/contract/site-rules.ts), and names the first field that is wrong.
import { readFileSync } from 'node:fs';
import { controlProblem, withoutBom } from '../contract/text.ts';
import type { Site } from '../contract/site.ts';
import { InputError } from '../contract/input-error.ts';
import { quote } from '../contract/quote.ts';
import { siteProblem } from '../contract/site-rules.ts';

export class SiteFileError extends InputError {}

type Obj = Record<string, unknown>;

/** unplaced: an AP may leave out x and y (and floor) for a survey to place it (engine/calibrate/ap-placement.ts); they read NaN. */
export function parseSite(raw: unknown, source: string, opts: { unplaced?: boolean } = {}): Site {
  const fail = (field: string, msg: string): never => {
    throw new SiteFileError(`${source}: ${field} ${msg}`);
  };
  const obj = (v: unknown, field: string): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : fail(field, 'must be an object'));
  const arr = (v: unknown, field: string): unknown[] => (Array.isArray(v) ? v : fail(field, 'must be a list'));
  const num = (o: Obj, k: string, field: string): number => (typeof o[k] === 'number' && Number.isFinite(o[k]) ? (o[k] as number) : fail(`${field}.${k}`, 'must be a number'));
  const str = (o: Obj, k: string, field: string): string => {
    if (typeof o[k] !== 'string' || o[k] === '') fail(`${field}.${k}`, 'must be a non-empty string');
    return controlProblem(o[k] as string) ? fail(`${field}.${k}`, controlProblem(o[k] as string)) : (o[k] as string);
  };
  const whole = (o: Obj, k: string, field: string): number => (Number.isInteger(o[k]) ? (o[k] as number) : fail(`${field}.${k}`, 'must be a whole number'));
  /** An optional field: its default when absent, read like a required one when given (a wrong type is named, not replaced). */
  const opt = <T>(o: Obj, k: string, field: string, read: (o: Obj, k: string, field: string) => T, absent: T): T => (o[k] === undefined ? absent : read(o, k, field));
  const root = obj(raw, 'site');
  const floors = arr(root.floors, 'floors').map((v, i) => {
    const f = obj(v, `floors[${i}]`), at = `floors[${i}]`;
    return { id: whole(f, 'id', at), name: opt(f, 'name', at, str, `floor ${f.id}`), widthM: num(f, 'widthM', at), heightM: num(f, 'heightM', at), elevationM: opt(f, 'elevationM', at, num, 0) };
  });
  const walls = arr(root.walls ?? [], 'walls').map((v, i) => {
    const w = obj(v, `walls[${i}]`), at = `walls[${i}]`;
    return { floor: num(w, 'floor', at), x1: num(w, 'x1', at), y1: num(w, 'y1', at), x2: num(w, 'x2', at), y2: num(w, 'y2', at), material: opt(w, 'material', at, str, 'wall'), lossDb: num(w, 'lossDb', at) };
  });
  const zones = arr(root.zones ?? [], 'zones').map((v, i) => {
    const z = obj(v, `zones[${i}]`), at = `zones[${i}]`;
    const polygon = arr(z.polygon, `${at}.polygon`).map((p, k) =>
      Array.isArray(p) && p.length === 2 && p.every((c) => typeof c === 'number') ? (p as [number, number]) : fail(`${at}.polygon[${k}]`, 'must be [x, y]'));
    const id = str(z, 'id', at);
    return { id, name: opt(z, 'name', at, str, id), floor: num(z, 'floor', at), polygon, capacity: opt(z, 'capacity', at, whole, 0) };
  });
  const aps = arr(root.aps, 'aps').map((v, i) => {
    const a = obj(v, `aps[${i}]`), at = `aps[${i}]`;
    const radios = obj(a.radios, `${at}.radios`);
    const unplaced = a.x === undefined && a.y === undefined;
    if (unplaced && !opts.unplaced) fail(at, "gives no x and y: this needs every AP's place (ctsim locate with --survey places them)");
    if (unplaced && a.radioId !== undefined) fail(`${at}.radioId`, 'names a radio, but the AP has no x and y: give the place of an AP that shares a radio');
    const out: Site['aps'][number] = unplaced
      ? { id: str(a, 'id', at), floor: opt(a, 'floor', at, whole, NaN), x: NaN, y: NaN, radios: {} }
      : { id: str(a, 'id', at), floor: num(a, 'floor', at), x: num(a, 'x', at), y: num(a, 'y', at), radios: {} };
    if (a.heightM !== undefined) out.heightM = num(a, 'heightM', at);
    if (a.radioId !== undefined) out.radioId = str(a, 'radioId', at);
    for (const band of ['wifi', 'ble'] as const) {
      if (radios[band] !== undefined) out.radios[band] = { txPowerDbm: num(obj(radios[band], `${at}.radios.${band}`), 'txPowerDbm', `${at}.radios.${band}`) };
    }
    return out;
  });
  const site: Site = { floors, walls, zones, aps };
  if (root.deviceHeightM !== undefined) site.deviceHeightM = num(root, 'deviceHeightM', 'site');
  const bad = siteProblem(site);
  if (bad) fail(bad.field, bad.problem);
  return site;
}

export function readSiteFile(path: string, opts: { unplaced?: boolean } = {}): Site {
  let raw: unknown;
  try {
    raw = JSON.parse(withoutBom(readFileSync(path, 'utf8')));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SiteFileError(`${path}: ${code === 'ENOENT' ? 'no such file' : code !== undefined ? `cannot read (${code})` : `not valid JSON (${quote((err as Error).message)})`}`);
  }
  return parseSite(raw, path, opts);
}
