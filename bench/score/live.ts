// Scores what a live user got (bench/harness/live-recorder.ts) with the batch
// scorers, on the same truth: causal localization error, contact and journey
// F1 per technology, and hot-zone alerts with their delay from the true
// crossing as the alert events arrived.
import { resolveConfig, type DeepPartial, type EngineConfig } from '../../engine/config.ts';
import { TECHS, type Tech } from '../../engine/contract/site.ts';
import type { HotZoneAlert } from '../../engine/outputs.ts';
import type { Scenario } from '../../scenarios/types.ts';
import type { SimResult } from '../../sim/types.ts';
import type { LiveOutputs } from '../harness/live-recorder.ts';
import { alertOverlapMs, scoreHotZones, trueHotZoneAlerts } from './hotzones.ts';
import { scoreJourneys } from './journeys.ts';
import { localizationSamples, scoreContacts, scoreLocalization } from './per-tech.ts';
import type { ContactScore, HotZoneScore, JourneyScore, LocalizationScore } from '../../reports/schemas/metrics.ts';
import { trueJourneys } from './truth-journeys.ts';

export interface LiveScore {
  perTech: Partial<Record<Tech, { localization: LocalizationScore; contacts: ContactScore; journeys: JourneyScore }>>;
  hotZones: HotZoneScore & {
    /** Slowest true crossing to the first live alert overlapping it, seconds (NaN with none matched). */
    maxDetectionDelayS: number;
  };
  /** Stream time from a fix's epoch end to its arrival, seconds. */
  fixLagS: { p50: number; p99: number; max: number };
}

export function scoreLive(out: LiveOutputs, scenario: Scenario, sim: SimResult, config: DeepPartial<EngineConfig>): LiveScore {
  const cfg = resolveConfig(config);
  const obs = sim.observations;
  const journeys = trueJourneys(sim.truth.positions, sim.truth.people.length, scenario.truth.sampleIntervalS, cfg.journeys);
  const durationMs = scenario.durationS * 1000;
  const perTech: LiveScore['perTech'] = {};
  for (const tech of TECHS) {
    if (!obs.devices.some((d) => d.tech === tech)) continue;
    perTech[tech] = {
      localization: scoreLocalization(localizationSamples(out.estimates, obs, sim.truth, tech, cfg.ingest.epochMs).errorM),
      contacts: scoreContacts(out.contacts, obs, sim.truth, tech),
      journeys: scoreJourneys(out.journeys, obs.devices, sim.truth.deviceOwner, journeys, scenario.site, tech),
    };
  }
  const truth = trueHotZoneAlerts(journeys, scenario.site, durationMs, cfg.hotZones);
  const lag = Float64Array.from(out.fixLagS).sort();
  const q = (p: number): number => (lag.length ? lag[Math.min(lag.length - 1, Math.floor(p * lag.length))] : NaN);
  return {
    perTech,
    hotZones: { ...scoreHotZones(out.alerts, truth, durationMs), maxDetectionDelayS: maxDelayS(out.alerts, truth, durationMs) },
    fixLagS: { p50: q(0.5), p99: q(0.99), max: lag.length ? lag[lag.length - 1] : NaN },
  };
}

function maxDelayS(live: readonly HotZoneAlert[], truth: readonly HotZoneAlert[], durationMs: number): number {
  let max = NaN;
  for (const t of truth) {
    const first = live.filter((e) => alertOverlapMs(e, t, durationMs) > 0).reduce((m, e) => Math.min(m, e.raisedTMs), Infinity);
    if (Number.isFinite(first)) max = Math.max(Number.isNaN(max) ? -Infinity : max, (first - t.risingTMs) / 1000);
  }
  return max;
}
