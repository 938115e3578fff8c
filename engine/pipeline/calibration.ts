// The run's calibration, shared by the batch engine (run.ts) and the live
// engine. Each technology's ranging comes from the best source the input has:
//   1. AP-to-AP beacons (engine/calibrate/ap-beacons.ts), per band;
//   2. else the site survey's own path-loss fit (engine/calibrate/survey-map.ts),
//      per band, the same model the survey's radio map is built on;
//   3. else the log itself (engine/calibrate/self-fit.ts), per technology,
//      with each AP's gain: batch only, as the live engine has no log up front;
//   4. else the configured models (engine/calibrate/ranging.ts).
// The survey's radio maps take their exponent prior from the beacon-calibrated
// ranging, or are the maps built beforehand.
import { calibratedRanging, fitApBeacons, meanBleBeaconTxDbm, type BandFit } from '../calibrate/ap-beacons.ts';
import type { RangingModel } from '../calibrate/ranging.ts';
import { selfFit, techsIn } from '../calibrate/self-fit.ts';
import { surveyRadioMaps, techRadioMaps, type SurveyRadioMaps } from '../calibrate/survey-map.ts';
import type { EngineConfig } from '../config.ts';
import type { DeviceInfo, ObservationBatch } from '../contract/observations.ts';
import { bandOf, TECHS, type Band, type Site, type Tech } from '../contract/site.ts';
import type { SurveyBatch } from '../contract/survey.ts';
import { heightDiff2, type SiteLayout } from '../localize/layout.ts';
import type { ContextData } from './context.ts';

export interface CalibrationInputs {
  apBeacons?: ObservationBatch;
  survey?: SurveyBatch;
  radioMaps?: SurveyRadioMaps;
  /** The log to be located: self-calibration's readings where no beacons or survey fitted a technology's band. */
  log?: ObservationBatch;
}

export type CalibrationSource = 'ap-beacons' | 'survey' | 'self' | 'defaults';

/** Where one technology's ranging came from, what it is and how well it fits what it was fitted to. */
export interface TechCalibration {
  source: CalibrationSource;
  refRssiDbmAt1m: number;
  pathLossExponent: number;
  /** Robust spread of the fitted readings around the model, dB (absent for the configured defaults). */
  residualDb?: number;
  /** What the fit stood on: AP pairs, surveyed (point, AP) means or (epoch, AP) readings of the log. */
  samples?: number;
  /** Spread of the self-fitted AP gains, dB (self only). */
  apGainSpreadDb?: number;
  /** Why self-calibration was not used, when it was tried and refused. */
  refused?: string;
}

export function calibrate(
  site: Site, devices: readonly DeviceInfo[], cfg: EngineConfig, layout: SiteLayout, inputs: CalibrationInputs,
): { fits: Partial<Record<Band, BandFit>>; survey: SurveyRadioMaps; data: ContextData; sources: Partial<Record<Tech, TechCalibration>> } {
  const fits = inputs.apBeacons && cfg.calibrate.fromApBeacons ? fitApBeacons(site, inputs.apBeacons, cfg.calibrate, cfg.ranging) : {};
  const ranging = calibratedRanging(site, fits, cfg.ranging, cfg.calibrate);
  // A band the beacons fitted ranges by them, else by the survey's fit (as below): the radius calibration's localizer too.
  const surveyRanging = (band: Band, fit: BandFit): RangingModel => {
    const tech: Tech = band === 'wifi' ? 'wifi' : 'ble-badge';
    return fits[band] ? ranging[tech] : { ...ranging[tech], refRssiDbmAt1m: -fit.lossAt1mDb, pathLossExponent: fit.pathLossExponent };
  };
  const survey = inputs.radioMaps ?? (inputs.survey && cfg.survey.fromSurvey ? surveyRadioMaps(site, layout, inputs.survey, { ...cfg, ranging, surveyRanging }) : { maps: {}, fits: {} });
  const apGainDb: (Float32Array | undefined)[] = TECHS.map(() => undefined);
  const sources: Partial<Record<Tech, TechCalibration>> = {};
  const present = inputs.log ? techsIn(inputs.log) : TECHS.filter((t) => devices.some((d) => d.tech === t));
  const dh2 = heightDiff2(layout, cfg.localize);
  for (const tech of present) {
    const band = bandOf(tech);
    const beacons = fits[band], surveyed = survey.fits[band];
    if (beacons) {
      sources[tech] = described('ap-beacons', ranging[tech], beacons.residualSigmaDb, beacons.links);
      continue;
    }
    if (surveyed) {
      // The survey's intercept is the RSSI its reference device read at 1 m; a ble-app phone hears the APs' beacons, at their power (as techRadioMaps).
      ranging[tech] = { ...ranging[tech], refRssiDbmAt1m: -surveyed.lossAt1mDb + (tech === 'ble-app' ? meanBleBeaconTxDbm(site) : 0), pathLossExponent: surveyed.pathLossExponent };
      sources[tech] = described('survey', ranging[tech], surveyed.residualSigmaDb, surveyed.links);
      continue;
    }
    const self = inputs.log && cfg.selfCalibrate.fromLog
      ? selfFit(layout, inputs.log, tech, ranging[tech], dh2, {
        self: cfg.selfCalibrate, calibrate: cfg.calibrate, epochMs: cfg.ingest.epochMs,
        centroidWeightExponent: cfg.localize.centroid.weightExponent, priorExponent: ranging[tech].pathLossExponent,
      })
      : null;
    if (self && !('refused' in self)) {
      ranging[tech] = { ...ranging[tech], refRssiDbmAt1m: self.refRssiDbmAt1m, pathLossExponent: self.pathLossExponent };
      apGainDb[TECHS.indexOf(tech)] = self.apGainDb;
      sources[tech] = { ...described('self', ranging[tech], self.residualSigmaDb, self.links), ...(self.apGainDb ? { apGainSpreadDb: rms(self.apGainDb) } : {}) };
      continue;
    }
    sources[tech] = { ...described('defaults', ranging[tech]), ...(self ? { refused: self.refused } : {}) };
  }
  return { fits, survey, sources, data: { site, devices, cfg, ranging, apGainDb, maps: techRadioMaps(site, survey) } };
}

function described(source: CalibrationSource, model: RangingModel, residualDb?: number, samples?: number): TechCalibration {
  return { source, refRssiDbmAt1m: model.refRssiDbmAt1m, pathLossExponent: model.pathLossExponent, ...(residualDb === undefined ? {} : { residualDb, samples }) };
}

/** Root mean square of the non-zero entries (APs the fit saw). */
function rms(values: Float32Array): number {
  let ss = 0, n = 0;
  for (const v of values) if (v !== 0) {
    ss += v * v;
    n++;
  }
  return n ? Math.sqrt(ss / n) : 0;
}
