// A calibration as the `radio` section of a scenario file: each calibrated
// band's fitted values over a base radio section (a library scenario's, so
// any effect or parameter the fit does not cover keeps its documented default),
// and the fitted loss per wall material for the site's walls.
import type { Band } from '../../engine/contract/site.ts';
import type { BandRadio, Radio, RadioEffects } from '../../scenarios/types.ts';
import { validateRadio } from '../../scenarios/validate.ts';
import { LIMITS } from '../../scenarios/limits.ts';
import type { Limit } from '../../scenarios/limits.ts';
import { fadingOf, type BandCalibration, type Calibration } from './calibrate.ts';

const clamp = (v: number, l: Limit): number => Math.min(Math.max(v, l.min), l.max);

/**
 * Whether the band's carriers face a way of their own at each stay: the stays
 * show a body (bench/twin/stay-facing.ts) that the walking direction does not
 * (no positive depth from headings) and a slow component holds it (a facing
 * held over a stay and changed at the next is one, in the fit's time series).
 */
export function facesAtStays(c: BandCalibration): boolean {
  return (c.stayFacingDepthDb?.value ?? 0) > 0 && !((c.orientationDepthDb?.value ?? 0) > 0) && c.slowSigmaDb !== null;
}

/**
 * The slow component's sd once a facing at each stay takes its share ((depth
 * / 2)² / 2, a cosine's variance over facings), dB. Not fitted: the base's
 * where the base turns it on, none where it does not (the fitted fading then
 * holds all the readings' spread; another band's fit turning the effect on
 * says nothing of this band's).
 */
function slowBesideFacingDb(c: BandCalibration, base: BandRadio, baseHasSlow: boolean): number {
  const slow = c.slowSigmaDb?.value ?? (baseHasSlow ? base.slowSigmaDb : 0);
  return facesAtStays(c) ? Math.sqrt(Math.max(slow ** 2 - c.stayFacingDepthDb!.value ** 2 / 8, 0)) : slow;
}

/**
 * The hand's depth: the stays' where the carriers face at random there, else
 * the headings' fit, else the base's where the base turns bodies on (none
 * where it does not: another band's fit turning the effect on says nothing of
 * this band's carriers).
 */
function handDepthDb(c: BandCalibration, base: BandRadio, baseHasBodies: boolean): number {
  if (facesAtStays(c)) return clamp(c.stayFacingDepthDb!.value, LIMITS.lossDb);
  if (c.orientationDepthDb) return clamp(c.orientationDepthDb.value, LIMITS.lossDb);
  return baseHasBodies ? base.bodyOrientationDepthDb.hand : 0;
}

function bandSection(c: BandCalibration, base: BandRadio, baseEffects: RadioEffects): BandRadio {
  const fading = fadingOf(c.fadingSigmaDb.value);
  return {
    ...base,
    pathLossExponent: clamp(c.pathLossExponent.value, LIMITS.pathLossExponent),
    // Measured means in dB include the fading's (negative) mean; the channel adds it back.
    refLossDbAt1m: clamp(-c.rssiDbAt1m.value + fading.meanDb, LIMITS.refLossDbAt1m),
    shadowingSigmaDb: clamp(c.shadowingSigmaDb.value, LIMITS.sigmaDb),
    shadowingDecorrelationM: clamp(c.shadowingDecorrelationM?.value ?? base.shadowingDecorrelationM, LIMITS.shadowingDecorrelationM),
    ricianKDb: clamp(fading.ricianKDb, LIMITS.ricianKDb),
    sensitivityDbm: clamp(Math.floor(c.sensitivityDbm.value), LIMITS.sensitivityDbm),
    sensitivityRampDb: clamp(c.sensitivityRampDb.value, LIMITS.sensitivityRampDb),
    packetLoss: c.hearingRate ? Math.min(Math.max(1 - c.hearingRate.value, 0), 1) : base.packetLoss,
    packetLossCorrelation: c.hearingCorrelation ? Math.min(Math.max(c.hearingCorrelation.value, 0), 1) : base.packetLossCorrelation,
    floorLossDb: c.floorLossDb ? clamp(c.floorLossDb.value, LIMITS.lossDb) : base.floorLossDb,
    // One device's offset is part of the fitted line; several give the spread between them.
    deviceOffsetSigmaDb: clamp(c.deviceOffsetSigmaDb?.value ?? 0, LIMITS.sigmaDb),
    // Per-channel gains are inside the fitted fast fading (a log has no channel numbers).
    channelOffsetSigmaDb: 0,
    slowSigmaDb: clamp(slowBesideFacingDb(c, base, baseEffects.temporal), LIMITS.sigmaDb),
    slowCorrelationS: clamp(c.slowCorrelationS?.value ?? base.slowCorrelationS, LIMITS.correlationS),
    ...(c.slowDecorrelationM ? { slowDecorrelationM: clamp(c.slowDecorrelationM.value, LIMITS.slowDecorrelationM) } : {}),
    // The twin carries every device in the hand: the fitted depth is the hand's.
    bodyOrientationDepthDb: { ...base.bodyOrientationDepthDb, hand: handDepthDb(c, base, baseEffects.bodyOrientation) },
    apGainDb: Object.fromEntries(Object.entries(c.apGainDb).map(([id, e]) => [id, clamp(e.value, LIMITS.apGainDb)])),
    ...(Object.keys(c.apHearingRate).length > 0 ? { apHearingRate: Object.fromEntries(Object.entries(c.apHearingRate).map(([id, e]) => [id, e.value])) } : {}),
    ...(c.sameRadio.length > 0 ? { sameRadio: c.sameRadio } : {}),
  };
}

/** The radio section: calibrated bands fitted, the others as in `base`; the temporal effect on when a slow component was fitted, body orientation when a positive depth was (from headings, or at stays). */
export function radioSection(cal: Calibration, base: Radio): Radio {
  const bands = Object.fromEntries((['wifi', 'ble'] as Band[]).map((band) => {
    const c = cal.bands.find((x) => x.band === band);
    return [band, c ? bandSection(c, base[band], base.effects) : base[band]];
  })) as Record<Band, BandRadio>;
  const temporal = cal.bands.some((c) => c.slowSigmaDb !== null) || base.effects.temporal;
  const bodyOrientation = cal.bands.some((c) => (c.orientationDepthDb?.value ?? 0) > 0 || facesAtStays(c)) || base.effects.bodyOrientation;
  const raw = { ...bands, wifi5: base.wifi5, effects: { ...base.effects, temporal, bodyOrientation } };
  if (raw.wifi5 === null) delete (raw as Partial<typeof raw>).wifi5;
  return validateRadio(JSON.parse(JSON.stringify(raw)), 'calibrated radio');
}

/** Fitted loss of one crossing per wall material, dB (materials the links never crossed keep the site's). */
export function materialLosses(cal: Calibration): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of cal.bands) for (const [m, e] of Object.entries(c.wallLossDb)) out[m] = clamp(e.value, LIMITS.lossDb);
  return out;
}


/** The radio section as a scenario file writes it (no wifi5 key without a 5 GHz model). */
export function radioJson(radio: Radio): string {
  const { wifi5, ...rest } = radio;
  return JSON.stringify(wifi5 ? radio : rest, null, 2) + '\n';
}
