// What the commands that read a real RSSI log (locate, calibrate, twin) say
// about it on stderr, and --on-bad-row: a real receiver log holds rows no
// reader takes (a positive RSSI, an AP the site lacks), and one of them need
// not stop the day's work.
import type { EngineConfig } from '../engine/config.ts';
import type { ObservationBatch } from '../engine/contract/observations.ts';
import type { Site } from '../engine/contract/site.ts';
import { badRowsSummary, radioMismatch, type BadRows, type OnBadRow } from '../engine/io/observations-reader.ts';

/** No default, so a command can refuse it where it reads no log; absent is fail. */
export const BAD_ROW_OPTION = {
  choices: ['fail', 'skip'] as readonly OnBadRow[],
  describe: 'A bad row in a log (positive RSSI, unknown AP, ...): stop naming it (fail, the default), or leave it out, counted by reason (skip)',
};

/** One stderr line per log that had rows left out (by reason, the first few quoted), and one if its reports reach APs without their band's radio. */
export function reportLog(obs: ObservationBatch, site: Site, ...skipped: BadRows[]): void {
  for (const line of [...skipped.map(badRowsSummary), radioMismatch(obs, site)]) if (line) process.stderr.write(`${line}\n`);
}

/** Why a technology heard got no fix: the one rule that places none (the engine's selection). */
export function noFixesWhy(cfg: EngineConfig): string {
  return `no device's epoch (ingest.epochMs ${cfg.ingest.epochMs} ms) held readings of localize.minAps = ${cfg.localize.minAps} APs on one floor`;
}
