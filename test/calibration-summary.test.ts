// The one-paragraph calibration summary: its text for each source, and
// `ctsim locate` printing it (unless --quiet) and writing it to calibration.json.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrationSummary } from '../reports/calibration-summary.ts';
import { ctsim } from './helpers/cli.ts';
import { HEIGHT_DIFF_M, lcg, makeSite } from './helpers/synthetic.ts';

describe('calibration summary', () => {
  it('says per technology what was fitted from what, the values and the residual', () => {
    expect(calibrationSummary({
      wifi: { source: 'ap-beacons', refRssiDbmAt1m: -29.04, pathLossExponent: 3.312, residualDb: 5.81, samples: 56 },
      'ble-badge': { source: 'survey', refRssiDbmAt1m: -59.5, pathLossExponent: 2.78, residualDb: 4.8, samples: 1234, stayReadingSigmaDb: 2.34, mapWallScale: 0.3 },
      'ble-app': { source: 'self', refRssiDbmAt1m: -52.4, pathLossExponent: 2.66, residualDb: 4.6, samples: 9544, apGainSpreadDb: 1.6 },
      'wifi-probe': { source: 'defaults', refRssiDbmAt1m: -30, pathLossExponent: 3, refused: '12 epochs heard by 3+ APs, fewer than 30' },
    })).toBe(
      'Calibration: wifi fitted from AP-to-AP beacons (56 AP pairs; RSSI at 1 m from the nominal power and free space\'s loss, the exponent fitted): RSSI at 1 m -29.0 dBm, exponent 3.31, residual 5.8 dB; '
      + 'ble-badge fitted from the site survey (1,234 point-AP means): RSSI at 1 m -59.5 dBm, exponent 2.78, residual 4.8 dB; stays compare epochs in 2.3 dB (the log\'s own reading spread); the survey map takes the site map\'s wall losses × 0.3 (fitted to the survey); '
      + 'ble-app self-calibrated from the log (9,544 epoch-AP readings, no positions): RSSI at 1 m -52.4 dBm, exponent 2.66, AP gains ±1.6 dB, residual 4.6 dB; '
      + 'wifi-probe the configured defaults: RSSI at 1 m -30.0 dBm, exponent 3.00 (self-calibration not used: 12 epochs heard by 3+ APs, fewer than 30).',
    );
  });

  it('says what the tracks read of the carriers\' bodies by walking direction, and whether it was taken out', () => {
    const survey = { source: 'survey', refRssiDbmAt1m: -59.5, pathLossExponent: 2.78, samples: 1234 } as const;
    expect(calibrationSummary({
      'ble-app': { ...survey, walkingBody: { depthDb: 3, z: 6.84, epochs: 364, used: true } },
      'ble-badge': { ...survey, walkingBody: { depthDb: -1, z: 0.5, epochs: 1200, used: false } },
    })).toBe(
      'Calibration: ble-app fitted from the site survey (1,234 point-AP means): RSSI at 1 m -59.5 dBm, exponent 2.78; the carriers\' bodies read 3.0 dB, the devices facing the way they walked (364 walking epochs, z 6.8): taken out of their readings, located again; '
      + 'ble-badge fitted from the site survey (1,234 point-AP means): RSSI at 1 m -59.5 dBm, exponent 2.78; no carrier\'s body read by walking direction (best 1.0 dB, the devices facing back from where they walked (1,200 walking epochs, z 0.5)).',
    );
  });

  it('locate prints it and writes it to calibration.json; --quiet silences the print', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctsim-calsum-'));
    const site = makeSite();
    writeFileSync(join(dir, 'site.json'), JSON.stringify(site));
    // 8 phones wandering for 5 minutes, RSSI −40 dBm at 1 m, exponent 2.5 (not the wifi defaults' −30 dBm and 3) with 3 dB noise: enough epochs to self-calibrate.
    const rng = lcg(3);
    const rows = ['tMs,deviceId,tech,apId,rssiDbm'];
    for (let t = 0; t < 300000; t += 5000) for (let p = 0; p < 8; p++) {
      const x = 1 + rng.uniform() * 28, y = 1 + rng.uniform() * 18;
      for (const ap of site.aps) rows.push(`${t},phone-${p},wifi,${ap.id},${(-40 - 25 * Math.log10(Math.hypot(x - ap.x, y - ap.y, HEIGHT_DIFF_M)) + 3 * rng.normal()).toFixed(1)}`);
    }
    writeFileSync(join(dir, 'log.csv'), rows.join('\n') + '\n');
    const args = ['locate', '--site', join(dir, 'site.json'), '--observations', join(dir, 'log.csv'), '--workers', '0'];
    const loud = await ctsim(...args, '--out', join(dir, 'loud'));
    expect(loud.status).toBe(0);
    const line = /^Calibration: wifi self-calibrated from the log \(2,880 epoch-AP readings, no positions\): RSSI at 1 m (-[\d.]+) dBm, exponent ([\d.]+), AP gains ±([\d.]+) dB, residual ([\d.]+) dB; located by wls: fused reads a survey map and no site survey was given\.$/m;
    const m = loud.stdout.match(line);
    expect(m).not.toBeNull();
    expect(Math.abs(Number(m![1]) + 40)).toBeLessThan(3);
    expect(Math.abs(Number(m![2]) - 2.5)).toBeLessThan(0.3);
    // Like APs: the gains' spread the log reads is near none.
    expect(Number(m![3])).toBeLessThan(0.3);
    const json = JSON.parse(readFileSync(join(dir, 'loud', 'calibration.json'), 'utf8'));
    expect(json.summary).toBe(m![0]);
    expect(json.sources.wifi.source).toBe('self');
    const quiet = await ctsim(...args, '--out', join(dir, 'quiet'), '--quiet');
    expect(quiet.stdout).not.toMatch(/Calibration:/);
    expect(JSON.parse(readFileSync(join(dir, 'quiet', 'calibration.json'), 'utf8')).summary).toBe(m![0]);
  });

  it('locate says why a log gave no estimates: no epoch held localize.minAps APs (a log of one AP\'s reports)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctsim-calsum-'));
    const site = makeSite();
    writeFileSync(join(dir, 'site.json'), JSON.stringify(site));
    const rows = ['tMs,deviceId,tech,apId,rssiDbm', ...Array.from({ length: 40 }, (_, k) => `${k * 1000},phone-0,wifi,${site.aps[0].id},-60`)];
    writeFileSync(join(dir, 'log.csv'), rows.join('\n') + '\n');
    const r = await ctsim('locate', '--site', join(dir, 'site.json'), '--observations', join(dir, 'log.csv'), '--workers', '0', '--out', join(dir, 'out'), '--quiet');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('40 reports from 1 devices (0 AP beacon reports): 0 estimates');
    expect(r.stdout).toContain("No estimates: no device's epoch (ingest.epochMs 5000 ms) held readings of localize.minAps = 3 APs on one floor");
  });
});
