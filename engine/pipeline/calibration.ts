// The run's calibration, shared by the batch engine (run.ts) and the live
// engine. Each technology's ranging comes from the best source the input has:
//   1. AP-to-AP beacons (engine/calibrate/ap-beacons.ts), per band;
//   2. else the site survey's own path-loss fit (engine/calibrate/survey-map.ts),
//      per band, the same model the survey's radio map is built on, unless
//      the log's own readings say it is off: in a batch run the log is
//      self-fitted too (the survey's model as its prior) and that fit replaces
//      the survey's when it explains the log's readings much better
//      (selfCalibrate.overSurveyRatio), e.g. a survey taken at another power;
//   3. else the log itself (engine/calibrate/self-fit.ts), per technology,
//      with each AP's gain: batch only, as the live engine has no log up front;
//      its residual on the log becomes the ranging's sigmaDb
//      (selfCalibrate.sigmaFromFit), so WLS and knn weigh their ranges against
//      the centroid prior by how well the fit explains the log (wls.ts, knn.ts);
//   4. else the configured models (engine/calibrate/ranging.ts).
// The survey's radio maps take their exponent prior from the beacon-calibrated
// ranging, or are the maps built beforehand.
import { calibratedRanging, fitApBeacons, meanBleBeaconTxDbm, type BandFit } from '../calibrate/ap-beacons.ts';
import type { RangingModel } from '../calibrate/ranging.ts';
import { selfFit, techsIn, type SelfFit } from '../calibrate/self-fit.ts';
import { surveyRadioMaps, techRadioMaps, type SurveyRadioMaps } from '../calibrate/survey-map.ts';
import type { EngineConfig } from '../config.ts';
import type { DeviceInfo, ObservationBatch } from '../contract/observations.ts';
import { bandOf, TECHS, type Band, type Site, type Tech } from '../contract/site.ts';
import type { SurveyBatch } from '../contract/survey.ts';
import { heightDiff2, type SiteLayout } from '../localize/layout.ts';
import { localizeModel } from '../localize/model.ts';
import { mapDeviceOffset, type MapDeviceOffset } from '../calibrate/map-drift.ts';
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
  /**
   * The survey's fit against self-calibration on the log's own readings
   * (selfCalibrate.overSurveyRatio): both models' residuals there, dB, and
   * whether the survey's was kept (absent: no survey, or the log could not be self-fitted).
   */
  surveyCheck?: { survey: { refRssiDbmAt1m: number; pathLossExponent: number }; surveyLogResidualDb: number; selfLogResidualDb: number; kept: boolean };
  /** The log's device offset from the survey map, the prior each map fix's offset gets (absent: any offset). */
  mapDeviceOffset?: MapDeviceOffset;
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
  // The tech's model fitted from the log's own readings, starting from and pulled towards `prior`; null without a log or with self-calibration off.
  const fitLog = (tech: Tech, prior: RangingModel) => (inputs.log && cfg.selfCalibrate.fromLog
    ? selfFit(layout, inputs.log, tech, prior, dh2, {
      self: cfg.selfCalibrate, calibrate: cfg.calibrate, epochMs: cfg.ingest.epochMs,
      centroidWeightExponent: cfg.localize.centroid.weightExponent, priorExponent: prior.pathLossExponent,
    })
    : null);
  for (const tech of present) {
    const band = bandOf(tech);
    const beacons = fits[band], surveyed = survey.fits[band];
    if (beacons) {
      sources[tech] = described('ap-beacons', ranging[tech], beacons.residualSigmaDb, beacons.links);
      continue;
    }
    if (surveyed) {
      // The survey's intercept is the RSSI its reference device read at 1 m; a ble-app phone hears the APs' beacons, at their power (as techRadioMaps).
      const fromSurvey = { ...ranging[tech], refRssiDbmAt1m: -surveyed.lossAt1mDb + (tech === 'ble-app' ? meanBleBeaconTxDbm(site) : 0), pathLossExponent: surveyed.pathLossExponent };
      const self = cfg.selfCalibrate.overSurveyRatio > 0 ? fitLog(tech, fromSurvey) : null;
      // Both residuals on the log, also when the log's fit was refused for sitting no closer to it than the survey's.
      const check = self?.residualSigmaDb !== undefined && self.priorResidualSigmaDb !== undefined ? { selfLogResidualDb: self.residualSigmaDb, surveyLogResidualDb: self.priorResidualSigmaDb } : undefined;
      if (self && !('refused' in self) && check && check.selfLogResidualDb < cfg.selfCalibrate.overSurveyRatio * check.surveyLogResidualDb) {
        ranging[tech] = fromSelf(ranging[tech], self, cfg.selfCalibrate.sigmaFromFit);
        apGainDb[TECHS.indexOf(tech)] = self.apGainDb;
        sources[tech] = { ...described('self', ranging[tech], self.residualSigmaDb, self.links), surveyCheck: { ...check, kept: false, survey: modelOf(fromSurvey) } };
        continue;
      }
      ranging[tech] = fromSurvey;
      sources[tech] = { ...described('survey', ranging[tech], surveyed.residualSigmaDb, surveyed.links), ...(check ? { surveyCheck: { ...check, kept: true, survey: modelOf(fromSurvey) } } : {}) };
      continue;
    }
    const self = fitLog(tech, ranging[tech]);
    if (self && !('refused' in self)) {
      ranging[tech] = fromSelf(ranging[tech], self, cfg.selfCalibrate.sigmaFromFit);
      apGainDb[TECHS.indexOf(tech)] = self.apGainDb;
      sources[tech] = { ...described('self', ranging[tech], self.residualSigmaDb, self.links), ...(self.apGainDb ? { apGainSpreadDb: rms(self.apGainDb) } : {}) };
      continue;
    }
    sources[tech] = { ...described('defaults', ranging[tech]), ...(self ? { refused: self.refused } : {}) };
  }
  const maps = techRadioMaps(site, survey);
  // The log's device offset from each map, as the log tells it (map-drift.ts).
  if (inputs.log && cfg.localize.map.offsetFromLog) {
    for (const tech of present) {
      const t = TECHS.indexOf(tech), tm = maps[t];
      if (!tm) continue;
      const prior = mapDeviceOffset(localizeModel(layout, ranging[tech], cfg.localize, { map: tm }), tm, inputs.log, tech, { self: cfg.selfCalibrate, epochMs: cfg.ingest.epochMs });
      if (!prior) continue;
      maps[t] = { ...tm, deviceOffset: { meanDb: prior.meanDb, sdDb: prior.sdDb } };
      sources[tech] = { ...sources[tech]!, mapDeviceOffset: prior };
    }
  }
  return { fits, survey, sources, data: { site, devices, cfg, ranging, apGainDb, maps } };
}

/** The self-fitted model; its residual on the log as its spread when sigmaFromFit. */
const fromSelf = (m: RangingModel, self: SelfFit, sigmaFromFit: boolean): RangingModel =>
  ({ ...m, refRssiDbmAt1m: self.refRssiDbmAt1m, pathLossExponent: self.pathLossExponent, ...(sigmaFromFit ? { sigmaDb: self.residualSigmaDb } : {}) });

const modelOf = (m: RangingModel): { refRssiDbmAt1m: number; pathLossExponent: number } => ({ refRssiDbmAt1m: m.refRssiDbmAt1m, pathLossExponent: m.pathLossExponent });

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
