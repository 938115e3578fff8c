// ctsim proximity: the phone-to-phone detector on a real BLE log (no site, no
// simulator): per window (--window-s of one phone hearing another) a
// close/not-close decision, a per-pair summary and, when the log has true
// distances, its scores: balanced accuracy within the contact distance and
// TC4TL's P_miss + P_fa at 4/6/10 ft. Column layouts: engine/io/phone-log.ts.
import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_CONFIG } from '../../engine/config.ts';
import { PHONE_LOG_FORMATS, readPhoneLog, type PhoneLogFormat } from '../../engine/io/phone-log.ts';
import { quote } from '../../engine/contract/quote.ts';
import { receiverLiftDb, SUSPECT_LIFT_DB } from '../../engine/proximity/device-calibration.ts';
import { logWindows, MIN_WINDOW_READINGS, windowIsClose } from '../../engine/proximity/log-windows.ts';
import { thresholdShiftDb } from '../../engine/proximity/window-decision.ts';
import { confusion, rates, TC4TL_DISTANCES_M } from '../../bench/score/proximity.ts';
import { numberFlag } from '../../bench/entry/args.ts';
import { formatTable } from '../../reports/table.ts';
import { InputError } from '../../engine/contract/input-error.ts';

interface ProximityArgs {
  log: string;
  format: PhoneLogFormat;
  windowS: number;
  windows: boolean;
}

export const proximityCommand: CommandModule<object, ProximityArgs> = {
  command: 'proximity',
  describe: 'Run the phone-to-phone detector on a real BLE log: decisions per window and pair, scores when distances are known',
  builder: (y) =>
    y
      .option('log', { type: 'string', demandOption: true, describe: 'The log: a CSV (tS,scanner,advertiser,rssiDbm[,scannerModel,advertiserModel,distanceM]), a pcng RSS_human*.csv, or an mitll log_*.txt or folder of them' })
      .option('format', { choices: PHONE_LOG_FORMATS, default: 'csv' as PhoneLogFormat, describe: 'Layout of --log' })
      .option('window-s', { type: 'number', default: 10, coerce: numberFlag('--window-s', { above: 0 }), describe: 'Decision window, seconds (> 0)' })
      .option('windows', { type: 'boolean', default: false, describe: 'Print every window\'s decision, not only the per-pair summary' }) as unknown as Argv<ProximityArgs>,
  handler: (args) => {
    const cfg = DEFAULT_CONFIG.proximity;
    const contactM = DEFAULT_CONFIG.contacts.distanceM;
    const rows = readPhoneLog(args.log, args.format);
    if (rows.length === 0) throw new InputError(`${args.log}: no readings`);
    const windows = logWindows(rows, args.windowS);
    if (windows.length === 0) {
      throw new InputError(`${args.log}: no window of ${args.windowS} s holds ${MIN_WINDOW_READINGS} readings of one scanner-advertiser pair (${rows.length} readings; tS is in seconds)`);
    }
    const close = windows.map((w) => windowIsClose(w, cfg));
    const f = (x: number, d = 1): string => (Number.isNaN(x) ? '–' : x.toFixed(d));
    if (args.windows) {
      process.stdout.write(formatTable(
        ['session', 'scanner', 'advertiser', 'from s', 'to s', 'readings', 'mean dBm', 'lift dB', 'close', 'true m'],
        windows.map((w, i) => [w.session, w.scanner, w.advertiser, f(w.tS[0], 2), f(w.tS[w.tS.length - 1], 2), String(w.tS.length),
          f(w.rssiDbm.reduce((s, x) => s + x, 0) / w.rssiDbm.length), f(receiverLiftDb(w.receiverMedianDbm, cfg.receiverLevelDbm)), close[i] ? 'yes' : 'no', f(w.distanceM, 2)]),
      ) + '\n\n');
    }
    const pairs = new Map<string, { scanner: string; advertiser: string; n: number; close: number; lift: number }>();
    windows.forEach((w, i) => {
      const key = JSON.stringify([w.scanner, w.advertiser]);
      const p = pairs.get(key) ?? { scanner: w.scanner, advertiser: w.advertiser, n: 0, close: 0, lift: receiverLiftDb(w.receiverMedianDbm, cfg.receiverLevelDbm) };
      p.n++;
      if (close[i]) p.close++;
      pairs.set(key, p);
    });
    process.stdout.write(`${rows.length.toLocaleString('en-US')} readings, ${windows.length} windows of ${args.windowS} s (≥ 3 readings each); detector: receiver level ${cfg.receiverLevelDbm} dBm, attenuation thresholds ${cfg.attenuationThresholdsDb.join('/')} dB\n\n`);
    process.stdout.write(formatTable(['scanner', 'advertiser', 'windows', 'close', 'lift dB'], [...pairs.values()].map((p) => [p.scanner, p.advertiser, String(p.n), String(p.close), f(p.lift)])) + '\n');
    const lifted = [...new Map([...pairs.values()].filter((p) => p.lift > SUSPECT_LIFT_DB).map((p) => [p.scanner, p.lift]))];
    for (const [scanner, lift] of lifted) {
      process.stderr.write(`note: receiver ${quote(scanner)} lifted ${f(lift)} dB, more than a deaf model in a pocket (${SUSPECT_LIFT_DB} dB): its log may hold far phones only, which the lift reads as a quiet radio\n`);
    }
    const known = windows.map((w, i) => ({ w, i })).filter(({ w }) => !Number.isNaN(w.distanceM));
    if (known.length === 0) return;
    const at2 = rates(confusion(known.map(({ w }) => w.distanceM <= contactM), known.map(({ i }) => close[i])));
    const n = DEFAULT_CONFIG.ranging['ble-app'].pathLossExponent;
    // A distance with one class only has one term: say which, as a sum it would read as a perfect score.
    const tc4tl = TC4TL_DISTANCES_M.map((d) => {
      const truth = known.map(({ w }) => w.distanceM <= d + 1e-9);
      const cost = f(rates(confusion(truth, known.map(({ w }) => windowIsClose(w, cfg, thresholdShiftDb(d, contactM, n))))).tc4tlCost, 3);
      return truth.every(Boolean) ? `${cost} (P_miss only)` : truth.some(Boolean) ? cost : `${cost} (P_fa only)`;
    });
    // With one class only, the balanced accuracy is the one rate there is: say which.
    const within = known.filter(({ w }) => w.distanceM <= contactM).length;
    const score = within === known.length ? `all within ${contactM} m: recall ${f(at2.recall, 3)}`
      : within === 0 ? `none within ${contactM} m: specificity ${f(at2.balancedAccuracy, 3)}`
        : `within ${contactM} m balanced accuracy ${f(at2.balancedAccuracy, 3)} (recall ${f(at2.recall, 3)}, precision ${f(at2.precision, 3)})`;
    process.stdout.write(`\n${known.length} windows with a true distance: ${score}; TC4TL P_miss + P_fa at 4/6/10 ft: ${tc4tl.join(' / ')}\n`);
  },
};
