// What per-stay accuracy the office's contact F1 needs: the engine's own
// contact stage (fill, smoothing, close pairs, exposure; default config) over
// SYNTHETIC tracks made from the truth, scored like a run. A synthetic fix
// is the carrier's true position, plus a per-stay offset N(0, σ²) per axis
// (one draw per interval the person stands still: what the shadowing, the
// map and the fading leave on a seated device), plus per-epoch noise N(0, s²)
// per axis, s from the real run's scatter of tracked fixes around their stay
// mean. Beside it, the real run: its F1 and its per-stay bias (median, RMS).
// Bench only: it reads the simulator's truth, which the engine never may.
// Run: node bin/run-ts.js bench/studies/contact-ceiling.ts [--seeds 1-5] [--sigmas 0,0.1,0.2,0.3,0.4,0.5] [--tech ble-badge] [--hours 8]
import { median } from 'simple-statistics';
import { resolveConfig } from '../../engine/config.ts';
import { contactsFromTracks } from '../../engine/contacts/track-contacts.ts';
import { EstimatesBuilder } from '../../engine/pipeline/estimates.ts';
import type { Estimates } from '../../engine/outputs.ts';
import { runEngine } from '../../engine/run.ts';
import { TECHS, type Tech } from '../../engine/contract/site.ts';
import type { Scenario } from '../../scenarios/types.ts';
import { Rng } from '../../sim/rng.ts';
import { simulate } from '../../sim/simulate.ts';
import type { SimResult } from '../../sim/types.ts';
import { withDeviceShare } from '../harness/device-share.ts';
import { engineInputs } from '../harness/experiment.ts';
import { seatBias } from './map-oracle.ts';
import { scoreContacts } from '../score/per-tech.ts';
import { seedScenarios, withSeedOptions } from '../harness/seeds.ts';
import { TrackCursor } from '../../sim/track.ts';
import { isEntryPoint, numberListFlag, strictArgs } from '../entry/args.ts';

export interface CeilingSeed {
  seed: number;
  real: { f1: number; stayBiasMedianM: number; stayBiasRmsM: number; scatterRmsM: number };
  /** Synthetic F1 (precision, recall) per per-stay σ, in the order asked. */
  synthetic: { sigmaM: number; f1: number; precision: number; recall: number }[];
}

/**
 * One fix per epoch (its midpoint) while the carrier is in the building, for
 * every device of `tech`: truth + per-stay offset (sd sigmaM per axis, redrawn
 * whenever the carrier has moved since the last epoch; none while walking) +
 * per-epoch noise (sd noiseM per axis). Deterministic from `seed`.
 */
export function syntheticFixes(sim: SimResult, tech: Tech, epochMs: number, endMs: number, sigmaM: number, noiseM: number, seed: number): Estimates {
  const out = new EstimatesBuilder();
  const { devices } = sim.observations;
  const rng = new Rng(seed, `contact-ceiling:${sigmaM}`);
  const wanted = devices.flatMap((d, i) => (d.tech === tech ? [i] : []));
  const cursors = wanted.map((d) => new TrackCursor(sim.truth.tracks[sim.truth.deviceOwner[d]]));
  const state = wanted.map(() => ({ x: NaN, y: NaN, dx: 0, dy: 0 }));
  const fix = { x: 0, y: 0, floor: 0, errorRadiusM: 1, apsUsed: 0 };
  for (let tMs = epochMs / 2; tMs < endMs; tMs += epochMs) {
    wanted.forEach((d, k) => {
      const p = cursors[k];
      p.seek(tMs);
      if (p.floor < 0) return;
      const s = state[k];
      // Still since the last epoch: the stay's offset holds; moved: none now, a fresh one once it stops.
      const still = p.x === s.x && p.y === s.y;
      if (!still) {
        s.dx = rng.normal(0, sigmaM);
        s.dy = rng.normal(0, sigmaM);
      }
      s.x = p.x;
      s.y = p.y;
      fix.x = p.x + (still ? s.dx : 0) + rng.normal(0, noiseM);
      fix.y = p.y + (still ? s.dy : 0) + rng.normal(0, noiseM);
      fix.floor = p.floor;
      out.push(tMs, d, fix);
    });
  }
  return out.build();
}

export async function contactCeiling(scenario: Scenario, tech: Tech, sigmasM: readonly number[]): Promise<CeilingSeed> {
  const sim = simulate(scenario);
  const config = withDeviceShare(scenario, {});
  const cfg = resolveConfig(config);
  const engine = await runEngine(scenario.site, sim.observations, config, engineInputs(sim));
  const bias = seatBias(sim, engine.estimates, tech);
  const real = { f1: scoreContacts(engine.contacts, sim.observations, sim.truth, tech).f1, stayBiasMedianM: bias.medianM, stayBiasRmsM: bias.rmsM, scatterRmsM: bias.scatterRmsM };
  // scatterRmsM is radial (two axes).
  const noiseM = bias.scatterRmsM / Math.SQRT2;
  const synthetic = sigmasM.map((sigmaM) => {
    const est = syntheticFixes(sim, tech, cfg.ingest.epochMs, scenario.durationS * 1000, sigmaM, noiseM, scenario.seed);
    const contacts = contactsFromTracks(est, sim.observations.devices, scenario.site, cfg.ingest.epochMs, cfg.contacts);
    const c = scoreContacts(contacts, sim.observations, sim.truth, tech);
    return { sigmaM, f1: c.f1, precision: c.precision, recall: c.recall };
  });
  return { seed: scenario.seed, real, synthetic };
}

if (isEntryPoint(import.meta.url)) {
  const args = withSeedOptions(strictArgs('bench/studies/contact-ceiling.ts')).options({
    sigmas: { type: 'string', default: '0,0.1,0.2,0.3,0.4,0.5', coerce: numberListFlag('--sigmas', { min: 0 }), describe: 'Per-stay offsets σ to try, metres, comma-separated (≥ 0)' },
    tech: { choices: TECHS, default: 'ble-badge' as Tech, describe: 'Technology whose devices get synthetic fixes' },
  }).parseSync();
  const sigmas = args.sigmas;
  const seeds: CeilingSeed[] = [];
  for (const scenario of seedScenarios(args.scenario, args.seeds, args.hours)) {
    const r = await contactCeiling(scenario, args.tech, sigmas);
    console.log(JSON.stringify(r));
    seeds.push(r);
  }
  const med = (f: (s: CeilingSeed) => number): string => median(seeds.map(f)).toFixed(3);
  console.log(`real: F1 ${med((s) => s.real.f1)}, per-stay bias median ${med((s) => s.real.stayBiasMedianM)} m, RMS ${med((s) => s.real.stayBiasRmsM)} m, scatter RMS ${med((s) => s.real.scatterRmsM)} m (medians over seeds)`);
  console.log('σ m   F1     precision  recall');
  sigmas.forEach((sigma, i) => console.log(`${sigma.toFixed(2)}  ${med((s) => s.synthetic[i].f1)}  ${med((s) => s.synthetic[i].precision)}      ${med((s) => s.synthetic[i].recall)}`));
}
