// wifi-longterm-uji (UJI_LIB_DB_v2, Mendoza-Silva et al., Data 2018, 3, 3;
// Zenodo 10.5281/zenodo.1066041, CC BY 4.0) in the twin format, for the
// ageing twin (bench/twin/ageing.ts): month 1's training sets are the survey
// and the part the twin calibrates on (device survey-m01); each compared
// month's tst01 and tst05 sets (the 48 points revisited every month; the other
// tst sets are left out, and only LONGTERM_TWIN_MONTHS of the 25 months, to
// keep CI short) are a test part (device phone-mMM), the survey as old as the
// real gap between them (median survey time to median test time).
// APs are placed from the survey as bench/studies/real-data/wifi-longterm.ts
// places them (the database has no AP positions): the engine's site, while
// the twin's world holds each AP where month 1's readings put it
// (fitApPositions: 30 of 128 APs moved, median 5.5 m; the fitted exponent
// 1.70 → 2.24). The phone scans the APs
// (tech wifi, the link in reverse): every AP on air is heard at each scan, so
// the twin runs without the connected-client effects (channels, traffic, AP
// reports). Positions more than MAX_GAP_S apart are not joined: the phone
// stood at each point and walked between them unrecorded, so the twin emits
// only where the real phone stood.
import { join } from 'node:path';
import type { Site } from '../../../engine/contract/site.ts';
import type { RadioEffects } from '../../../scenarios/types.ts';
import type { AgeingPart } from '../../twin/ageing.ts';
import { gz, loadLongtermSurvey, monthDir, readSet, setsOf } from '../real-data/wifi-longterm.ts';
import { writeTwinFiles, type Fix, type Reading, type SurveyReading, type TwinCase } from './twin-files.ts';

/** The months compared: a subsample of 1-25, denser early where the drift grows (bench/results/radio-drift.md), to keep CI short. */
export const LONGTERM_TWIN_MONTHS = [1, 2, 3, 4, 6, 9, 12, 15, 18, 21, 25];
/** The sets revisited at the same 48 points every month (data README). */
const TEST_SETS = ['tst01', 'tst05'];
/** Height of a storey, m: the database numbers floors 3 and 5 and gives no heights; a library's storey. */
const STOREY_M = 4;
/** Scans at one point are 3.7 s apart, points 10-15 s: a longer gap is a walk between points, not tracked. */
const MAX_GAP_S = 6;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Phone scans hear every AP on air: none of the connected-client effects apply; the survey ages. */
const SCAN_EFFECTS: Partial<RadioEffects> = { wifiChannels: false, wifiTraffic: false, wifiReports: false, drift: true };

/** 'YYYYMMDDhhmmssfff' as ms since the epoch (the database's clock; its zone does not matter, only gaps do). */
export function tmsToMs(s: string): number {
  const n = (a: number, b: number): number => Number(s.slice(a, b));
  return Date.UTC(n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12), n(12, 14), n(14, 17));
}

const timesOf = (m: number, set: string): number[] => gz(join(monthDir(m), `${set}tms.csv.gz`)).map(([t]) => tmsToMs(t));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export type LongtermCase = Omit<TwinCase, 'split' | 'surveyAgeDays' | 'surveyGridM'> & { parts: AgeingPart[] };

/** surveySets: only month 1's first this many trn sets (a smaller slice, for tests); default every one. */
export function longtermCase(workDir: string, months = LONGTERM_TWIN_MONTHS, surveySets = Infinity): LongtermCase {
  const { site: real, toSite } = loadLongtermSurvey();
  const site: Site = {
    floors: real.floors.map((f) => ({ id: f.id, name: `floor ${f.id}`, widthM: f.widthM, heightM: f.heightM, elevationM: f.id * STOREY_M })),
    walls: [], zones: [],
    aps: real.aps.map((a) => ({ id: a.id, floor: a.floor, x: a.x, y: a.y, radios: { wifi: { txPowerDbm: 0 } } })),
  };
  const readings: Reading[] = [], fixes: Fix[] = [], survey: SurveyReading[] = [];
  // A log spans at most 31 days (engine/contract/time-range.ts): each set keeps its own clock but
  // starts an hour after the previous set ends; each part is told its survey's real age instead.
  let nextMs = 0;
  const addSet = (month: number, set: string, deviceId: string, isSurvey: boolean): number[] => {
    const rows = readSet(monthDir(month), set).map(toSite), times = timesOf(month, set);
    const shiftMs = Math.min(...times) - nextMs;
    rows.forEach((r, i) => {
      const tMs = times[i] - shiftMs;
      fixes.push({ tMs, deviceId, floor: r.floor, x: r.x, y: r.y });
      r.rssi.forEach((v, a) => {
        if (v === null) return;
        readings.push({ tMs, deviceId, apId: real.aps[a].id, rssiDbm: v });
        // The survey map keeps each point's own floor's APs, as the real-data evaluation's survey does.
        if (isSurvey && real.aps[a].floor === r.floor) survey.push({ floor: r.floor, x: r.x, y: r.y, apId: real.aps[a].id, rssiDbm: v });
      });
    });
    nextMs = Math.max(...times) - shiftMs + HOUR_MS;
    return times;
  };
  const surveyTimes = setsOf(1, 'trn').slice(0, surveySets).flatMap((s) => addSet(1, s, 'survey-m01', true));
  const parts = months.map((m): AgeingPart => {
    const id = `phone-m${String(m).padStart(2, '0')}`;
    const times = TEST_SETS.flatMap((s) => addSet(m, s, id, false));
    return { label: `month ${m}`, deviceIds: [id], ageDays: Math.round(Math.max(0, (median(times) - median(surveyTimes)) / DAY_MS) * 10) / 10 };
  });
  fixes.sort((a, b) => a.tMs - b.tMs);
  return {
    name: 'wifi-longterm-uji',
    about: `wifi-longterm-uji: month 1's trn sets calibrate (and are the survey); tst01+tst05 of months ${months.join(', ')} compared, the survey aged to each`,
    paths: writeTwinFiles(workDir, site, 'wifi', readings, fixes, survey, 'wifi'),
    effects: SCAN_EFFECTS, maxGapS: MAX_GAP_S, fitApPositions: true, parts,
  };
}
