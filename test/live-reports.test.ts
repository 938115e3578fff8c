// The server's NDJSON report parser: every line checked before any is taken,
// the first bad one named by its line in the body.
import { describe, expect, it } from 'vitest';
import { BadReport, checkJump, parseReports } from '../engine/live/server/reports.ts';

const aps = new Map([['ap-1', 0], ['ap-2', 1]]);
const line = (over: Record<string, unknown> = {}): string => JSON.stringify({ tMs: 1000, deviceId: 'd1', tech: 'wifi', apId: 'ap-2', rssiDbm: -60, ...over });
const refusal = (body: string): string => {
  try {
    parseReports(body, aps);
  } catch (err) {
    expect(err).toBeInstanceOf(BadReport);
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('parseReports', () => {
  it('reads every report, skipping blank lines, APs by index', () => {
    const rows = parseReports(`${line()}\n\n${line({ tMs: 2000, apId: 'ap-1', rssiDbm: -71.5 })}\n`, aps);
    expect(rows.length).toBe(2);
    expect(Array.from(rows.tMs.subarray(0, 2))).toEqual([1000, 2000]);
    expect(Array.from(rows.apIdx.subarray(0, 2))).toEqual([1, 0]);
    expect(rows.rssiDbm[1]).toBe(-71.5);
  });

  it('names the first bad line by its place in the body', () => {
    expect(refusal(`${line()}\n\n{"tMs":`)).toBe('line 3: not JSON');
    expect(refusal(`${line()}\n${line()},${line()}`)).toBe('line 2: not JSON'); // two reports on one line
    expect(refusal(`${line()}\n[1]`)).toBe('line 2: not a JSON object');
    expect(refusal(line({ tech: 'lora' }))).toMatch(/^line 1: tech must be one of wifi/);
    expect(refusal(line({ rssiDbm: 40 }))).toBe('line 1: rssiDbm must be a number in -130..0');
    expect(refusal(line({ tMs: -1 }))).toBe('line 1: tMs must be a number ≥ 0');
    expect(refusal(`${line()}\n${line({ apId: 'ap-9' })}`)).toBe("line 2: unknown AP 'ap-9'");
    expect(refusal(line({ tMs: 1e300 }))).toMatch(/^line 1: tMs 1e\+300 is beyond ±1000000000000000 ms/);
    // Joined, a line cut short was completed by the next one and the body taken.
    expect(refusal(`${line().slice(0, -1)},"x":[1\n2]}`)).toBe('line 1: not JSON');
    // An id no device has: a megabyte, or one that would drive a terminal; an unknown AP quoted short.
    expect(refusal(line({ deviceId: 'd'.repeat(300) }))).toMatch(/^line 1: deviceId 'd{80}…' \(300 characters\) is longer than 256 characters$/);
    expect(refusal(line({ deviceId: 'badge\u001b[2J' }))).toBe("line 1: deviceId 'badge\\u001b[2J' must not hold control characters (U+001B at 5)");
    expect(refusal(line({ apId: 'a'.repeat(5000) }))).toMatch(/^line 1: unknown AP 'a{80}…' \(5,000 characters\)$/);
  });

  it('refuses a report a month past the newest taken (a unit or clock mix-up), in the body or against the stream', () => {
    const day = 86_400_000;
    const rows = parseReports(`${line({ tMs: 1000 })}\n${line({ tMs: 1000 + 40 * day })}`, aps);
    expect(() => checkJump(rows, -Infinity)).toThrow(/^report 2 of the body: tMs 3456001000 is more than 31 days past the newest report taken \(1000\)/);
    expect(() => checkJump(parseReports(line({ tMs: 1000 + 40 * day }), aps), 1000)).toThrow(BadReport);
    // A weekend's silence is a gap, not a mix-up.
    expect(() => checkJump(parseReports(line({ tMs: 1000 + 3 * day }), aps), 1000)).not.toThrow();
  });
});
