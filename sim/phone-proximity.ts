// Phone-to-phone BLE: every ble-app phone scans every intervalS and hears the
// adverts of the other app phones on its floor through the BLE channel's
// chain (log-distance path loss, walls, per-phone offsets, fading, packet
// loss, sensitivity). Phones are at the same height, so the distance is 2-D.
import type { PhoneRssiBatch } from '../engine/proximity/phone-rssi.ts';
import type { Scenario } from '../scenarios/types.ts';
import { Column } from './columns.ts';
import type { Carrier } from './devices.ts';
import type { BandChannel } from './radio/channel.ts';
import { logDistanceLossDb } from './radio/pathLoss.ts';
import { packWalls, wallLossDb, type PackedWalls } from './radio/walls.ts';
import { Rng } from './rng.ts';
import { ABSENT_FLOOR, TrackCursor } from './track.ts';
import type { Track } from './types.ts';

/** Per-phone RSSI offset (hardware, case, how it is carried) standard deviation, dB. */
const PHONE_OFFSET_SIGMA_DB = 3;

export function simulatePhoneProximity(scenario: Scenario, tracks: readonly Track[], carriers: readonly Carrier[], channel: BandChannel): PhoneRssiBatch {
  const spec = scenario.devices['ble-app'];
  const apps = carriers.filter((c) => c.tech === 'ble-app');
  const phones = apps.map((c) => c.deviceIdx);
  const tMs = new Column((n) => new Float64Array(n));
  const scanner = new Column((n) => new Uint32Array(n));
  const advertiser = new Column((n) => new Uint32Array(n));
  const rssiDbm = new Column((n) => new Float32Array(n));
  if (spec && phones.length > 1) {
    const rng = new Rng(scenario.seed, 'phone-proximity');
    const offsetDb = phones.map(() => rng.normal(0, PHONE_OFFSET_SIGMA_DB));
    const cursors = apps.map((c) => new TrackCursor(tracks[c.person]));
    const walls = new Map<number, PackedWalls>(scenario.site.floors.map((f) => [f.id, packWalls(scenario.site.walls.filter((w) => w.floor === f.id))]));
    const { refLossDbAt1m, pathLossExponent } = scenario.radio.ble;
    for (let t = 0; t < scenario.durationS * 1000; t += spec.intervalS * 1000) {
      for (const c of cursors) c.seek(t);
      for (let i = 0; i < phones.length; i++) {
        const rx = cursors[i];
        if (rx.floor === ABSENT_FLOOR) continue;
        for (let j = 0; j < phones.length; j++) {
          const tx = cursors[j];
          if (j === i || tx.floor !== rx.floor) continue;
          const wallDb = wallLossDb(walls.get(rx.floor)!, rx.x, rx.y, tx.x, tx.y);
          const meanDbm = spec.txPowerDbm - logDistanceLossDb(Math.hypot(rx.x - tx.x, rx.y - tx.y), refLossDbAt1m, pathLossExponent) - wallDb + offsetDb[i] + offsetDb[j];
          const rssi = channel.receive(meanDbm, wallDb === 0, rng);
          if (Number.isNaN(rssi)) continue;
          tMs.push(t);
          scanner.push(phones[i]);
          advertiser.push(phones[j]);
          rssiDbm.push(rssi);
        }
      }
    }
  }
  return { length: tMs.length, tMs: tMs.toArray(), scanner: scanner.toArray(), advertiser: advertiser.toArray(), rssiDbm: rssiDbm.toArray() };
}
