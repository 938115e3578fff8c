// The phone-to-phone detector on real logs, its config chosen by cross-dataset
// validation: every real log is a group (six ble-proximity-pcng body-position
// pairs, five ble-6ft-mitll environments); for each group, the config is tuned
// on the ten others (en-eval.ts) and scored on it: balanced accuracy "within
// 2 m" on 10 s windows, and TC4TL's P_miss + P_fa at 4/6/10 ft. Baselines,
// fitted on the scored group itself: the best single RSSI threshold on raw
// readings, and on window means; for mitll (contacts only, where any low
// threshold is perfect) the best raw threshold of all pcng pairs pooled.
// The shipped config (engine/proximity/exposure-notification.ts defaults) is
// the one tuned on all eleven groups. Writes bench/results/en-proximity.json
// and .md.  Run: npm run bench:en
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../../engine/config.ts';
import { writeFileAtomic } from '../../../engine/io/atomic-write.ts';
import { readPhoneLog } from '../../../engine/io/phone-log.ts';
import { logWindows, windowIsClose, type LogWindow } from '../../../engine/proximity/log-windows.ts';
import type { ProximitySettings } from '../../../engine/proximity/exposure-notification.ts';
import { thresholdShiftDb } from '../../../engine/proximity/window-decision.ts';
import { bestThreshold, confusion, rates, TC4TL_DISTANCES_M, type Rates } from '../../score/proximity.ts';
import { formatTable } from '../../../reports/table.ts';
import { isEntryPoint, strictArgs } from '../../entry/args.ts';
import { dataDir } from './data-dir.ts';
import { PCNG_PAIRS } from './rssi-sessions.ts';
import { tune, type Group } from './en-eval.ts';

/** Decision windows, seconds: TC4TL-length segments, six per pcng distance. */
export const WINDOW_S = 10;
export const MITLL_ENVIRONMENTS = ['Anechoic_Chamber', 'Screen_Room', 'Conference_Room', 'Conference_Room_Wall', 'Courtyard'] as const;
const CONTACT_M = DEFAULT_CONFIG.contacts.distanceM;
const PATH_LOSS_EXPONENT = DEFAULT_CONFIG.ranging['ble-app'].pathLossExponent;

export function realGroups(dir = dataDir()): Group[] {
  const pcng = PCNG_PAIRS.map((p) => ({ name: p, windows: logWindows(readPhoneLog(join(dir, 'ble-proximity-pcng', `RSS_human${p}.csv`), 'pcng'), WINDOW_S) }));
  const mitll = MITLL_ENVIRONMENTS.map((env) => {
    const folder = { Anechoic_Chamber: '1-May_Anechoic_Chamber', Screen_Room: '1-May_Screen_Room', Conference_Room: '5-May_Conference_Room', Conference_Room_Wall: '5-May_Conference_Room_Wall', Courtyard: '5-May_Courtyard' }[env];
    // Every advertiser heard counts toward the receiver's median; only the 6 ft test phones are scored.
    return { name: env, windows: logWindows(readPhoneLog(join(dir, 'ble-6ft-mitll', folder, 'iPhone'), 'mitll'), WINDOW_S) };
  });
  return [...pcng, ...mitll];
}

export interface GroupScore {
  /** Windows scored (those with a known distance). */
  windows: number;
  /** At 2 m. */
  detector: Rates;
  /** P_miss + P_fa at 4, 6, 10 ft. */
  detectorTc4tl: number[];
  /** Best threshold on raw readings (pcng: fitted on this group; mitll: on all pcng pairs pooled). */
  rawThreshold: { thresholdDbm: number; rates: Rates; tc4tl: number[] };
  /** Best threshold on window mean RSSI, fitted on this group (pcng only). */
  windowMeanThreshold?: { thresholdDbm: number; rates: Rates };
}

export function scoreGroup(windows: readonly LogWindow[], cfg: ProximitySettings, rawBaseline?: number): GroupScore {
  const ws = windows.filter((w) => !Number.isNaN(w.distanceM));
  const at = (d: number) => ws.map((w) => w.distanceM <= d + 1e-9);
  const raw = (d: number) => ({ truth: ws.flatMap((w) => w.rssiDbm.map(() => w.distanceM <= d + 1e-9)), rssi: ws.flatMap((w) => w.rssiDbm) });
  const detector = rates(confusion(at(CONTACT_M), ws.map((w) => windowIsClose(w, cfg))));
  const detectorTc4tl = TC4TL_DISTANCES_M.map((d) => rates(confusion(at(d), ws.map((w) => windowIsClose(w, cfg, thresholdShiftDb(d, CONTACT_M, PATH_LOSS_EXPONENT))))).tc4tlCost);
  const r2 = raw(CONTACT_M);
  let rawThreshold: GroupScore['rawThreshold'];
  if (rawBaseline === undefined) {
    const fit = bestThreshold(r2.truth, r2.rssi);
    rawThreshold = { thresholdDbm: fit.threshold, rates: fit.rates, tc4tl: TC4TL_DISTANCES_M.map((d) => { const r = raw(d); return bestThreshold(r.truth, r.rssi).rates.tc4tlCost; }) };
  } else {
    const say = (rssi: number[]) => rssi.map((x) => x >= rawBaseline);
    rawThreshold = { thresholdDbm: rawBaseline, rates: rates(confusion(r2.truth, say(r2.rssi))), tc4tl: TC4TL_DISTANCES_M.map((d) => { const r = raw(d); return rates(confusion(r.truth, say(r.rssi))).tc4tlCost; }) };
  }
  const means = ws.map((w) => w.rssiDbm.reduce((s, x) => s + x, 0) / w.rssiDbm.length);
  const wm = rawBaseline === undefined ? bestThreshold(at(CONTACT_M), means) : undefined;
  return { windows: ws.length, detector, detectorTc4tl, rawThreshold, windowMeanThreshold: wm && { thresholdDbm: wm.threshold, rates: wm.rates } };
}

