// ctsim proximity on a small synthetic log with a known answer, and its
// refusals of bad input (one line, exit 2).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ctsim } from './helpers/cli.ts';

/** 60 s of `scanner` hearing `advertiser` at a constant rssi, `hz` readings a second. */
function stream(scanner: string, advertiser: string, rssiDbm: number, hz: number, distanceM: number): string[] {
  return Array.from({ length: 60 * hz }, (_, i) => `${(i / hz).toFixed(2)},${scanner},${advertiser},${rssiDbm},${distanceM}`);
}

describe('ctsim proximity on a synthetic log', () => {
  // A hears B (1 m) at -60 dBm and C (4 m) at -85 (85 dB: medium, weight 0.5);
  // D, a deaf receiver, hears the same phones 28 and 15 dB weaker. D's median
  // (-88) is below the shipped receiver level (-78): its readings are lifted
  // 10 dB, so B reads -78 (78 dB attenuation: immediate) and C -90 (other).
  // A's median (-60) gets no lift. Thresholds 78/82/86 dB.
  const dir = mkdtempSync(join(tmpdir(), 'proximity-'));
  const log = join(dir, 'log.csv');
  writeFileSync(log, ['tS,scanner,advertiser,rssiDbm,distanceM', ...stream('A', 'B', -60, 2, 1), ...stream('A', 'C', -85, 1, 4), ...stream('D', 'B', -88, 2, 1), ...stream('D', 'C', -100, 1, 4)].join('\n') + '\n');

  it('decides every window as worked out by hand and scores it', async () => {
    const r = await ctsim('proximity', '--log', log);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const pair = (s: string, a: string): string[] => r.stdout.split('\n').find((l) => l.startsWith(`${s} `) && l.split(/\s+/)[1] === a)!.trim().split(/\s+/);
    // scanner, advertiser, windows, close, lift dB
    expect(pair('A', 'B')).toEqual(['A', 'B', '6', '6', '0.0']);
    expect(pair('A', 'C')).toEqual(['A', 'C', '6', '0', '0.0']);
    expect(pair('D', 'B')).toEqual(['D', 'B', '6', '6', '10.0']);
    expect(pair('D', 'C')).toEqual(['D', 'C', '6', '0', '10.0']);
    // At 4 ft the thresholds drop 5.4 dB (72.6/76.6/80.6): D-B (78 dB) falls to the medium bucket and is
    // missed (P_miss 0.5). At 10 ft they rise 4.6 dB (82.6/86.6/90.6): A-C (85 dB, 4 m) is near, a false alarm (P_fa 0.5).
    expect(r.stdout).toContain('24 windows with a true distance: within 2 m balanced accuracy 1.000 (recall 1.000, precision 1.000); TC4TL P_miss + P_fa at 4/6/10 ft: 0.500 / 0.000 / 0.500');
  });

  it('with one class only, names the one rate there is instead of a balanced accuracy', async () => {
    const near = join(dir, 'near.csv');
    writeFileSync(near, ['tS,scanner,advertiser,rssiDbm,distanceM', ...stream('A', 'B', -60, 2, 1)].join('\n') + '\n');
    const r = await ctsim('proximity', '--log', near);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('6 windows with a true distance: all within 2 m: recall 1.000;');
    expect(r.stdout).not.toContain('balanced accuracy');
    // TC4TL's sum too has one term at each distance (a 0 there read as a perfect score).
    expect(r.stdout).toContain('TC4TL P_miss + P_fa at 4/6/10 ft: 0.000 (P_miss only) / 0.000 (P_miss only) / 0.000 (P_miss only)');
  });

  it('notes a receiver lifted more than a deaf model in a pocket (20 dB): one that heard far phones only', async () => {
    const far = join(dir, 'far.csv');
    writeFileSync(far, ['tS,scanner,advertiser,rssiDbm,distanceM', ...stream('E', 'B', -100, 2, 6)].join('\n') + '\n');
    const r = await ctsim('proximity', '--log', far);
    expect(r.status).toBe(0);
    expect(r.stderr.trim()).toBe("note: receiver 'E' lifted 22.0 dB, more than a deaf model in a pocket (20 dB): its log may hold far phones only, which the lift reads as a quiet radio");
  });

  it('prints each window with --windows', async () => {
    const r = await ctsim('proximity', '--log', log, '--windows');
    expect(r.status).toBe(0);
    // session, scanner, advertiser, from, to, readings, mean dBm (model-corrected, before the lift), lift, close, true distance
    expect(r.stdout).toMatch(/ D\s+B\s+0\.00\s+9\.50\s+20\s+-88\.0\s+10\.0\s+yes\s+1\.00\n/);
    expect(r.stdout).toMatch(/ A\s+C\s+50\.00\s+59\.00\s+10\s+-85\.0\s+0\.0\s+no\s+4\.00\n/);
  });

  it('refuses bad input in one line with exit code 2', async () => {
    const bad = (name: string, text: string): string => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    const cases: [string[], RegExp][] = [
      [['--log', bad('cols.csv', 'tS,scanner,rssiDbm\n1,A,-60\n')], /cols\.csv:1: missing column\(s\) .*advertiser/],
      [['--log', bad('row.csv', 'tS,scanner,advertiser,rssiDbm\n1,A,B,-60\n2,A,B,loud\n')], /row\.csv:3: rssi 'loud' is not a reading in \[-140, 20\] dBm/],
      [['--log', bad('dist.csv', 'tS,scanner,advertiser,rssiDbm,distanceM\n1,A,B,-60,far\n')], /dist\.csv:2: distanceM 'far'/],
      // Plain decimals only: Number() would read a hex dump's 0x10 as +16 dBm and a blank cell as 0.
      [['--log', bad('hex.csv', 'tS,scanner,advertiser,rssiDbm\n1,A,B,0x10\n')], /hex\.csv:2: rssi '0x10' is not a reading/],
      [['--log', bad('blank.csv', 'tS,scanner,advertiser,rssiDbm\n1,A,B,"  "\n')], /blank\.csv:2: rssi '  ' is not a reading/],
      [['--log', log, '--format', 'nrf'], /Invalid values:.*format/],
      [['--log', join(dir, 'missing.csv')], /missing\.csv: cannot read/],
      [['--log', bad('bt.txt', '2020-05-01 13:23:57.659,Bluetooth,02177614,-93\n'), '--format', 'mitll'], /bt\.txt:1: malformed Bluetooth line/],
      [['--log', bad('unmeasured.txt', '2020-05-01 13:23:57.659,Bluetooth,02177614,127,TestPhone1,-12,1588339437.659\n'), '--format', 'mitll'], /unmeasured\.txt: every one of its 1 Bluetooth lines reads RSSI 127 \(not measured\)/],
      [['--log', log, '--window-s', '0'], /--window-s must be a number > 0/],
      // Too few readings for any window (times in ms read as seconds look like this too): said, not an empty table.
      [['--log', bad('sparse.csv', 'tS,scanner,advertiser,rssiDbm\n1,A,B,-60\n2,A,B,-61\n')], /sparse\.csv: no window of 10 s holds 3 readings of one scanner-advertiser pair \(2 readings/],
    ];
    for (const [args, message] of cases) {
      const r = await ctsim('proximity', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });
});
