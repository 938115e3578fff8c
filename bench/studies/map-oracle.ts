// How much of the office's contact error the survey map causes: the engine
// run twice on the same simulation, once with the map it builds from the
// site survey (kriged) and once with an ORACLE map (the simulator's own mean
// path gain at every cell: path loss, walls, shadowing and the fading's mean
// in dB), plus
// what the kriged map gets wrong (dB RMS against the oracle at seats and at
// survey points) and how far each device's fixes sit from a seat on average
// over its stay there (the static, per-seat bias no time averaging removes).
// Bench only: the oracle reads the simulator, which the engine never may.
// Run: node bin/run-ts.js bench/studies/map-oracle.ts [--seeds 1-5] [--hours 8] [--config JSON] (--help for all)
import { resolveConfig, type DeepPartial, type EngineConfig } from '../../engine/config.ts';
import type { RadioMap } from '../../engine/calibrate/radio-map.ts';
import { surveyRadioMaps, type SurveyRadioMaps } from '../../engine/calibrate/survey-map.ts';
import { siteLayout } from '../../engine/localize/layout.ts';
import type { Estimates } from '../../engine/outputs.ts';
import { runEngine } from '../../engine/run.ts';
import { bandOf, TECHS, type Band, type Tech } from '../../engine/contract/site.ts';
import { seatsOf } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/types.ts';
import { simulate } from '../../sim/simulate.ts';
import { surveyPoints } from '../../sim/site-survey.ts';
import type { SimResult } from '../../sim/types.ts';
import { surveyChannel } from '../score/crlb.ts';
import { withDeviceShare } from '../harness/device-share.ts';
import { engineInputs } from '../harness/experiment.ts';
import { scoreContacts } from '../score/per-tech.ts';
import { seedScenarios, withSeedOptions } from '../harness/seeds.ts';
import { positionAt } from '../../sim/track.ts';
import { isEntryPoint, jsonFlag, strictArgs, wordListFlag } from '../entry/args.ts';

const SCORED: Tech[] = ['ble-badge', 'wifi'];
/** A stay at one spot counts for the bias when it holds at least this many fixes (10 min of 5 s epochs). */
const MIN_STAY_FIXES = 120;

export interface MapOracleSeed {
  seed: number;
  /** Kriged − oracle path gain (less its band-wide mean: the reference device's gain), RMS over audible APs, dB. */
  mapErrorDb: Record<Band, { seats: number; surveyPoints: number }>;
  perTech: Record<string, {
    kriged: { f1: number; precision: number; recall: number; seatBiasMedianM: number; seatBiasRmsM: number; scatterRmsM: number };
    oracle: { f1: number; precision: number; recall: number; seatBiasMedianM: number; seatBiasRmsM: number; scatterRmsM: number };
  }>;
}

/** The simulator's mean path gain (tx 0 dBm, no fading, no device gain) at every cell of each band's map. */
export function oracleMaps(scenario: Scenario, kriged: SurveyRadioMaps): SurveyRadioMaps {
  const layout = siteLayout(scenario.site);
  const maps: SurveyRadioMaps['maps'] = {};
  for (const [band, map] of Object.entries(kriged.maps) as [Band, RadioMap][]) {
    const channel = surveyChannel(scenario, band);
    const aps = layout.apX.length;
    const gainDb = map.gainDb.map((g, f) => {
      const out = new Float32Array(g.length);
      const floor = layout.floorId[f];
      for (let c = 0; c < map.nx[f] * map.ny[f]; c++) {
        const x = ((c % map.nx[f]) + 0.5) * map.cellM, y = (Math.floor(c / map.nx[f]) + 0.5) * map.cellM;
        for (let ap = 0; ap < aps; ap++) {
          // Plus the fading's mean in dB, which every mean of readings in dB (the survey's too) carries.
          if (layout.apFloorIdx[ap] === f) out[c * aps + ap] = channel.meanRxDbm(ap, 0, x, y, floor) + channel.fadingMeanDb(channel.lineOfSight);
        }
      }
      return out;
    });
    maps[band] = { ...map, gainDb };
  }
  return { maps, fits: kriged.fits };
}

/** RMS of kriged − oracle at the given points (nearest cell), over APs the band can hear there, less the mean difference. */
function mapErrorDb(kriged: RadioMap, oracle: RadioMap, layout: ReturnType<typeof siteLayout>, points: { floor: number; x: number; y: number }[], sensitivityDbm: number, txDbm: number): number {
  const diffs: number[] = [];
  const aps = layout.apX.length;
  for (const p of points) {
    const f = layout.floorId.indexOf(p.floor);
    const c = Math.min(Math.floor(p.y / kriged.cellM), kriged.ny[f] - 1) * kriged.nx[f] + Math.min(Math.floor(p.x / kriged.cellM), kriged.nx[f] - 1);
    for (let ap = 0; ap < aps; ap++) {
      if (layout.apFloorIdx[ap] !== f || oracle.gainDb[f][c * aps + ap] + txDbm < sensitivityDbm) continue;
      diffs.push(kriged.gainDb[f][c * aps + ap] - oracle.gainDb[f][c * aps + ap]);
    }
  }
  const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
  return Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / diffs.length);
}

/**
 * Per (device, spot where its carrier stood still ≥ MIN_STAY_FIXES epochs):
 * the distance from the spot to the mean of the fixes there (bias), and the
 * fixes' RMS spread around their own mean (what averaging can remove).
 */
