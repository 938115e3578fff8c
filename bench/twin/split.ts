// How a twin splits a log into the part it calibrates on and the part it
// compares on, named by the user:
//   time:F         reports before F of the log's span (0 < F < 1) calibrate, the rest test;
//   device:ID,ID   the named devices test, every other device calibrates;
//   points:even-odd  each distinct position of the positions file (floor, x, y
//                  to the centimetre) is numbered in order of first appearance;
//                  reports at even points calibrate, at odd points test, and
//                  reports between points (moving) are left out.
// The same rule splits the real and the simulated log (by each report's
// device and true position at its time).
import { InputError } from '../../engine/contract/input-error.ts';
import type { DeviceTracks } from './positions.ts';

export type Split = { kind: 'time'; fraction: number } | { kind: 'device'; ids: string[] } | { kind: 'points' };

export const SPLIT_FORMS = 'time:FRACTION (0..1), device:ID,ID or points:even-odd';

export function parseSplit(text: string): Split {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon), arg = colon < 0 ? '' : text.slice(colon + 1);
  if (kind === 'time') {
    const f = Number(arg);
    if (arg.trim() === '' || !(f > 0 && f < 1)) throw new InputError(`--split: time:FRACTION needs a fraction strictly between 0 and 1, got '${arg}'`);
    return { kind: 'time', fraction: f };
  }
  if (kind === 'device') {
    const ids = arg.split(',').map((s) => s.trim()).filter(Boolean);
    if (ids.length === 0) throw new InputError("--split: device:ID,ID needs at least one device id");
    return { kind: 'device', ids };
  }
  if (kind === 'points' && arg === 'even-odd') return { kind: 'points' };
  throw new InputError(`--split: unknown split '${text}' (use ${SPLIT_FORMS})`);
}

/** 'calibrate', 'test' or null (left out) for a report of device `id` at tMs, truly at (floor, x, y). */
export type SplitRule = (id: string, tMs: number, floor: number, x: number, y: number) => 'calibrate' | 'test' | null;

const pointKey = (floor: number, x: number, y: number): string => `${floor}|${Math.round(x * 100)}|${Math.round(y * 100)}`;

/** The rule for `split` over a log whose reports with known positions span [firstMs, lastMs]. */
export function splitRule(split: Split, tracks: DeviceTracks, firstMs: number, lastMs: number): SplitRule {
  if (split.kind === 'time') {
    const cutMs = firstMs + split.fraction * (lastMs - firstMs);
    return (_id, tMs) => (tMs < cutMs ? 'calibrate' : 'test');
  }
  if (split.kind === 'device') {
    const unknown = split.ids.find((id) => !tracks.has(id));
    if (unknown !== undefined) throw new InputError(`--split: device '${unknown}' has no positions`);
    const test = new Set(split.ids);
    return (id) => (test.has(id) ? 'test' : 'calibrate');
  }
  const points = new Map<string, number>();
  const firsts: { key: string; tMs: number }[] = [];
  for (const t of tracks.values()) {
    for (let i = 0; i < t.tMs.length; i++) {
      if (t.floor[i] < 0) continue;
      const key = pointKey(t.floor[i], t.x[i], t.y[i]);
      firsts.push({ key, tMs: t.tMs[i] });
    }
  }
  firsts.sort((a, b) => a.tMs - b.tMs);
  for (const f of firsts) if (!points.has(f.key)) points.set(f.key, points.size);
  return (_id, _tMs, floor, x, y) => {
    const p = points.get(pointKey(floor, x, y));
    return p === undefined ? null : p % 2 === 0 ? 'calibrate' : 'test';
  };
}
