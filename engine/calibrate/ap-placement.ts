// APs whose place the site map does not give: a fingerprint database lists
// the APs its phones heard, not where they hang (UJIIndoorLoc, the UJI
// long-term Wi-Fi set), and a site owner without a floor plan knows their ids
// only. With a survey each is placed where the survey hears it best: on the
// floor of its strongest reading (or the floor the map gives it), at the
// centroid of its PLACE_READINGS strongest readings there weighted by their
// power (10^(rssi/10)), as bench/studies/real-data/wifi-longterm.ts placed the
// long-term set's APs before locate could. An AP the survey hears fewer than
// MIN_PLACE_READINGS times tells too little of its place: it is left out, with
// the log's reports of it (the map localizer reads no AP the survey lacks either).
import { AP_BEACON_PREFIX, subsetObservations, type ObservationBatch } from '../contract/observations.ts';
import type { Site } from '../contract/site.ts';
import type { SurveyBatch } from '../contract/survey.ts';
import { surveyRows } from './map-radius.ts';
import { InputError } from '../contract/input-error.ts';
import type { ObservationLog } from '../io/observations-reader.ts';

/** Strongest survey readings an AP's place is the power-weighted centroid of. */
export const PLACE_READINGS = 5;
/** An AP heard at fewer survey readings than this is left out: a handful near the survey's edge says little of where it is. */
export const MIN_PLACE_READINGS = 10;

/** Whether the site map leaves AP `ap`'s place to the survey (its x and y not given). */
export const isUnplaced = (ap: Site['aps'][number]): boolean => Number.isNaN(ap.x);

export interface ApPlacement {
  /** The APs placed, where, and from how many survey readings. */
  placed: { id: string; floor: number; x: number; y: number; readings: number }[];
  /** The APs left out (heard too little by the survey), and the log's reports of them dropped with them. */
  leftOut: string[];
  droppedReports: number;
}

/** The inputs with every unplaced AP placed or left out (apIdx renumbered over the APs kept). */
export interface Placed {
  site: Site;
  batches: ObservationBatch[];
  survey: SurveyBatch;
  placement: ApPlacement;
}

/** Each unplaced AP's place from the survey (null: heard too little), by site index; x and y in any precision. */
export function placesFromSurvey(site: Site, survey: Pick<SurveyBatch, 'length' | 'floor' | 'apIdx' | 'rssiDbm'> & { x: ArrayLike<number>; y: ArrayLike<number> }): Map<number, ApPlacement['placed'][number] | null> {
  const rowsOf = new Map<number, number[]>();
  site.aps.forEach((ap, a) => isUnplaced(ap) && rowsOf.set(a, []));
  for (let i = 0; i < survey.length; i++) rowsOf.get(survey.apIdx[i])?.push(i);
  const out = new Map<number, ApPlacement['placed'][number] | null>();
  for (const [a, rows] of rowsOf) {
    const ap = site.aps[a];
    const onFloor = Number.isNaN(ap.floor) ? rows : rows.filter((i) => survey.floor[i] === ap.floor);
    if (onFloor.length < MIN_PLACE_READINGS) {
      out.set(a, null);
      continue;
    }
    onFloor.sort((p, q) => survey.rssiDbm[q] - survey.rssiDbm[p]);
    const floor = survey.floor[onFloor[0]];
    const best = onFloor.filter((i) => survey.floor[i] === floor).slice(0, PLACE_READINGS);
    let sw = 0, sx = 0, sy = 0;
    for (const i of best) {
      const w = 10 ** (survey.rssiDbm[i] / 10);
      sw += w;
      sx += w * survey.x[i];
      sy += w * survey.y[i];
    }
    out.set(a, { id: ap.id, floor, x: sx / sw, y: sy / sw, readings: onFloor.length });
  }
  return out;
}

/**
 * `site` with its unplaced APs placed from `survey`; those the survey heard
 * too little dropped from the site, the survey and each batch (reports they
 * heard, and AP beacons they sent), the other APs renumbered in order.
 */
export function placeUnplacedAps(site: Site, batches: ObservationBatch[], survey: SurveyBatch): Placed {
  const places = placesFromSurvey(site, survey);
  const newIdx = new Int32Array(site.aps.length).fill(-1);
  const aps: Site['aps'] = [];
  site.aps.forEach((ap, a) => {
    const p = places.get(a);
    if (p === null) return;
    newIdx[a] = aps.length;
    aps.push(p === undefined ? ap : { ...ap, floor: p.floor, x: p.x, y: p.y });
  });
  const leftOut = site.aps.filter((_, a) => newIdx[a] < 0).map((ap) => ap.id);
  const gone = new Set(leftOut.map((id) => `${AP_BEACON_PREFIX}${id}`));
  let droppedReports = 0;
  const kept = batches.map((b) => {
    const keep = (i: number): boolean => newIdx[b.apIdx[i]] >= 0 && !gone.has(b.devices[b.deviceIdx[i]].id);
    const out = subsetObservations(b, keep, (a) => newIdx[a]);
    droppedReports += b.length - out.length;
    return out;
  });
  const keptSurvey = surveyRows(survey, Uint8Array.from(survey.apIdx, (a) => (newIdx[a] >= 0 ? 1 : 0)), 1);
  return {
    site: { ...site, aps },
    batches: kept,
    survey: { ...keptSurvey, apIdx: keptSurvey.apIdx.map((a) => newIdx[a]) },
    placement: { placed: [...places.values()].filter((p) => p !== null), leftOut, droppedReports },
  };
}

/** One line on what placing did ('' when nothing was unplaced). */
export function placementSummary(p: ApPlacement): string {
  const placed = `placed ${p.placed.length} AP${p.placed.length === 1 ? '' : 's'} from the survey (each at the power-weighted centroid of its ${PLACE_READINGS} strongest readings)`;
  const left = p.leftOut.length === 0 ? '' : `; left out ${p.leftOut.length} it heard fewer than ${MIN_PLACE_READINGS} times (${p.leftOut.slice(0, 3).join(', ')}${p.leftOut.length > 3 ? ', ...' : ''}) and the ${p.droppedReports.toLocaleString('en-US')} reports of them`;
  return `APs: ${placed}${left}`;
}

/**
 * The site with the APs it gives no place placed from the survey (its log's
 * batches renumbered alike, in place); refused when some AP has no place and
 * no survey is given. placement: null when every AP had its place.
 */
export function placeAps(site: Site, log: Pick<ObservationLog, 'observations' | 'apBeacons'>, survey: SurveyBatch | undefined, sitePath: string): { site: Site; survey: SurveyBatch | undefined; placement: ApPlacement | null } {
  const first = site.aps.findIndex(isUnplaced);
  if (first < 0) return { site, survey, placement: null };
  if (survey === undefined) throw new InputError(`${sitePath}: aps[${first}] (${site.aps[first].id}) gives no x and y, and no survey is given to place it from`);
  const placed = placeUnplacedAps(site, [log.observations, log.apBeacons], survey);
  [log.observations, log.apBeacons] = placed.batches;
  if (log.observations.length === 0) throw new InputError(`${sitePath}: every report is of an AP the survey heard too little to place (${placementSummary(placed.placement)})`);
  return { site: placed.site, survey: placed.survey, placement: placed.placement };
}
