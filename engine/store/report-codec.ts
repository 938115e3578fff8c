// A block of one device's RSSI reports from one live POST, packed before
// sealing: a JSON header ({tech, aps: the AP ids the block uses}) behind its
// byte length (Uint32), then columns tMs (Float64, absolute), rssiDbm
// (Float32), ap (Uint16 index into the header's aps). 14 bytes a report.
import type { Tech } from '../contract/site.ts';

/** One device's reports, in arrival order, absolute times. */
export interface ReportBlock {
  /** Pseudonym. */
  device: string;
  tech: Tech;
  length: number;
  tMs: Float64Array;
  rssiDbm: Float32Array;
  apId: string[];
}

export function encodeReportBlock(b: ReportBlock): Uint8Array {
  const aps: string[] = [];
  const apOf = new Map<string, number>();
  const ap = new Uint16Array(b.length);
  for (let i = 0; i < b.length; i++) {
    let k = apOf.get(b.apId[i]);
    if (k === undefined) apOf.set(b.apId[i], (k = aps.push(b.apId[i]) - 1));
    ap[i] = k;
  }
  const header = new TextEncoder().encode(JSON.stringify({ tech: b.tech, aps }));
  // Columns start on an 8-byte boundary so they can be read in place.
  const at = Math.ceil((4 + header.length) / 8) * 8;
  const n = b.length;
  const out = new Uint8Array(at + 14 * n);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  new Float64Array(out.buffer, at, n).set(b.tMs.subarray(0, n));
  new Float32Array(out.buffer, at + 8 * n, n).set(b.rssiDbm.subarray(0, n));
  new Uint16Array(out.buffer, at + 12 * n, n).set(ap);
  return out;
}

export function decodeReportBlock(bytes: Uint8Array, device: string): ReportBlock {
  const buf = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const headerBytes = new DataView(buf.buffer, buf.byteOffset).getUint32(0, true);
  const { tech, aps } = JSON.parse(new TextDecoder().decode(buf.subarray(4, 4 + headerBytes))) as { tech: Tech; aps: string[] };
  const at = Math.ceil((4 + headerBytes) / 8) * 8;
  const n = (buf.length - at) / 14;
  const ap = new Uint16Array(buf.buffer, buf.byteOffset + at + 12 * n, n);
  return {
    device, tech, length: n,
    tMs: new Float64Array(buf.buffer, buf.byteOffset + at, n).slice(),
    rssiDbm: new Float32Array(buf.buffer, buf.byteOffset + at + 8 * n, n).slice(),
    apId: Array.from(ap, (k) => aps[k]),
  };
}

/** The reports of `b` with fromMs ≤ tMs ≤ toMs, in their order. */
export function sliceReports(b: ReportBlock, fromMs: number, toMs: number): ReportBlock {
  const keep: number[] = [];
  for (let i = 0; i < b.length; i++) if (b.tMs[i] >= fromMs && b.tMs[i] <= toMs) keep.push(i);
  if (keep.length === b.length) return b;
  return {
    device: b.device, tech: b.tech, length: keep.length,
    tMs: Float64Array.from(keep, (i) => b.tMs[i]), rssiDbm: Float32Array.from(keep, (i) => b.rssiDbm[i]), apId: keep.map((i) => b.apId[i]),
  };
}

/** A block's first and last report time, whole ms, widened to cover fractional times (the table's row range). */
export function timeSpan(b: ReportBlock): [number, number] {
  let first = Infinity, last = -Infinity;
  for (let i = 0; i < b.length; i++) {
    if (b.tMs[i] < first) first = b.tMs[i];
    if (b.tMs[i] > last) last = b.tMs[i];
  }
  return [Math.floor(first), Math.ceil(last)];
}
