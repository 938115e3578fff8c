// The run's calibration, shared by the batch engine (run.ts) and the live
// engine: the configured ranging with what AP beacons fitted applied, and the
// survey's radio maps (their own fit takes its exponent prior from the
// calibrated ranging), or the maps built beforehand.
import { calibratedRanging, fitApBeacons, type BandFit } from '../calibrate/ap-beacons.ts';
import { surveyRadioMaps, techRadioMaps, type SurveyRadioMaps } from '../calibrate/survey-map.ts';
import type { EngineConfig } from '../config.ts';
import type { DeviceInfo, ObservationBatch } from '../contract/observations.ts';
import type { Band, Site } from '../contract/site.ts';
import type { SurveyBatch } from '../contract/survey.ts';
import type { SiteLayout } from '../localize/layout.ts';
import type { ContextData } from './context.ts';

export interface CalibrationInputs {
  apBeacons?: ObservationBatch;
  survey?: SurveyBatch;
  radioMaps?: SurveyRadioMaps;
}

export function calibrate(
  site: Site, devices: readonly DeviceInfo[], cfg: EngineConfig, layout: SiteLayout, inputs: CalibrationInputs,
): { fits: Partial<Record<Band, BandFit>>; survey: SurveyRadioMaps; data: ContextData } {
  const fits = inputs.apBeacons && cfg.calibrate.fromApBeacons ? fitApBeacons(site, inputs.apBeacons, cfg.calibrate, cfg.ranging) : {};
  const ranging = calibratedRanging(site, fits, cfg.ranging, cfg.calibrate);
  const survey = inputs.radioMaps ?? (inputs.survey && cfg.survey.fromSurvey ? surveyRadioMaps(site, layout, inputs.survey, { ...cfg, ranging }) : { maps: {}, fits: {} });
  return { fits, survey, data: { site, devices, cfg, ranging, maps: techRadioMaps(site, survey) } };
}
