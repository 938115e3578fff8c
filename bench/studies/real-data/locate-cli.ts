// A real dataset through `ctsim locate`, as a user runs it: the site map, the
// log (one device per scored row, an epoch apart, so every row gets its own
// fix) and optionally a survey are written as files, the CLI is run in a
// child process (no tracking: per-epoch fixes), and the fixes and the
// calibration it reports are read back.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../../engine/config.ts';
import type { Site, Tech } from '../../../engine/contract/site.ts';
import type { LocalizerName } from '../../../engine/localize/index.ts';
import { readEstimates } from '../../../engine/io/estimates-table.ts';
import type { TechCalibration } from '../../../engine/pipeline/calibration.ts';

const CLI = new URL('../../../bin/ctsim.js', import.meta.url).pathname;

/** One scored row: what the device heard (apId → dBm) and where it was. */
export interface ScoredRow {
  heard: [apId: string, rssiDbm: number][];
  x: number;
  y: number;
}

export interface SurveyRow {
  floor: number;
  x: number;
  y: number;
  apId: string;
  band: 'wifi' | 'ble';
  rssiDbm: number;
}

export interface LocateRun {
  /** Per scored row with a fix: its horizontal error, m, and whether its 68 % radius held the truth. */
  errorsM: number[];
  covered: number;
  calibration: TechCalibration;
}

export function locateRows(site: Site, tech: Tech, rows: readonly ScoredRow[], localizer: LocalizerName, survey?: readonly SurveyRow[], extra: string[] = []): LocateRun {
  const work = mkdtempSync(join(tmpdir(), 'ctsim-realdata-'));
  try {
    writeFileSync(join(work, 'site.json'), JSON.stringify(site));
    const epochMs = DEFAULT_CONFIG.ingest.epochMs;
    const lines = ['tMs,deviceId,tech,apId,rssiDbm'];
    rows.forEach((r, i) => r.heard.forEach(([ap, v]) => lines.push(`${i * epochMs + 1},row-${i},${tech},${ap},${v}`)));
    writeFileSync(join(work, 'observations.csv'), lines.join('\n') + '\n');
    const args = [CLI, 'locate', '--site', join(work, 'site.json'), '--observations', join(work, 'observations.csv'), '--out', join(work, 'out'),
      '--localizer', localizer, '--tracker', 'none', '--workers', '0', '--quiet', ...extra];
    if (survey) {
      writeFileSync(join(work, 'survey.csv'), ['floor,x,y,apId,band,rssiDbm', ...survey.map((s) => `${s.floor},${s.x},${s.y},${s.apId},${s.band},${s.rssiDbm}`)].join('\n') + '\n');
      args.push('--survey', join(work, 'survey.csv'));
    }
    execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const { est, devices } = readEstimates(join(work, 'out', 'estimates.arrow'));
    const errorsM: number[] = [];
    let covered = 0;
    for (let i = 0; i < est.length; i++) {
      const r = rows[Number(devices[est.deviceIdx[i]].id.slice('row-'.length))];
      const e = Math.hypot(est.x[i] - r.x, est.y[i] - r.y);
      errorsM.push(e);
      if (e <= est.errorRadiusM[i]) covered++;
    }
    const calibration = (JSON.parse(readFileSync(join(work, 'out', 'calibration.json'), 'utf8')) as { sources: Record<string, TechCalibration> }).sources[tech];
    return { errorsM, covered: covered / Math.max(est.length, 1), calibration };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
