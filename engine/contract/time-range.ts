// The times a log may hold. Any origin works (0 at a simulation's start,
// Unix-epoch milliseconds, ...): everything time-indexed (epochs, chunks,
// contact slabs, hot-zone occupancy) runs from the log's own first to last
// report. What is bounded is what sizes memory: the span, since per-interval
// tables grow with it, and the magnitude, beyond which a value is a unit or
// column mix-up rather than a time.
import { DAY_MS } from './privacy.ts';

/** Largest |tMs|: about 31,700 years either side of the origin (Unix-epoch ms today are 1.8e12), where float64 still resolves 0.125 ms. */
export const MAX_ABS_T_MS = 1e15;
/** Longest log, first to last report: a month (longer histories go through the store, a day at a time). */
export const MAX_SPAN_MS = 31 * DAY_MS;

/** Why tMs is no usable time, or '' when it is one. */
export function timeError(tMs: number): string {
  if (!Number.isFinite(tMs)) return `tMs '${tMs}' is not a number`;
  if (Math.abs(tMs) > MAX_ABS_T_MS) return `tMs ${tMs} is beyond ±${MAX_ABS_T_MS} ms (times are milliseconds; see MAX_ABS_T_MS in engine/contract/time-range.ts)`;
  return '';
}

/**
 * Of a log's times, the one that makes its span too long (the one farther
 * from the mean: an outlier, rather than the many rows around it), with why;
 * null when the log spans at most MAX_SPAN_MS.
 */
export function spanError(first: { tMs: number; at: number }, last: { tMs: number; at: number }, meanTMs: number): { at: number; message: string } | null {
  const spanMs = last.tMs - first.tMs;
  if (spanMs <= MAX_SPAN_MS) return null;
  const odd = last.tMs - meanTMs > meanTMs - first.tMs ? last : first;
  const days = (spanMs / DAY_MS).toLocaleString('en-US', { maximumFractionDigits: 1 });
  return { at: odd.at, message: `tMs ${odd.tMs} makes the log span ${days} days, more than ${MAX_SPAN_MS / DAY_MS} (split longer logs; see MAX_SPAN_MS in engine/contract/time-range.ts)` };
}