export interface EnRealDataReport {
  windowS: number;
  contactM: number;
  /** Tuned on all groups: the shipped default. */
  shipped: ProximitySettings;
  /** Per held-out group: the config tuned on the others and its scores there. */
  crossValidated: Record<string, { tunedOn: string[]; config: ProximitySettings; score: GroupScore }>;
  /** The shipped config on every group (in-sample: it was tuned on them too). */
  shippedScores: Record<string, GroupScore>;
}

export function enRealData(groups: readonly Group[] = realGroups()): EnRealDataReport {
  const base = DEFAULT_CONFIG.proximity;
  const pcngPooled = groups.filter((g) => (PCNG_PAIRS as readonly string[]).includes(g.name)).flatMap((g) => g.windows);
  const pooledThr = bestThreshold(pcngPooled.flatMap((w) => w.rssiDbm.map(() => w.distanceM <= CONTACT_M)), pcngPooled.flatMap((w) => w.rssiDbm)).threshold;
  const baselineFor = (g: Group): number | undefined => ((PCNG_PAIRS as readonly string[]).includes(g.name) ? undefined : pooledThr);
  const crossValidated: EnRealDataReport['crossValidated'] = {};
  for (const held of groups) {
    const train = groups.filter((g) => g !== held);
    const { config } = tune(train, CONTACT_M, base);
    crossValidated[held.name] = { tunedOn: train.map((g) => g.name), config, score: scoreGroup(held.windows, config, baselineFor(held)) };
  }
  const shipped = tune(groups, CONTACT_M, base).config;
  const shippedScores = Object.fromEntries(groups.map((g) => [g.name, scoreGroup(g.windows, shipped, baselineFor(g))]));
  return { windowS: WINDOW_S, contactM: CONTACT_M, shipped, crossValidated, shippedScores };
}

export function reportTable(r: EnRealDataReport): string {
  const f = (x: number): string => (Number.isNaN(x) ? '–' : x.toFixed(3));
  const rows = Object.entries(r.crossValidated).map(([name, { config, score: s }]) => {
    const shipped = r.shippedScores[name];
    return [
      name, String(s.windows), `${config.receiverLevelDbm}/${config.attenuationThresholdsDb.join('/')}`,
      f(s.detector.balancedAccuracy), f(s.detector.recall), f(shipped.detector.balancedAccuracy),
      `${f(s.rawThreshold.rates.balancedAccuracy)} (≥${s.rawThreshold.thresholdDbm})`, s.windowMeanThreshold ? f(s.windowMeanThreshold.rates.balancedAccuracy) : '–',
      f(s.detector.balancedAccuracy - s.rawThreshold.rates.balancedAccuracy),
      s.detectorTc4tl.map(f).join(' / '), s.rawThreshold.tc4tl.map(f).join(' / '),
    ];
  });
  return formatTable(
    ['held out', 'windows', 'tuned lift/thr dB', 'CV BA@2m', 'CV recall', 'shipped BA', 'raw-thr BA (fit)', 'win-mean BA (fit)', 'CV − raw', 'CV TC4TL 4/6/10ft', 'raw-thr TC4TL'],
    rows,
  );
}

if (isEntryPoint(import.meta.url)) {
  // No options: a bad flag is still an error, not ignored.
  strictArgs('npm run bench:en --').parseSync();
  const report = enRealData();
  const out = new URL('../../results/en-proximity.json', import.meta.url).pathname;
  writeFileAtomic(out, JSON.stringify(report, null, 2) + '\n');
  const s = report.shipped;
  const text = `Phone-to-phone detector, leave-one-log-out (${report.windowS} s windows, contact ≤ ${report.contactM} m)\n\n${reportTable(report)}\n\n`
    + `shipped (tuned on all 11 logs): receiverLevelDbm ${s.receiverLevelDbm}, attenuationThresholdsDb ${s.attenuationThresholdsDb.join('/')}\n`;
  writeFileAtomic(out.replace(/\.json$/, '.md'), text);
  process.stdout.write(text + `wrote ${out} and .md\n`);
}
