// ctsim twin --phone-log FILE: the twin of a phone-to-phone log
// (bench/twin/phone-twin.ts), read as `ctsim proximity --log` reads it
// (engine/io/phone-log.ts: csv tS,scanner,advertiser,rssiDbm[,scannerModel,
// advertiserModel,distanceM], or the pcng / mitll layouts); only readings
// with a true distance are used. Each phone is carried as --carry says
// (ID=hand|pocket|lanyard, repeatable; hand when not named). Prints the rows
// with verdicts and writes fidelity.json.
import { DEFAULT_CONFIG } from '../engine/config.ts';
import { InputError } from '../engine/contract/input-error.ts';
import { replaceDir, writeFileAtomic } from '../engine/io/atomic-write.ts';
import { readPhoneLog, type PhoneLogFormat } from '../engine/io/phone-log.ts';
import { CARRY_POSITIONS, type CarryPosition, type Radio } from '../scenarios/types.ts';
import { fidelityTable } from '../bench/twin/format.ts';
import { runPhoneTwin } from '../bench/twin/phone-twin.ts';
import { WINDOW_S } from '../bench/studies/real-data/en-proximity.ts';

/** --carry ID=position, each position one of the simulator's carry positions. */
export function parseCarry(given: readonly string[]): (phone: string) => CarryPosition {
  const carry = new Map<string, CarryPosition>();
  for (const g of given) {
    const at = g.lastIndexOf('=');
    const id = g.slice(0, at), position = g.slice(at + 1);
    if (at <= 0 || !(CARRY_POSITIONS as readonly string[]).includes(position)) {
      throw new InputError(`--carry: give ID=${CARRY_POSITIONS.join('|')}, got '${g}'`);
    }
    carry.set(id, position as CarryPosition);
  }
  return (phone) => carry.get(phone) ?? 'hand';
}

export function runPhoneLogTwin(a: { path: string; format: PhoneLogFormat; carry: readonly string[]; base: Radio; seed: number; out: string }): void {
  const log = readPhoneLog(a.path, a.format);
  const phones = new Set(log.flatMap((r) => [r.scanner, r.advertiser]));
  const stranger = a.carry.map((g) => g.slice(0, g.lastIndexOf('='))).find((id) => !phones.has(id));
  if (stranger !== undefined) throw new InputError(`--carry ${stranger}: no phone of that id in ${a.path} (it has ${[...phones].slice(0, 6).join(', ')}${phones.size > 6 ? ', ...' : ''})`);
  const report = runPhoneTwin(log, {
    seed: a.seed, base: a.base, carryOf: parseCarry(a.carry), windowS: WINDOW_S, proximity: DEFAULT_CONFIG.proximity, contactM: DEFAULT_CONFIG.contacts.distanceM,
  });
  replaceDir(a.out, 'fidelity.json', (dir) => writeFileAtomic(`${dir}/fidelity.json`, JSON.stringify({ split: 'time: each stream\'s first half calibrates', ...report }, null, 2) + '\n'));
  const c = report.calibration;
  process.stdout.write(`Calibrated the phone link on ${report.reports.calibrate.toLocaleString('en-US')} readings (each stream's first half): `
    + `${c.refRssiDbmAt1m.toFixed(1)} dBm at 1 m, exponent ${c.pathLossExponent.toFixed(2)}, slow σ ${c.slowSigmaDb.toFixed(1)} dB over ${c.slowCorrelationS.toFixed(1)} s, fading σ ${c.fadingSigmaDb.toFixed(1)} dB (K ${c.ricianKDb} dB), `
    + `packet loss ${c.packetLoss.toFixed(2)}, sensitivity ${c.sensitivityDbm} dBm, scans every ${c.intervalS} s; `
    + `streams off the line by a static σ ${c.staticSigmaDb.toFixed(1)} dB; a stream's second half keeps ${Math.round(c.staticKept * 100)} % of its offset, ${Math.round(c.spreadKept * 100)} % of its spread off the pooled one\n`);
  process.stdout.write(`Test part: ${report.reports.realTest.toLocaleString('en-US')} real, ${report.reports.simTest.toLocaleString('en-US')} simulated readings\n${fidelityTable(report.rows)}\n`);
  process.stdout.write(`${report.rows.filter((r) => r.pass).length} of ${report.rows.length} rows within tolerance. Wrote ${a.out}/fidelity.json\n`);
}
