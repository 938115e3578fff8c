// The log's device offset from the survey map, read from the log itself
// (batch only: the live engine has no log up front). A survey's radio map
// holds the surveying device's levels; the log's devices may read them
// several dB apart (another phone or transmit power, a survey from another
// day: UJI library, earliest rows as the survey → later rows, −13 dB). The
// map localizer takes any offset alike, which costs it a degree of freedom;
// knowing the offset sharpens every fix, and a wrong prior on it ruins them.
// So: a sample of the log's epochs (self-fit's sampler) is located on the
// map with any offset, each fix's best offset is taken, and the prior is
// their median and robust spread (1.4826·MAD), never below the map's own
// error (localize.map.errorSigmaDb): a log of many device models or powers
// spreads wide and gets a loose prior, one device a tight one. The spread
// keeps each epoch's own noise (a looser prior than the devices' spread
// alone): taking out what each epoch's readings tell its offset to (1/√Σw)
// located no better on npm run realdata (the UJI splits, calib2021, Wi-Fi
// months 3 and 12 summed 13.13 against 13.12 m) and, tighter, claimed more.
// The same epochs, located again by the configured localizer with that
// prior, tell how far the log misfits the map against the survey's own
// left-out points: R of engine/localize/error-model.ts, the median of the
// fixes' misfit ratios, which widens every radius when the world has moved
// since the survey (or narrows them when the log fits better); and per
// class of APs used, where the survey's moved points tell how much further
// (map-radius.ts movedFactor).
import { median } from 'simple-statistics';
import type { ObservationBatch } from '../contract/observations.ts';
import type { Tech } from '../contract/site.ts';
import { map, mapOffsetAt, type MapSettings } from '../localize/map.ts';
import type { Localizer, LocalizeModel, Readings, TechRadioMap } from '../localize/types.ts';
import type { LocalizeTuning } from '../localize/index.ts';
import type { WlsTuning } from '../localize/wls.ts';
import { sampleEpochs, type SelfFitInputs } from './self-fit.ts';
import { APS_FROM, apsClass } from './map-radius.ts';

export interface MapDeviceOffset {
  /** The prior's mean and spread, dB. */
  meanDb: number;
  sdDb: number;
  /** Epochs located for it. */
  epochs: number;
  /** R: the median misfit ratio of the configured localizer's fixes with the prior (absent: the survey's calibration reads no misfit, or too few fixes told one). */
  misfitRatio?: number;
  /** R of its fixes per class of APs used (map-radius.ts APS_FROM; a class of too few fixes: its nearest told class's; null: none told). */
  misfitRatioByAps?: (number | null)[];
  /** The techs of the same band R was read on, when this tech's own fixes told none (engine/pipeline/calibration.ts). */
  misfitRatioFrom?: Tech[];
  /** Where R stands among the survey's moved points (map-radius.ts movedFactor): their bias sd, dB, and the factor on every radius (absent: R at or below the unmoved points'). */
  movedSigmaDb?: number;
  movedFactor?: number[];
}

/** Fewer located epochs than this tell the offsets' spread too coarsely: no prior; nor R. */
const MIN_EPOCHS = 30;
/** A normal's standard deviation is 1.4826 times its median absolute deviation. */
const MAD_TO_SD = 1.4826;

/**
 * The prior on the tech's device offset from its map, from a sample of the
 * log's epochs, and R as `localizer` reads them with it; undefined when too few locate.
 */
export function mapDeviceOffset(
  model: LocalizeModel<LocalizeTuning>, tm: TechRadioMap, log: ObservationBatch, tech: Tech,
  cfg: Pick<SelfFitInputs, 'self' | 'epochMs' | 'holdS'>, localizer: Localizer<LocalizeTuning>,
): MapDeviceOffset | undefined {
  const epochs = [...epochReadings(sampleEpochs(model.layout, log, tech, cfg))];
  const free: LocalizeModel<WlsTuning & { map: MapSettings }> = { ...model, map: { ...tm, deviceOffset: undefined } };
  const offsets: number[] = [];
  for (const readings of epochs) {
    const fix = map.locate(free, readings);
    if (fix === null) continue;
    const offsetDb = mapOffsetAt(free, readings, fix.x, fix.y);
    if (offsetDb !== null) offsets.push(offsetDb);
  }
  if (offsets.length < MIN_EPOCHS) return undefined;
  const meanDb = median(offsets);
  const sdDb = Math.max(MAD_TO_SD * median(offsets.map((o) => Math.abs(o - meanDb))), model.localize.map.errorSigmaDb);
  const prior = { meanDb, sdDb, epochs: offsets.length };
  const withPrior = { ...model, map: { ...tm, deviceOffset: { meanDb, sdDb } } };
  const fixes = epochs.flatMap((r) => {
    const fix = localizer.locate(withPrior, r);
    return fix?.misfitRatio === undefined ? [] : [{ ratio: fix.misfitRatio, aps: apsClass(fix.apsUsed) }];
  });
  if (fixes.length < MIN_EPOCHS) return prior;
  const R = median(fixes.map((f) => f.ratio));
  const told = APS_FROM.map((_, c) => {
    const mine = fixes.filter((f) => f.aps === c);
    return mine.length < MIN_EPOCHS ? null : median(mine.map((f) => f.ratio));
  });
  return { ...prior, misfitRatio: R, misfitRatioByAps: told.map((r, c) => r ?? nearestTold(told, c)) };
}

/** The sampled epochs' readings, one per epoch. */
function* epochReadings(ep: ReturnType<typeof sampleEpochs>): Generator<Readings> {
  for (let e = 0; e + 1 < ep.start.length; e++) {
    const from = ep.start[e], to = ep.start[e + 1];
    yield {
      apIdx: Uint16Array.from(ep.ap.slice(from, to)), rssiDbm: Float32Array.from(ep.rssiDbm.slice(from, to)),
      count: Float64Array.from(ep.count.slice(from, to)), start: 0, end: to - from,
    };
  }
}

/**
 * A class the sample holds too few fixes of reads its nearest told class's R
 * (the lower one of two as near; null when none is told): R moves little from
 * one class to the next, and the log in use may hold more of a class than
 * its sample (the lecture hall's badges: a tenth of the sample's fixes hold
 * 7-9 APs, a third of the day's).
 */
function nearestTold(told: readonly (number | null)[], c: number): number | null {
  for (let d = 1; d < told.length; d++) {
    const r = told[c - d] ?? told[c + d];
    if (r !== undefined && r !== null) return r;
  }
  return null;
}
