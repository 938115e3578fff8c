// One NDJSON body of RSSI reports, one JSON object a line:
//   {"tMs": 12000, "deviceId": "aa:bb", "tech": "wifi", "apId": "ap-1", "rssiDbm": -61.5}
// (the columns of the CSV/Arrow logs, engine/io/observations-reader.ts). The
// whole body is checked before any report is accepted: a bad line refuses the
// body, naming the line and what is wrong.
import { TECHS, type Tech } from '../../engine/contract/site.ts';

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

/** RSSI outside this range is not a reading (dBm). */
const RSSI_MIN_DBM = -130, RSSI_MAX_DBM = 20;

export function parseReports(body: string, apIndex: ReadonlyMap<string, number>): ReportRows {
  const lines = body.split('\n');
  const n = lines.length;
  const rows: ReportRows = { length: 0, tMs: new Float64Array(n), deviceId: [], tech: [], apIdx: new Uint16Array(n), rssiDbm: new Float32Array(n) };
  for (let k = 0; k < n; k++) {
    const line = lines[k].trim();
    if (line === '') continue;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new BadReport(`line ${k + 1}: not JSON`, 'malformed');
    }
    if (typeof r !== 'object' || r === null) throw new BadReport(`line ${k + 1}: not a JSON object`, 'malformed');
    const { tMs, deviceId, tech, apId, rssiDbm } = r;
    if (typeof tMs !== 'number' || !Number.isFinite(tMs) || tMs < 0) throw new BadReport(`line ${k + 1}: tMs must be a number ≥ 0`, 'malformed');
    if (typeof deviceId !== 'string' || deviceId === '') throw new BadReport(`line ${k + 1}: deviceId must be a non-empty string`, 'malformed');
    if (typeof tech !== 'string' || !(TECHS as readonly string[]).includes(tech)) throw new BadReport(`line ${k + 1}: tech must be one of ${TECHS.join(', ')}`, 'malformed');
    if (typeof rssiDbm !== 'number' || !(rssiDbm >= RSSI_MIN_DBM && rssiDbm <= RSSI_MAX_DBM)) throw new BadReport(`line ${k + 1}: rssiDbm must be a number in ${RSSI_MIN_DBM}..${RSSI_MAX_DBM}`, 'malformed');
    if (typeof apId !== 'string') throw new BadReport(`line ${k + 1}: apId must be a string`, 'malformed');
    const ap = apIndex.get(apId);
    if (ap === undefined) throw new BadReport(`line ${k + 1}: unknown AP '${apId}'`, 'unknown_ap');
    const i = rows.length++;
    rows.tMs[i] = tMs;
    rows.deviceId[i] = deviceId;
    rows.tech[i] = tech as Tech;
    rows.apIdx[i] = ap;
    rows.rssiDbm[i] = rssiDbm;
  }
  return rows;
}
