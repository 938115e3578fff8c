// APs leave the air between a survey and the log it locates: a unit replaced
// by one with a new identity, or taken down (wifi-longterm-uji: half the
// library's network in month 12; sim/radio/ap-turnover.ts). The survey still
// holds their readings, and a localizer that counts an AP it does not hear as
// evidence (the fused localizer's survey WKNN: "not heard here") is pulled
// away from where they stood, and surveyed points located for the radii's
// calibration hear APs no fix of the log will. An AP the survey heard
// reliably somewhere (in at least half the scans at one of its points) that
// no report of the band in the whole log hears is taken to be off the air:
// the fingerprints and the radius and fusion calibrations leave it out (batch
// runs: the log is known before any fix). An AP the survey itself heard only
// now and then may just be out of the log's reach, and its absence still says
// "not near it". The map and its path-loss line keep every reading: they were
// true of the field on the survey's day.
import type { ObservationBatch } from '../contract/observations.ts';
import { bandOf } from '../contract/site.ts';
import { SURVEY_BANDS, type SurveyBatch } from '../contract/survey.ts';
import { surveyRows } from './map-radius.ts';

/** Per survey band: how many of the APs the survey holds the log never hears (and so left out). */
export interface OffAir {
  left: number;
  of: number;
}

/** AP indices are Uint16 (ObservationBatch.apIdx). */
const AP_INDICES = 65_536;
/** A point hears an AP reliably when at least this share of its scans (its best-heard AP's readings) hold it. */
const RELIABLE_SHARE = 0.5;

/** The survey without the readings of the reliably surveyed APs a band's log never hears (a band the log has no report of keeps every AP; `survey` itself when none go), and per band how many went. */
export function surveyOnAir(survey: SurveyBatch, log: ObservationBatch): { survey: SurveyBatch; offAir: OffAir[] } {
  // One pass over a log of millions of reports: flags per (band, AP index), not sets.
  const heard = SURVEY_BANDS.map(() => new Uint8Array(AP_INDICES));
  const bandOfDevice = Int8Array.from(log.devices, (d) => SURVEY_BANDS.indexOf(bandOf(d.tech)));
  for (let i = 0; i < log.length; i++) heard[bandOfDevice[log.deviceIdx[i]]][log.apIdx[i]] = 1;
  const anyHeard = heard.map((h) => h.includes(1));
  const gone = SURVEY_BANDS.map((_, b) => [...reliablySurveyed(survey, b)].filter((ap) => anyHeard[b] && heard[b][ap] === 0));
  const offAir = SURVEY_BANDS.map((_, b) => ({ left: gone[b].length, of: new Set(Array.from(survey.apIdx).filter((_, i) => survey.band[i] === b)).size }));
  if (offAir.every((o) => o.left === 0)) return { survey, offAir };
  const goneSets = gone.map((g) => new Set(g));
  return { survey: surveyRows(survey, Uint8Array.from({ length: survey.length }, (_, i) => (goneSets[survey.band[i]].has(survey.apIdx[i]) ? 0 : 1)), 1), offAir };
}

/** The APs of band b some surveyed point heard in at least RELIABLE_SHARE of its scans. */
function reliablySurveyed(survey: SurveyBatch, b: number): Set<number> {
  const counts = new Map<string, Map<number, number>>();
  for (let i = 0; i < survey.length; i++) {
    if (survey.band[i] !== b) continue;
    const key = `${survey.floor[i]}:${survey.x[i]}:${survey.y[i]}`;
    const perAp = counts.get(key) ?? new Map<number, number>();
    perAp.set(survey.apIdx[i], (perAp.get(survey.apIdx[i]) ?? 0) + 1);
    counts.set(key, perAp);
  }
  const reliable = new Set<number>();
  for (const perAp of counts.values()) {
    const scans = Math.max(...perAp.values());
    for (const [ap, n] of perAp) if (n >= RELIABLE_SHARE * scans) reliable.add(ap);
  }
  return reliable;
}
