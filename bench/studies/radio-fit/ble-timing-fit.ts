// The hearing rate behind sim/radio/ble-timing.ts's scan duty: in
// ble-anchors-calib2021 a tag advertises 5 times a second (its README) and
// each anchor's two BLE modules log every advert they hear. A module's
// hearing rate is its packets per second over the session / 5. The raw logs
// (*_ble.txt, tab-separated; layout from the dataset's src/load_files.py):
// time ms, anchor id, sequence, length, pressure, BLE packet count, UWB
// packet count, then 8 fields per BLE packet (module id, tag id, time, RSSI, ...).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from 'simple-statistics';
import { dataDir } from '../real-data/data-dir.ts';

/** The tag's advertising rate, per second (the dataset's README). */
export const ADVERTS_PER_S = 5;
export const SESSIONS = ['calibration/calib1', 'calibration/calib2', 'calibration/calib3', 'calibration/calib4', 'tests/test_robot'] as const;
const BLE_COUNT = 5;
const FIELDS_BEFORE_PACKETS = 7;
const FIELDS_PER_PACKET = 8;

export interface HearingRate {
  session: string;
  /** `anchor/module`. */
  receiver: string;
  durationS: number;
  /** Share of the tag's adverts this module heard. */
  rate: number;
}

export function hearingRates(dir = join(dataDir(), 'ble-anchors-calib2021')): HearingRate[] {
  return SESSIONS.flatMap((session) => {
    const lines = readFileSync(join(dir, `${session}_ble.txt`), 'utf8').trim().split(/\r?\n/).map((l) => l.split('\t'));
    const counts = new Map<string, number>();
    for (const s of lines) {
      for (let k = 0; k < Number(s[BLE_COUNT]); k++) {
        const receiver = `${s[1]}/${s[FIELDS_BEFORE_PACKETS + k * FIELDS_PER_PACKET]}`;
        counts.set(receiver, (counts.get(receiver) ?? 0) + 1);
      }
    }
    const durationS = (Number(lines[lines.length - 1][0]) - Number(lines[0][0])) / 1000;
    return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([receiver, n]) => ({ session, receiver, durationS, rate: n / durationS / ADVERTS_PER_S }));
  });
}

export const medianHearingRate = (rates: readonly HearingRate[]): number => median(rates.map((r) => r.rate));
