// One NDJSON body of RSSI reports, one JSON object a line:
//   {"tMs": 12000, "deviceId": "aa:bb", "tech": "wifi", "apId": "ap-1", "rssiDbm": -61.5}
// (the columns of the CSV/Arrow logs, engine/io/observations-reader.ts). The
// whole body is checked before any report is accepted: a bad line refuses the
// body, naming the line and what is wrong.
import { TECHS, type Tech } from '../../contract/site.ts';
import { RSSI_RANGE_DBM } from '../../contract/observations.ts';
import { DAY_MS } from '../../contract/privacy.ts';
import { MAX_SPAN_MS, timeError } from '../../contract/time-range.ts';
import { quote } from '../../contract/quote.ts';
import { controlProblem } from '../../contract/text.ts';

export interface ReportRows {
  length: number;
  tMs: Float64Array;
  deviceId: string[];
  tech: Tech[];
  apIdx: Uint16Array;
  rssiDbm: Float32Array;
}

export class BadReport extends Error {
  constructor(message: string, readonly code: 'malformed' | 'unknown_ap') {
    super(message);
  }
}

const [RSSI_MIN_DBM, RSSI_MAX_DBM] = RSSI_RANGE_DBM;
/** Longest device id taken, characters: MACs, UUIDs and badge serials are under 64. */
const MAX_ID_CHARS = 256;

export function parseReports(body: string, apIndex: ReadonlyMap<string, number>): ReportRows {
  const lines = body.split('\n');
  const n = lines.length;
  const rows: ReportRows = { length: 0, tMs: new Float64Array(n), deviceId: [], tech: [], apIdx: new Uint16Array(n), rssiDbm: new Float32Array(n) };
  const line = lineNumbers(lines);
  const parsed = parseLines(lines);
  for (let k = 0; k < parsed.length; k++) {
    const r = parsed[k] as Record<string, unknown>;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new BadReport(`line ${line(k)}: not a JSON object`, 'malformed');
    const { tMs, deviceId, tech, apId, rssiDbm } = r;
    if (typeof tMs !== 'number' || !Number.isFinite(tMs) || tMs < 0) throw new BadReport(`line ${line(k)}: tMs must be a number ≥ 0`, 'malformed');
    if (timeError(tMs) !== '') throw new BadReport(`line ${line(k)}: ${timeError(tMs)}`, 'malformed');
    if (typeof deviceId !== 'string' || deviceId === '') throw new BadReport(`line ${line(k)}: deviceId must be a non-empty string`, 'malformed');
    // Every event, stored row and pseudonym carries the id: a megabyte one is no device's.
    if (deviceId.length > MAX_ID_CHARS) throw new BadReport(`line ${line(k)}: deviceId ${quote(deviceId)} is longer than ${MAX_ID_CHARS} characters`, 'malformed');
    if (controlProblem(deviceId)) throw new BadReport(`line ${line(k)}: deviceId ${quote(deviceId)} ${controlProblem(deviceId)}`, 'malformed');
    if (typeof tech !== 'string' || !(TECHS as readonly string[]).includes(tech)) throw new BadReport(`line ${line(k)}: tech must be one of ${TECHS.join(', ')}`, 'malformed');
    if (typeof rssiDbm !== 'number' || !(rssiDbm >= RSSI_MIN_DBM && rssiDbm <= RSSI_MAX_DBM)) throw new BadReport(`line ${line(k)}: rssiDbm must be a number in ${RSSI_MIN_DBM}..${RSSI_MAX_DBM}`, 'malformed');
    if (typeof apId !== 'string') throw new BadReport(`line ${line(k)}: apId must be a string`, 'malformed');
    const ap = apIndex.get(apId);
    if (ap === undefined) throw new BadReport(`line ${line(k)}: unknown AP ${quote(apId)}`, 'unknown_ap');
    const i = rows.length++;
    rows.tMs[i] = tMs;
    rows.deviceId[i] = deviceId;
    rows.tech[i] = tech as Tech;
    rows.apIdx[i] = ap;
    rows.rssiDbm[i] = rssiDbm;
  }
  return rows;
}

/**
 * The first report of `rows` more than MAX_SPAN_MS past the newest time taken
 * so far (the stream's, then each earlier row's): a jump of over a month is a
 * unit or clock mix-up, and the hot zones would close every interval between.
 */
export function checkJump(rows: ReportRows, newestTMs: number): void {
  let newest = newestTMs;
  for (let i = 0; i < rows.length; i++) {
    if (Number.isFinite(newest) && rows.tMs[i] - newest > MAX_SPAN_MS) {
      throw new BadReport(`report ${i + 1} of the body: tMs ${rows.tMs[i]} is more than ${MAX_SPAN_MS / DAY_MS} days past the newest report taken (${newest}): a unit or clock mix-up (see MAX_SPAN_MS in engine/contract/time-range.ts)`, 'malformed');
    }
    newest = Math.max(newest, rows.tMs[i]);
  }
}

/** The non-blank lines parsed: as one JSON array (one parser call for the body), or line by line to name the first bad one. */
function parseLines(lines: string[]): unknown[] {
  const kept = lines.filter((l) => l.trim() !== '');
  try {
    // Joined, a line cut short could be completed by the next ('{"x":[1' + '2]}'): every line must be one whole object to go this way.
    const whole = kept.every((l) => { const t = l.trim(); return t.startsWith('{') && t.endsWith('}'); });
    const all = whole ? JSON.parse(`[${kept.join(',')}]`) as unknown[] : [];
    // A line holding two values ("{..},{..}") or none ("{..},") shifts the count: line by line, it is refused.
    if (whole && all.length === kept.length) return all;
  } catch {
    // some line is not JSON: found below
  }
  const out: unknown[] = [];
  let k = 0;
  for (const l of kept) {
    try {
      out.push(JSON.parse(l));
    } catch {
      throw new BadReport(`line ${lineNumbers(lines)(k)}: not JSON`, 'malformed');
    }
    k++;
  }
  return out;
}

/** The 1-based body line of the k-th non-blank line. */
function lineNumbers(lines: string[]): (k: number) => number {
  return (k) => {
    for (let i = 0, seen = 0; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      if (seen++ === k) return i + 1;
    }
    return lines.length;
  };
}
