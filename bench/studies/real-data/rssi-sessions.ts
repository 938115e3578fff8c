// Phone-to-phone RSSI sessions from the two real BLE proximity datasets:
// one session = one receiver hearing one transmitter in one static setup.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { mitllLogFiles } from '../../../engine/io/phone-log.ts';

export interface RssiSession {
  /** Body-position pair (pcng: HH, HP, ...) or environment (mitll). */
  group: string;
  /** Who heard whom, and the setup (distance or rotation). */
  label: string;
  distanceM: number;
  tS: number[];
  rssiDbm: number[];
}

export const PCNG_PAIRS = ['BB', 'HB', 'HH', 'HP', 'PB', 'PP'] as const;

/** ble-proximity-pcng: RSS_human<pair>.csv, rows device,elapsed,rss,mRSS10,mRSS100,dist(cm),label. */
export function readPcng(dir: string, pair: string): RssiSession[] {
  const path = join(dir, `RSS_human${pair}.csv`);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  if (lines[0].trim() !== 'device,elapsed,rss,mRSS10,mRSS100,dist,label') throw new Error(`${path}:1: unexpected header '${lines[0]}'`);
  const sessions = new Map<string, RssiSession>();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const f = lines[i].split(',');
    const [elapsed, rss, dist] = [Number(f[1]), Number(f[2]), Number(f[5])];
    if (f.length !== 7 || !Number.isFinite(elapsed) || !Number.isFinite(rss) || !(dist > 0)) {
      throw new Error(`${path}:${i + 1}: malformed row '${lines[i]}' (want device,elapsed,rss,mRSS10,mRSS100,dist,label)`);
    }
    const key = `${f[0]}@${dist}cm`;
    let s = sessions.get(key);
    if (!s) sessions.set(key, (s = { group: pair, label: key, distanceM: dist / 100, tS: [], rssiDbm: [] }));
    s.tS.push(elapsed);
    s.rssiDbm.push(rss);
  }
  for (const s of sessions.values()) sortByTime(s);
  return [...sessions.values()];
}

/** ble-6ft-mitll: <env>/[iPhone/]log_*_<rotation>.txt, lines time,Bluetooth,uuid,rssi,TestPhoneN,txpower,ts; all at 1.83 m. */
export function readMitll(dir: string): RssiSession[] {
  const sessions: RssiSession[] = [];
  for (const env of readdirSync(dir).filter((e) => statSync(join(dir, e)).isDirectory()).sort()) {
    for (const path of mitllLogFiles(join(dir, env))) {
      const rotation = /_(\d+)\.txt$/.exec(path)?.[1] ?? '?';
      const byPhone = new Map<string, RssiSession>();
      readFileSync(path, 'utf8').split(/\r?\n/).forEach((line, i) => {
        const f = line.split(',');
        if (f[1] !== 'Bluetooth') return;
        const [rssi, ts] = [Number(f[3]), Number(f[6])];
        if (f.length < 7 || !Number.isFinite(rssi) || !Number.isFinite(ts)) throw new Error(`${path}:${i + 1}: malformed Bluetooth line '${line}'`);
        let s = byPhone.get(f[4]);
        if (!s) byPhone.set(f[4], (s = { group: env.replace(/^\d+-[A-Za-z]+_/, ''), label: `${f[4]}@${rotation}deg`, distanceM: 1.83, tS: [], rssiDbm: [] }));
        s.tS.push(ts);
        s.rssiDbm.push(rssi);
      });
      for (const s of byPhone.values()) sessions.push(sortByTime(s));
    }
  }
  return sessions;
}

function sortByTime(s: RssiSession): RssiSession {
  const order = s.tS.map((_, i) => i).sort((a, b) => s.tS[a] - s.tS[b] || a - b);
  s.tS = order.map((i) => s.tS[i]);
  s.rssiDbm = order.map((i) => s.rssiDbm[i]);
  return s;
}
