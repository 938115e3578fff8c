// The devices' true positions over time, the twin's ground truth: a .csv or
// .arrow file with the columns
//   tMs       number  ms, on the observations' clock
//   deviceId  text    the device as the observations name it
//   floor     number  floor id of the site
//   x, y      number  metres in the floor's frame (inside the floor)
// Rows in any order (each device's are put in time order; one repeated is
// one, two places at one time are refused). Between
// two rows the device moves in a straight line on one floor, unless they are
// more than maxGapMs apart: then it was not tracked in between (as before its
// first row and after its last), and its reports there are not used.
// Each bad row is one error naming the file, line (CSV) or row (Arrow) and field.
import type { Site } from '../../engine/contract/site.ts';
import { InputError } from '../../engine/contract/input-error.ts';
import { readCsvRecords } from '../../engine/io/csv-records.ts';
import { decimalOf } from '../../engine/io/decimal.ts';
import { columnTypeError, readArrowTable } from '../../engine/io/read-arrow.ts';
import { quote } from '../../engine/contract/quote.ts';
import { ABSENT_FLOOR, TrackBuilder } from '../../sim/track.ts';
import type { Track } from '../../sim/types.ts';

export const POSITION_COLUMNS = ['tMs', 'deviceId', 'floor', 'x', 'y'] as const;

export class PositionsFileError extends InputError {}

/** Each device's true track, by device id. */
export type DeviceTracks = Map<string, Track>;

interface Row {
  where: string;
  values: unknown[];
}

/** Rows further apart than this are a gap in tracking, not a walk between them (default of --max-gap-s), ms. */
export const DEFAULT_MAX_GAP_MS = 30_000;

export function readPositionsFile(path: string, site: Site, maxGapMs = DEFAULT_MAX_GAP_MS): DeviceTracks {
  let rows: Row[];
  if (/\.csv$/i.test(path)) {
    rows = readCsvRecords(path, POSITION_COLUMNS, (m) => new PositionsFileError(m)).map(({ line, record }) => ({ where: `${path}:${line}`, values: POSITION_COLUMNS.map((c) => record[c]) }));
  } else if (/\.(arrow|feather|ipc)$/i.test(path)) {
    rows = arrowRows(path);
  } else {
    throw new PositionsFileError(`${path}: unknown positions file type (use .csv or .arrow)`);
  }
  if (rows.length === 0) throw new PositionsFileError(`${path}: no positions (need rows ${POSITION_COLUMNS.join(',')})`);
  const floors = new Map(site.floors.map((f) => [f.id, f]));
  const byDevice = new Map<string, Fix[]>();
  for (const { where, values } of rows) {
    const fail = (msg: string): never => {
      throw new PositionsFileError(`${where}: ${msg}`);
    };
    const num = (k: number): number => {
      const n = decimalOf(values[k]);
      return Number.isFinite(n) ? n : fail(`${POSITION_COLUMNS[k]} ${quote(values[k])} is not a number`);
    };
    const tMs = num(0);
    const id = String(values[1] ?? '');
    if (id === '') fail('deviceId is empty');
    const floorId = num(2), x = num(3), y = num(4);
    const floor = floors.get(floorId) ?? fail(`floor ${floorId} is not a floor of the site`);
    if (x < 0 || x > floor.widthM || y < 0 || y > floor.heightM) fail(`position (${x}, ${y}) lies outside floor ${floorId} (${floor.widthM} × ${floor.heightM} m)`);
    const fixes = byDevice.get(id) ?? [];
    fixes.push({ where, tMs, floorId, x, y });
    byDevice.set(id, fixes);
  }
  return new Map([...byDevice].map(([id, fixes]) => [id, trackOf(id, fixes, maxGapMs)]));
}

interface Fix {
  where: string;
  tMs: number;
  floorId: number;
  x: number;
  y: number;
}

/** A device's fixes in time order as a track (an export need not be sorted); a row repeated is one, two places at one time are refused. */
function trackOf(id: string, fixes: Fix[], maxGapMs: number): Track {
  fixes.sort((a, b) => a.tMs - b.tMs);
  const b = new TrackBuilder();
  let prev: Fix | undefined;
  for (const f of fixes) {
    if (prev && f.tMs === prev.tMs) {
      if (f.floorId === prev.floorId && f.x === prev.x && f.y === prev.y) continue;
      throw new PositionsFileError(`${f.where}: device ${quote(id)} is at two places at ${f.tMs} ms (also ${prev.where})`);
    }
    if (prev && f.tMs - prev.tMs > maxGapMs) b.add(prev.tMs + 1, NaN, NaN, ABSENT_FLOOR);
    b.add(f.tMs, f.x, f.y, f.floorId);
    prev = f;
  }
  return b.build();
}

function arrowRows(path: string): Row[] {
  const table = readArrowTable(path);
  const missing = POSITION_COLUMNS.filter((c) => table.getChild(c) === null);
  if (missing.length) throw new PositionsFileError(`${path}: missing column(s) ${missing.join(', ')} (need ${POSITION_COLUMNS.join(',')})`);
  const cols = POSITION_COLUMNS.map((c) => table.getChild(c)!);
  POSITION_COLUMNS.forEach((c, k) => {
    const bad = columnTypeError(path, c, cols[k].type, c === 'deviceId' ? 'string' : 'number');
    if (bad) throw new PositionsFileError(bad);
  });
  return Array.from({ length: table.numRows }, (_, r) => ({ where: `${path}: row ${r}`, values: cols.map((c) => c.get(r)) }));
}
