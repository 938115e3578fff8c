// The phone-to-phone logs as twins (bench/twin/phone-twin.ts), read by the
// readers `ctsim proximity --format pcng|mitll` uses (engine/io/phone-log.ts),
// scored with the shipped detector (DEFAULT_CONFIG.proximity) on the windows
// bench/studies/real-data/en-proximity.ts scores:
//   ble-proximity-pcng (github.com/pc-ng/rss_smartphone, MIT): one twin per
//     body-position pair file (H hand, P pocket, B backpack, carried as the
//     phone-link fit carries them), 0.2-5 m;
//   ble-6ft-mitll (github.com/mitll/BLE-RSSI-Various-Static-Configurations,
//     CC BY 4.0): one twin per environment, the iPhone receiver (held) hearing
//     TestPhone1-4 at 1.83 m (carried as body-orientation-fit.ts says; the
//     purse as a pocket: a body between); advertisers at unknown distances are
//     left out.
// Rows are named `<pair or environment>, <of>`. The MITLL streams last 30-60 s, so each half is 15-30 s
// and its autocorrelation swings from half to half of the same real log by more than the tolerance
// (Anechoic_Chamber at 1 s: 0.25 in the first half, 0.46 in the second).
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../../engine/config.ts';
import { readPhoneLog } from '../../../engine/io/phone-log.ts';
import type { CarryPosition, Radio } from '../../../scenarios/types.ts';
import { runPhoneTwin, type PhoneTwinReport } from '../../twin/phone-twin.ts';
import type { Row } from '../../twin/fidelity.ts';
import { MITLL_PHONES } from '../radio-fit/body-orientation-fit.ts';
import { PCNG_CARRY } from '../radio-fit/phone-link-fit.ts';
import { MITLL_ENVIRONMENTS, WINDOW_S } from '../real-data/en-proximity.ts';
import { PCNG_PAIRS } from '../real-data/rssi-sessions.ts';

const MITLL_FOLDERS: Record<(typeof MITLL_ENVIRONMENTS)[number], string> = {
  Anechoic_Chamber: '1-May_Anechoic_Chamber', Screen_Room: '1-May_Screen_Room', Conference_Room: '5-May_Conference_Room',
  Conference_Room_Wall: '5-May_Conference_Room_Wall', Courtyard: '5-May_Courtyard',
};

export interface PhoneTwinsResult {
  name: string;
  about: string;
  reports: PhoneTwinReport['reports'];
  rows: Row[];
}

const options = (base: Radio, seed: number, carryOf: (phone: string) => CarryPosition) => ({
  seed, base, carryOf, windowS: WINDOW_S, proximity: DEFAULT_CONFIG.proximity, contactM: DEFAULT_CONFIG.contacts.distanceM,
});

function pooled(name: string, about: string, parts: [string, PhoneTwinReport][]): PhoneTwinsResult {
  const sum = (k: keyof PhoneTwinReport['reports']) => parts.reduce((a, [, r]) => a + r.reports[k], 0);
  return {
    name, about, reports: { calibrate: sum('calibrate'), realTest: sum('realTest'), simTest: sum('simTest') },
    rows: parts.flatMap(([label, r]) => r.rows.map((row) => ({ ...row, of: `${label}, ${row.of}` }))),
  };
}

export function pcngTwins(dataDir: string, base: Radio, seed: number, pairs: readonly string[] = PCNG_PAIRS): PhoneTwinsResult {
  return pooled('ble-proximity-pcng', 'ble-proximity-pcng: per body-position pair, each stream\'s first half calibrates the phone link, second half compared', pairs.map((pair) => {
    const log = readPhoneLog(join(dataDir, 'ble-proximity-pcng', `RSS_human${pair}.csv`), 'pcng');
    const phones = [...new Set(log.map((r) => r.scanner))].sort();
    return [pair, runPhoneTwin(log, options(base, seed, (phone) => PCNG_CARRY[pair[Math.max(0, phones.indexOf(phone))]]))];
  }));
}

export function mitllTwins(dataDir: string, base: Radio, seed: number, environments: readonly string[] = MITLL_ENVIRONMENTS): PhoneTwinsResult {
  return pooled('ble-6ft-mitll', 'ble-6ft-mitll: per environment, the receiver hearing TestPhone1-4 at 1.83 m; each stream\'s first half calibrates, second half compared', environments.map((env) => {
    const log = readPhoneLog(join(dataDir, 'ble-6ft-mitll', MITLL_FOLDERS[env as keyof typeof MITLL_FOLDERS], 'iPhone'), 'mitll');
    return [env, runPhoneTwin(log, options(base, seed, (phone) => (phone in MITLL_PHONES ? MITLL_PHONES[phone].carry ?? 'pocket' : 'hand')))];
  }));
}
