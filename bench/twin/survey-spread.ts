// How far a survey's readings at one point spread around their point's mean,
// per band: the pooled within-(point, AP) sd. A real survey whose readings at
// a point come from several visits (wifi-longterm-uji's month-1 survey: its
// training sets, days apart, 4.5 dB) spreads more than one simulated visit
// of readings a second apart (3.2 dB there: the fast fading and what of the
// slow part one visit samples), so its twin's survey reads each on its own
// visit and adds what is still missing (bench/twin/simulate.ts); read as one
// visit, the twin's map fixes erred 0.4-0.7 m more than the log's in every
// month compared (its point means carried one visit's slow draw each).
import type { Band } from '../../engine/contract/site.ts';
import { SURVEY_BANDS, type SurveyBatch } from '../../engine/contract/survey.ts';

/** Per band with a (point, AP) read twice or more: the pooled sd of the readings around their (point, AP) mean, dB. */
export function surveySpreadDb(survey: SurveyBatch): Partial<Record<Band, number>> {
  const links = new Map<string, { band: number; n: number; sum: number; sumSq: number }>();
  for (let i = 0; i < survey.length; i++) {
    const key = `${survey.band[i]}|${survey.floor[i]}|${survey.x[i]}|${survey.y[i]}|${survey.apIdx[i]}`;
    const l = links.get(key) ?? { band: survey.band[i], n: 0, sum: 0, sumSq: 0 };
    if (l.n === 0) links.set(key, l);
    l.n++;
    l.sum += survey.rssiDbm[i];
    l.sumSq += survey.rssiDbm[i] ** 2;
  }
  const ss = new Float64Array(SURVEY_BANDS.length), dof = new Float64Array(SURVEY_BANDS.length);
  for (const l of links.values()) {
    ss[l.band] += l.sumSq - (l.sum * l.sum) / l.n;
    dof[l.band] += l.n - 1;
  }
  const out: Partial<Record<Band, number>> = {};
  SURVEY_BANDS.forEach((band, b) => {
    if (dof[b] > 0) out[band] = Math.sqrt(Math.max(ss[b] / dof[b], 0));
  });
  return out;
}

/** Per band, the extra spread (sd, dB) that brings `simulated`'s spread to `real`'s; 0 where it already spreads as much. */
export function missingSpreadDb(real: Partial<Record<Band, number>>, simulated: Partial<Record<Band, number>>): Partial<Record<Band, number>> {
  const out: Partial<Record<Band, number>> = {};
  for (const band of SURVEY_BANDS) {
    const r = real[band], s = simulated[band];
    if (r !== undefined && s !== undefined) out[band] = Math.sqrt(Math.max(r * r - s * s, 0));
  }
  return out;
}