export function seatBias(sim: SimResult, est: Estimates, tech: Tech): { medianM: number; rmsM: number; scatterRmsM: number } {
  const stays = new Map<string, { x: number; y: number; sx: number; sy: number; sxx: number; n: number }>();
  const obs = sim.observations;
  for (let i = 0; i < est.length; i++) {
    const d = est.deviceIdx[i];
    if (obs.devices[d].tech !== tech) continue;
    const track = sim.truth.tracks[sim.truth.deviceOwner[d]];
    const p = positionAt(track, est.tMs[i]), before = positionAt(track, est.tMs[i] - 30_000);
    if (p.floor < 0 || p.x !== before.x || p.y !== before.y) continue;
    const key = `${d}:${p.x}:${p.y}`;
    let s = stays.get(key);
    if (!s) stays.set(key, (s = { x: p.x, y: p.y, sx: 0, sy: 0, sxx: 0, n: 0 }));
    s.sx += est.x[i];
    s.sy += est.y[i];
    s.sxx += est.x[i] ** 2 + est.y[i] ** 2;
    s.n++;
  }
  const bias: number[] = [];
  let scatter = 0, n = 0;
  for (const s of stays.values()) {
    if (s.n < MIN_STAY_FIXES) continue;
    const mx = s.sx / s.n, my = s.sy / s.n;
    bias.push(Math.hypot(mx - s.x, my - s.y));
    scatter += s.sxx - s.n * (mx * mx + my * my);
    n += s.n;
  }
  // Without one, the median would be undefined and the scatter NaN (which contact-ceiling's synthetic fixes would carry into the contact stage).
  if (bias.length === 0) throw new Error(`no ${tech} device stayed at one spot for ${MIN_STAY_FIXES} fixes: run more --hours`);
  bias.sort((a, b) => a - b);
  return { medianM: bias[Math.floor(bias.length / 2)], rmsM: Math.sqrt(bias.reduce((t, b) => t + b * b, 0) / bias.length), scatterRmsM: Math.sqrt(scatter / n) };
}

export async function mapOracle(scenario: Scenario, config: DeepPartial<EngineConfig>, which: readonly ('kriged' | 'oracle')[] = ['kriged', 'oracle']): Promise<MapOracleSeed> {
  const sim = simulate(scenario);
  if (!sim.survey) throw new Error(`scenario ${scenario.name} has no survey`);
  const merged = withDeviceShare(scenario, config);
  const cfg = resolveConfig(merged);
  const layout = siteLayout(scenario.site);
  const kriged = surveyRadioMaps(scenario.site, layout, sim.survey, cfg);
  const oracle = oracleMaps(scenario, kriged);
  const seats = scenario.site.zones.flatMap((z) => seatsOf(z).map(([x, y]) => ({ floor: z.floor, x, y })));
  const points = surveyPoints(scenario, scenario.survey!);
  const mapError = {} as MapOracleSeed['mapErrorDb'];
  for (const band of Object.keys(kriged.maps) as Band[]) {
    const k = kriged.maps[band]!, o = oracle.maps[band]!, s = scenario.radio[band].sensitivityDbm;
    // The scored technology's transmit power on this band, as in the scenario (bench/score/crlb.ts reads it the same way).
    const tx = scenario.devices[SCORED.find((t) => bandOf(t) === band)!]?.txPowerDbm ?? 0;
    mapError[band] = { seats: mapErrorDb(k, o, layout, seats, s, tx), surveyPoints: mapErrorDb(k, o, layout, points, s, tx) };
  }
  const perTech: MapOracleSeed['perTech'] = {};
  const runs = { kriged, oracle };
  for (const name of which) {
    const radioMaps = runs[name];
    const engine = await runEngine(scenario.site, sim.observations, merged, { ...engineInputs(sim), radioMaps });
    for (const tech of SCORED) {
      if (!TECHS.includes(tech) || !kriged.maps[bandOf(tech)]) continue;
      const c = scoreContacts(engine.contacts, sim.observations, sim.truth, tech);
      const b = seatBias(sim, engine.estimates, tech);
      const entry = { f1: c.f1, precision: c.precision, recall: c.recall, seatBiasMedianM: b.medianM, seatBiasRmsM: b.rmsM, scatterRmsM: b.scatterRmsM };
      perTech[tech] ??= {} as MapOracleSeed['perTech'][string];
      perTech[tech][name] = entry;
    }
  }
  return { seed: scenario.seed, mapErrorDb: mapError, perTech };
}

if (isEntryPoint(import.meta.url)) {
  const args = withSeedOptions(strictArgs('bench/studies/map-oracle.ts')).options({
    config: { type: 'string', default: '{}', coerce: jsonFlag('--config'), describe: 'Engine config overrides, JSON' },
    maps: { type: 'string', default: 'kriged,oracle', coerce: wordListFlag, choices: ['kriged', 'oracle'], describe: 'Which maps to run the engine with, comma-separated' },
    effects: { type: 'string', default: '{}', coerce: jsonFlag('--effects'), describe: 'Radio effects to switch, JSON (e.g. {"fading":false})' },
  }).parseSync();
  for (const scenario of seedScenarios(args.scenario, args.seeds, args.hours)) {
    Object.assign(scenario.radio.effects, args.effects);
    console.log(JSON.stringify(await mapOracle(scenario, args.config as DeepPartial<EngineConfig>, args.maps as ('kriged' | 'oracle')[])));
  }
}
