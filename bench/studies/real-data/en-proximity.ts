// Real-data check of the phone-to-phone (EN v2 style) detector: within 2 m
// or not, per body-position pair on ble-proximity-pcng (EN attenuation
// thresholds and the single-RSSI-threshold baseline each tuned per pair on the
// first half of every session, both scored on the second half), and recall at
// 1.83 m per environment on ble-6ft-mitll with both tuned on all pcng pairs pooled.
// Writes bench/results/en-proximity.json.  Run: node bin/run-ts.js bench/studies/real-data/en-proximity.ts
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../../engine/config.ts';
import { writeFileAtomic } from '../../../engine/io/atomic-write.ts';
import { dataDir } from './data-dir.ts';
import {
  bestRssiThreshold, confusion, enSaysClose, rates, samplesOf, tuneThresholds, windowsOf, WINDOW_S, type Rates,
} from './en-eval.ts';
import { PCNG_PAIRS, readMitll, readPcng } from './rssi-sessions.ts';
import { isEntryPoint, strictArgs } from '../../entry/args.ts';
import { fixedOr } from '../../../reports/table.ts';

interface Comparison { en: Rates; rssiThreshold: Rates & { thresholdDbm: number } }

export interface EnRealDataReport {
  windowS: number;
  /** Tuned on all pcng pairs pooled; used for mitll. */
  pooledConfig: typeof DEFAULT_CONFIG.proximity;
  pcng: Record<string, Comparison & { attenuationThresholdsDb: number[] }>;
  mitll: Record<string, Comparison>;
}

export function enRealData(pairs: readonly string[] = PCNG_PAIRS, withMitll = true): EnRealDataReport {
  const dir = dataDir();
  const sessions = pairs.flatMap((p) => readPcng(join(dir, 'ble-proximity-pcng'), p));
  const pooledConfig = tuneThresholds(windowsOf(sessions, 'train'), DEFAULT_CONFIG.proximity);
  const test = windowsOf(sessions, 'test');
  const pcng: EnRealDataReport['pcng'] = {};
  for (const pair of pairs) {
    const trainWindows = windowsOf(sessions.filter((s) => s.group === pair), 'train');
    const config = tuneThresholds(trainWindows, DEFAULT_CONFIG.proximity);
    const train = samplesOf(trainWindows);
    const thresholdDbm = bestRssiThreshold(train.close, train.rssiDbm);
    const ws = test.filter((w) => w.group === pair);
    const samples = samplesOf(ws);
    pcng[pair] = {
      attenuationThresholdsDb: config.attenuationThresholdsDb,
      en: rates(confusion(ws.map((w) => w.close), ws.map((w) => enSaysClose(w, config)))),
      rssiThreshold: { ...rates(confusion(samples.close, samples.rssiDbm.map((r) => r >= thresholdDbm))), thresholdDbm },
    };
  }
  const mitll: EnRealDataReport['mitll'] = {};
  if (withMitll) {
    const pooled = samplesOf(windowsOf(sessions, 'train'));
    const thresholdDbm = bestRssiThreshold(pooled.close, pooled.rssiDbm);
    const all = readMitll(join(dir, 'ble-6ft-mitll'));
    for (const env of [...new Set(all.map((s) => s.group))]) {
      const ws = [...windowsOf(all.filter((s) => s.group === env), 'train'), ...windowsOf(all.filter((s) => s.group === env), 'test')];
      const samples = samplesOf(ws);
      mitll[env] = {
        en: rates(confusion(ws.map((w) => w.close), ws.map((w) => enSaysClose(w, pooledConfig)))),
        rssiThreshold: { ...rates(confusion(samples.close, samples.rssiDbm.map((r) => r >= thresholdDbm))), thresholdDbm },
      };
    }
  }
  return { windowS: WINDOW_S, pooledConfig, pcng, mitll };
}

if (isEntryPoint(import.meta.url)) {
  // No options: a bad flag is still an error, not ignored.
  strictArgs('npm run bench:en --').parseSync();
  const report = enRealData();
  const out = new URL('../../results/en-proximity.json', import.meta.url).pathname;
  writeFileAtomic(out, JSON.stringify(report, null, 2) + '\n');
  const f = (x: number): string => fixedOr(x, 3);
  for (const [name, r] of [...Object.entries(report.pcng), ...Object.entries(report.mitll)]) {
    process.stdout.write(`${name.padEnd(22)} EN BA ${f(r.en.balancedAccuracy)} P ${f(r.en.precision)} R ${f(r.en.recall)} | RSSI≥${r.rssiThreshold.thresholdDbm} BA ${f(r.rssiThreshold.balancedAccuracy)} P ${f(r.rssiThreshold.precision)} R ${f(r.rssiThreshold.recall)}\n`);
  }
  process.stdout.write(`pooled EN thresholds ${report.pooledConfig.attenuationThresholdsDb.join('/')} dB; wrote ${out}\n`);
}
