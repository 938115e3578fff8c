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
import type { ObservationBatch } from '../contract/observations.ts';
import type { Tech } from '../contract/site.ts';
import { map, mapOffsetAt, type MapSettings } from '../localize/map.ts';
import type { LocalizeModel, Readings, TechRadioMap } from '../localize/types.ts';
import type { WlsTuning } from '../localize/wls.ts';
import { sampleEpochs, type SelfFitSettings } from './self-fit.ts';

export interface MapDeviceOffset {
  /** The prior's mean and spread, dB. */
  meanDb: number;
  sdDb: number;
  /** Epochs located for it. */
  epochs: number;
}

/** Fewer located epochs than this tell the offsets' spread too coarsely: no prior. */
const MIN_EPOCHS = 30;
/** A normal's standard deviation is 1.4826 times its median absolute deviation. */
const MAD_TO_SD = 1.4826;

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The prior on the tech's device offset from its map, from a sample of the log's epochs; undefined when too few locate. */
export function mapDeviceOffset(
  model: LocalizeModel<WlsTuning & { map: MapSettings }>, tm: TechRadioMap, log: ObservationBatch, tech: Tech,
  cfg: { self: SelfFitSettings; epochMs: number },
): MapDeviceOffset | undefined {
  const ep = sampleEpochs(model.layout, log, tech, cfg);
  const free: LocalizeModel<WlsTuning & { map: MapSettings }> = { ...model, map: { ...tm, deviceOffset: undefined } };
  const offsets: number[] = [];
  for (let e = 0; e + 1 < ep.start.length; e++) {
    const from = ep.start[e], to = ep.start[e + 1];
    const readings: Readings = {
      apIdx: Uint16Array.from(ep.ap.slice(from, to)), rssiDbm: Float32Array.from(ep.rssiDbm.slice(from, to)),
      count: Float64Array.from(ep.count.slice(from, to)), start: 0, end: to - from,
    };
    const fix = map.locate(free, readings);
    if (fix === null) continue;
    const offsetDb = mapOffsetAt(free, readings, fix.x, fix.y);
    if (offsetDb !== null) offsets.push(offsetDb);
  }
  if (offsets.length < MIN_EPOCHS) return undefined;
  const meanDb = median(offsets);
  const sdDb = Math.max(MAD_TO_SD * median(offsets.map((o) => Math.abs(o - meanDb))), model.localize.map.errorSigmaDb);
  return { meanDb, sdDb, epochs: offsets.length };
}
