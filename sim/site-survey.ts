// The site survey (calibration walk): an operator with a reference device
// stands at the points of a grid over each floor's zones, dwellS at each,
// while the device emits every intervalS. Its emissions go through the same
// BandChannel chain as every occupant's (walls, shadowing, fading, packet
// loss, sensitivity), with the reference device's own unknown gain (an
// N(0, deviceOffsetSigmaDb) offset, held in the hand: no body loss; per BLE
// advertising channel gains), and with radio.effects.temporal the slow
// variation of each link over the dwell. One survey per band, from its own stream.
import { SURVEY_BANDS, SurveyColumns, type SurveyBatch } from '../engine/contract/survey.ts';
import type { Band } from '../engine/contract/site.ts';
import type { Scenario, SurveySpec } from '../scenarios/types.ts';
import { ADVERTISING_CHANNELS } from './emitter.ts';
import { slowComponentDb } from './radio/temporal.ts';
import type { BandChannel } from './radio/channel.ts';
import { Rng } from './rng.ts';
import { zoneLookup } from './zone-lookup.ts';

/** The reference device's transmit power per band, dBm: a phone's Wi-Fi, a badge's BLE. */
const REFERENCE_TX_DBM: Record<Band, number> = { wifi: 15, ble: 0 };

/** Survey points: a grid of spacingM (half a step in from the origin) kept where it falls inside a zone of its floor. */
export function surveyPoints(scenario: Scenario, spec: SurveySpec): { floor: number; x: number; y: number }[] {
  const points: { floor: number; x: number; y: number }[] = [];
  const zoneAt = zoneLookup(scenario.site.zones);
  for (const f of scenario.site.floors) {
    for (let y = spec.spacingM / 2; y < f.heightM; y += spec.spacingM) {
      for (let x = spec.spacingM / 2; x < f.widthM; x += spec.spacingM) {
        if (zoneAt(f.id, x, y) >= 0) points.push({ floor: f.id, x, y });
      }
    }
  }
  return points;
}

/** Emissions of the reference device at each point (each AP hears at most this many readings there). */
export function surveyEmissions(spec: SurveySpec): number {
  return Math.max(1, Math.floor(spec.dwellS / spec.intervalS));
}

/**
 * The survey at `points` (default: the spec's grid), `emissions` readings per
 * point (default: the spec's dwell over its interval). `spreadDb`: per band, an
 * extra spread of each reading's level, dB, its own draw per reading (a twin's
 * survey whose readings at a point span more than one visit: bench/twin/twin.ts).
 */
export function simulateSurvey(
  scenario: Scenario,
  spec: SurveySpec,
  channels: Record<Band, BandChannel>,
  points = surveyPoints(scenario, spec),
  emissions = surveyEmissions(spec),
  spreadDb: Partial<Record<Band, number>> = {},
): SurveyBatch {
  const { radio, site } = scenario;
  const out = new SurveyColumns();
  SURVEY_BANDS.forEach((band, b) => {
    if (!site.aps.some((ap) => ap.radios[band])) return;
    const rng = new Rng(scenario.seed, `survey:${band}`);
    const params = radio[band];
    const gainDb = radio.effects.deviceOffsets ? rng.normal(0, params.deviceOffsetSigmaDb) : 0;
    const channelGainDb = Float64Array.from({ length: band === 'ble' && radio.effects.advertisingChannels ? ADVERTISING_CHANNELS : 0 }, () => rng.normal(0, params.channelOffsetSigmaDb));
    const channel = channels[band];
    // Its own stream, so a spread leaves every other draw of the survey as it was.
    const spread = spreadDb[band] ?? 0, spreadRng = spread > 0 ? new Rng(scenario.seed, `survey-spread:${band}`) : null;
    // The slow variation the operator's dwell samples, as every device's (sim/radio/temporal.ts), from its own stream too.
    const temporal = radio.effects.temporal && params.slowSigmaDb > 0 ? { params: { slowSigmaDb: params.slowSigmaDb, correlationS: params.slowCorrelationS }, rng: new Rng(scenario.seed, `survey-temporal:${band}`) } : null;
    for (const p of points) {
      const aps = channel.apsHearing(p.floor);
      const meanDbm = new Float64Array(aps.length);
      const lineOfSight = new Uint8Array(aps.length);
      aps.forEach((ap, k) => {
        meanDbm[k] = channel.meanRxDbm(ap, REFERENCE_TX_DBM[band], p.x, p.y, p.floor) + gainDb;
        lineOfSight[k] = channel.lineOfSight ? 1 : 0;
      });
      // Per radio (BSSIDs of one radio share its slow variation: BandRadio.sameRadio), and the emission it was last drawn at.
      const slowDb = new Float64Array(site.aps.length), slowAt = new Int32Array(site.aps.length).fill(-1);
      for (let e = 0; e < emissions; e++) {
        for (let k = 0; k < aps.length; k++) {
          let mean = channelGainDb.length > 0 ? meanDbm[k] + channelGainDb[rng.int(channelGainDb.length)] : meanDbm[k];
          if (spreadRng) mean += spreadRng.normal(0, spread);
          if (temporal) {
            const r = channel.radioOf[aps[k]];
            if (slowAt[r] !== e) slowDb[r] = slowComponentDb(slowDb[r], e === 0 ? NaN : (e - 1) * spec.intervalS, e * spec.intervalS, temporal.params, temporal.rng);
            slowAt[r] = e;
            mean += slowDb[r];
          }
          const rssiDbm = channel.receive(mean, lineOfSight[k] === 1, rng, channel.lossShareAt(aps[k]));
          if (!Number.isNaN(rssiDbm)) out.push(p.floor, p.x, p.y, aps[k], b, rssiDbm);
        }
      }
    }
  });
  return out.build();
}
