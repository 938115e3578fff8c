// tinybench micro-benchmarks of the hot paths, on fixed seeded inputs:
// radio model sample, localization fix (WLS, survey map, fused), grid tracker, grid neighbour query, exposure accumulation.
import { localizeModel } from '../../engine/localize/model.ts';
import { Bench } from 'tinybench';
import { DEFAULT_CONFIG } from '../../engine/config.ts';
import { findContacts } from '../../engine/contacts/exposure.ts';
import { grid } from '../../engine/contacts/grid-detector.ts';
import { EstimatesBuilder } from '../../engine/pipeline/estimates.ts';
import { siteLayout } from '../../engine/localize/layout.ts';
import { map } from '../../engine/localize/map.ts';
import { fused } from '../../engine/localize/fused.ts';
import { trackGrid } from '../../engine/track/grid-hmm.ts';
import { wls } from '../../engine/localize/wls.ts';
import { surveyRadioMaps, techRadioMaps } from '../../engine/calibrate/survey-map.ts';
import { simulateSurvey } from '../../sim/site-survey.ts';
import type { Estimates } from '../../engine/outputs.ts';
import { loadScenario } from '../../scenarios/load.ts';
import { BandChannel } from '../../sim/radio/channel.ts';
import { Rng } from '../../sim/rng.ts';
import type { MicroResult } from '../../reports/schemas/perf-result.ts';

/** `count` devices scattered over a 200 × 64 m floor (campus-sized), one epoch at t. */
function scatter(count: number, seed: number, epochs = 1): Estimates {
  const rng = new Rng(seed, 'bench-scatter');
  const b = new EstimatesBuilder(count * epochs);
  const xs = Array.from({ length: count }, () => rng.uniform(0, 200));
  const ys = Array.from({ length: count }, () => rng.uniform(0, 64));
  for (let e = 0; e < epochs; e++) {
    for (let d = 0; d < count; d++) {
      xs[d] = Math.min(Math.max(xs[d] + rng.normal(0, 0.3), 0), 200);
      ys[d] = Math.min(Math.max(ys[d] + rng.normal(0, 0.3), 0), 64);
      b.push(e * 5000 + 2500, d, { x: xs[d], y: ys[d], floor: 0, errorRadiusM: 3, apsUsed: 4 });
    }
  }
  return b.build();
}

/** One device's hour on the office floor: seated 50 min at a desk, then 10 min up and down the corridor at 1.2 m/s; fixes 1.5 m off. */
function officeHour(seed: number): Estimates {
  const rng = new Rng(seed, 'bench-office-hour');
  const b = new EstimatesBuilder(720);
  for (let e = 0; e < 720; e++) {
    const walkedM = Math.max(0, e - 600) * 6;
    const x = e < 600 ? 12 : 3 + Math.abs(((walkedM + 34) % 68) - 34), y = e < 600 ? 20 : 12.5;
    b.push(e * 5000 + 2500, 0, { x: x + rng.normal(0, 1.5), y: y + rng.normal(0, 1.5), floor: 0, errorRadiusM: 1.5 * Math.SQRT2 * DEFAULT_CONFIG.localize.map.radiusScale, apsUsed: 8 });
  }
  return b.build();
}

export async function runMicro(timeMs: number): Promise<MicroResult[]> {
  const office = loadScenario('office');
  const channel = new BandChannel(office.site, 'wifi', office.radio.wifi, office.radio.effects, 1);
  const rng = new Rng(1, 'bench-radio');
  const layout = siteLayout(office.site);
  const model = localizeModel(layout, DEFAULT_CONFIG.ranging.wifi, DEFAULT_CONFIG.localize);
  // One device at (17, 9) heard by all 8 office APs.
  const apIdx = Uint16Array.from(office.site.aps, (_, i) => i);
  const rssiDbm = Float32Array.from(office.site.aps, (ap) => -30 - 30 * Math.log10(Math.hypot(ap.x - 17, ap.y - 9, 1.3)));
  const readings = { apIdx, rssiDbm, start: 0, end: apIdx.length };
  // The office's survey map (its own calibration walk) for the map localizer.
  const ble = new BandChannel(office.site, 'ble', office.radio.ble, office.radio.effects, 1);
  const survey = surveyRadioMaps(office.site, layout, simulateSurvey(office, office.survey!, { wifi: channel, ble }), DEFAULT_CONFIG);
  const mapModel = { ...model, map: techRadioMaps(office.site, survey)[0] };
  const crowd = scatter(1000, 2);
  const rows = Uint32Array.from({ length: crowd.length }, (_, i) => i);
  const hour = scatter(500, 3, 120);
  const deviceHour = officeHour(4);
  const devices = Array.from({ length: 500 }, (_, i) => ({ id: `d${i}`, tech: 'wifi' as const }));
  let sink = 0;

  const bench = new Bench({ time: timeMs, warmup: true });
  const ops: Record<string, string> = {};
  const add = (name: string, op: string, fn: () => void): void => {
    ops[name] = op;
    bench.add(name, fn);
  };
  add('radio model sample', 'mean RSSI + one reception, device→AP', () => {
    const x = rng.uniform(0, 40), y = rng.uniform(0, 25);
    sink += channel.receive(channel.meanRxDbm(3, 15, x, y, office.site.aps[3].floor), channel.lineOfSight, rng) || 0;
  });
  add('localization fix (wls)', 'one fix from 8 APs', () => {
    sink += wls.locate(model, readings)!.x;
  });
  add('localization fix (map)', 'one fix from 8 APs on the survey map', () => {
    sink += map.locate(mapModel, readings)!.x;
  });
  add('localization fix (fused)', 'the same fix, averaged with WKNN on the surveyed points', () => {
    sink += fused.locate(mapModel, readings)!.x;
  });
  add('grid tracker', "one device-hour's 720 fixes on the office floor, tracked and smoothed", () => {
    sink += trackGrid(deviceHour, 1, layout, DEFAULT_CONFIG.track, DEFAULT_CONFIG.localize.map.radiusScale).x[0];
  });
  add('grid neighbour query', 'all pairs ≤ 2 m among 1,000 devices (one epoch)', () => {
    grid.closePairs(crowd, rows, crowd.length, 2, () => sink++);
  });
  add('exposure accumulation', '120 epochs × 500 devices into pair totals', () => {
    sink += findContacts(hour, devices, { epochMs: 5000, distanceM: 2, minExposureS: 900 }, grid).length;
  });
  await bench.run();
  if (sink === 0.5) process.stdout.write(''); // keeps the work observable
  return bench.tasks.map((t) => {
    const r = t.result as { latency: { p50: number; rme: number; samplesCount: number }; throughput: { mean: number } };
    return { name: t.name, op: ops[t.name], medianNs: r.latency.p50 * 1e6, opsPerSec: 1000 / r.latency.p50, rmePct: r.latency.rme, samples: r.latency.samplesCount };
  });
}
