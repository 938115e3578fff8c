// The one-paragraph calibration summary `ctsim locate` and `ctsim run` print
// (and write into calibration.json / metrics.json): per technology, what its
// ranging was fitted from, the fitted values and the fit's residual.
import type { WalkingBody } from '../engine/calibrate/walking-body.ts';
import type { CalibrationSource, TechCalibration } from '../engine/pipeline/calibration.ts';
import type { Tech } from '../engine/contract/site.ts';
import { APS_FROM } from '../engine/calibrate/map-radius.ts';

const FROM: Record<CalibrationSource, (c: TechCalibration) => string> = {
  'ap-beacons': (c) => `fitted from AP-to-AP beacons (${count(c.samples)} AP pairs; RSSI at 1 m from the nominal power and free space's loss, the exponent fitted)`,
  survey: (c) => `fitted from the site survey (${count(c.samples)} point-AP means)`,
  self: (c) => `self-calibrated from the log (${count(c.samples)} epoch-AP readings, no positions)`,
  defaults: () => 'the configured defaults',
};

const signed = (db: number): string => `${db >= 0 ? '+' : ''}${db.toFixed(1)}`;

/** The survey's fit against the log's own, on the log's readings. */
function surveyCheck(k: NonNullable<TechCalibration['surveyCheck']>): string {
  const survey = `the survey's fit (${k.survey.refRssiDbmAt1m.toFixed(1)} dBm, exponent ${k.survey.pathLossExponent.toFixed(2)})`;
  const residuals = `${k.surveyLogResidualDb.toFixed(1)} dB from the log's readings, self-fit ${k.selfLogResidualDb.toFixed(1)} dB`;
  return k.kept ? ` (${residuals}: kept)` : ` (${survey} set aside: ${residuals})`;
}

const count = (n = 0): string => n.toLocaleString('en-US');

/** Where a run's one-radio groups came from: the log's readings, the site map's radioId, or both. */
function radiosFrom(groups: number, declared: number): string {
  if (declared === 0) return `read alike with another in every report, BSSIDs of one radio (${groups} radios)`;
  const found = groups - declared;
  return `BSSIDs of another's radio (${groups} radios: ${declared} named by the site map's radioId${found > 0 ? `, ${found} read alike in every report` : ''})`;
}

/** The classes of APs used the moved factor is read per (4/5-6/7-9/10+). */
const APS_CLASSES = APS_FROM.map((n, k) => (k + 1 === APS_FROM.length ? `${n}+` : APS_FROM[k + 1] - 1 === n ? `${n}` : `${n}-${APS_FROM[k + 1] - 1}`)).join('/');

/** What the log's tracks said of the carriers' bodies. */
function walkingBody(b: WalkingBody): string {
  const read = `${Math.abs(b.depthDb).toFixed(1)} dB, the devices facing ${b.depthDb < 0 ? 'back from where' : 'the way'} they walked (${count(b.epochs)} walking epochs, z ${b.z.toFixed(1)})`;
  return b.used ? `; the carriers' bodies read ${read}: taken out of their readings, located again` : `; no carrier's body read by walking direction (best ${read})`;
}

export function calibrationSummary(sources: Partial<Record<Tech, TechCalibration>>): string {
  const parts = Object.entries(sources).map(([tech, c]) => {
    const held = c.exponentHeldFrom === undefined ? '' : ` (held at indoor physics' bound: the log's own fit ${c.exponentHeldFrom.toFixed(2)})`;
    const values = `RSSI at 1 m ${c.refRssiDbmAt1m.toFixed(1)} dBm, exponent ${c.pathLossExponent.toFixed(2)}${held}`;
    const gains = c.apGainSpreadDb === undefined ? '' : `, AP gains ±${c.apGainSpreadDb.toFixed(1)} dB`;
    const residual = c.residualDb === undefined ? '' : `, residual ${c.residualDb.toFixed(1)} dB`;
    const refused = c.refused ? ` (self-calibration not used: ${c.refused})` : '';
    const check = c.surveyCheck === undefined ? '' : surveyCheck(c.surveyCheck);
    const o = c.mapDeviceOffset;
    const from = o?.misfitRatioFrom === undefined ? '' : `, read on ${o.misfitRatioFrom.join(' and ')}`;
    const moved = o?.movedFactor === undefined ? '' : `, then × ${o.movedFactor.map((f) => f.toFixed(2)).join('/')} by APs used (${APS_CLASSES}) as the survey's points moved by ${o.movedSigmaDb!.toFixed(1)} dB`;
    const radii = `radii × ${Math.sqrt(Math.max(o?.misfitRatio ?? 1, 1)).toFixed(2)} at least${moved}`;
    const misfit = o?.misfitRatio === undefined ? '' : `, misfit ${o.misfitRatio.toFixed(2)}× the survey's${from} (${radii})`;
    const offset = o === undefined ? '' : `; survey map offset from the log ${signed(o.meanDb)} ± ${o.sdDb.toFixed(1)} dB (${count(o.epochs)} epochs${misfit})`;
    const stays = c.stayReadingSigmaDb === undefined ? '' : `; stays compare epochs in ${c.stayReadingSigmaDb.toFixed(1)} dB (the log's own reading spread)`;
    const slow = c.slowSigmaDb === undefined ? '' : `; the map weighs epochs' means with ${c.slowSigmaDb.toFixed(1)} dB the log's epochs do not average`;
    const walls = c.mapWallScale === undefined ? '' : `; the survey map takes the site map's wall losses × ${c.mapWallScale.toFixed(1)} (fitted to the survey)`;
    const gone = c.surveyOffAir === undefined ? '' : `; ${c.surveyOffAir.left} of the survey's ${c.surveyOffAir.of} APs never heard in the log, left out (off the air since the survey)`;
    const noMap = c.noMap === undefined ? '' : `; located by wls: ${c.noMap}`;
    const radios = c.sameRadio === undefined ? '' : `; ${c.sameRadio.left} APs ${radiosFrom(c.sameRadio.groups, c.sameRadio.declared ?? 0)}: each radio read once, as ${c.sameRadio.declared ? 'the first the site map lists, or else ' : ''}its best-heard AP`;
    const body = c.walkingBody === undefined ? '' : walkingBody(c.walkingBody);
    return `${tech} ${FROM[c.source](c)}: ${values}${gains}${residual}${refused}${check}${offset}${stays}${slow}${walls}${gone}${noMap}${radios}${body}`;
  });
  return parts.length ? `Calibration: ${parts.join('; ')}.` : 'Calibration: no device reports to calibrate for.';
}
