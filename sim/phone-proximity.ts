// Phone-to-phone BLE: every ble-app phone scans every intervalS and hears the
// adverts of the other app phones on its floor: the phone-to-phone link's own
// log-distance line (radio.ble.phoneLink, fitted on real phone pairs; phones
// advertise far weaker than APs, so the AP-side refLoss and the ble-app
// txPowerDbm do not apply), walls, each phone's carry body loss, per-phone
// offsets, with radio.effects.temporal a slow component per pair
// (sim/radio/temporal.ts, the BLE band's slowSigmaDb and slowCorrelationS;
// shared by both directions, the link being reciprocal), then the BLE
// channel's fading, packet loss and sensitivity.
// Phones are at the same height, so the distance is 2-D.
//
// People sit still most of the day, so a pair's mean (path loss, walls,
// offsets) is kept until either phone moves, and a pair whose mean no fade
// can lift to sensitivity is skipped without a draw: at campus scale that is
// most pairs on a floor, and tracing walls for every pair every scan was
// most of the simulator's time.
import type { PhoneRssiBatch } from '../engine/contract/phone-rssi.ts';
import { GrowableColumn } from '../engine/contract/typed-arrays.ts';
import type { Scenario } from '../scenarios/types.ts';
import type { Carrier } from './devices.ts';
import type { BandChannel } from './radio/channel.ts';
import { logDistanceLossDb } from './radio/path-loss.ts';
import { slowComponentDb, type TemporalParams } from './radio/temporal.ts';
import { FloorWalls } from './radio/wall-loss.ts';
import { Rng } from './rng.ts';
import { ABSENT_FLOOR, TrackCursor } from './track.ts';
import type { Track } from './types.ts';

export function simulatePhoneProximity(scenario: Scenario, tracks: readonly Track[], carriers: readonly Carrier[], channel: BandChannel): PhoneRssiBatch {
  const spec = scenario.devices['ble-app'];
  const apps = carriers.filter((c) => c.tech === 'ble-app');
  const phones = apps.map((c) => c.deviceIdx);
  const tMs = new GrowableColumn(Float64Array);
  const scanner = new GrowableColumn(Uint32Array);
  const advertiser = new GrowableColumn(Uint32Array);
  const rssiDbm = new GrowableColumn(Float32Array);
  if (spec && phones.length > 1) {
    const rng = new Rng(scenario.seed, 'phone-proximity');
    const { refRssiDbmAt1m, pathLossExponent, offsetSigmaDb } = scenario.radio.ble.phoneLink;
    const { bodyLossDb } = scenario.radio.ble;
    // Each phone's own gain: its offset, less its carry body loss (the link's level is hand to hand).
    const gainDb = phones.map((_, p) => rng.normal(0, offsetSigmaDb) - (scenario.radio.effects.bodyLoss ? bodyLossDb[apps[p].carry] : 0));
    const cursors = apps.map((c) => new TrackCursor(tracks[c.person]));
    const walls = new Map(scenario.site.floors.map((f) => [f.id, new FloorWalls(scenario.site.walls.filter((w) => w.floor === f.id))]));
    const n = phones.length;
    // Pair (i < j) at i·n + j: its mean, line of sight, and the phones' position versions it was computed at.
    const pairMeanDbm = new Float32Array(n * n);
    const pairLos = new Uint8Array(n * n);
    const pairVersion = new Uint32Array(n * n * 2);
    const version = new Uint32Array(n).fill(1);
    const lastX = new Float64Array(n).fill(NaN), lastY = new Float64Array(n).fill(NaN);
    const lastFloor = new Int16Array(n).fill(ABSENT_FLOOR);
    const ble = scenario.radio.ble;
    // Its own stream, so switching the effect on leaves every other draw as it was; per pair, made when first heard.
    const slow = scenario.radio.effects.temporal && ble.slowSigmaDb > 0
      ? { params: { slowSigmaDb: ble.slowSigmaDb, correlationS: ble.slowCorrelationS } as TemporalParams, rng: new Rng(scenario.seed, 'phone-temporal'), pairs: new Map<number, { db: number; atS: number }>() }
      : null;
    // Below this mean not even the strongest fade (and slow component, at 4 sd) rounds up to sensitivity.
    const minMeanDbm = channel.sensitivityDbm - 0.5 - channel.fadingMaxDb - (slow ? 4 * ble.slowSigmaDb : 0);
    const onFloor = new Map<number, number[]>();
    for (let t = 0; t < scenario.durationS * 1000; t += spec.intervalS * 1000) {
      onFloor.clear();
      for (let p = 0; p < n; p++) {
        const c = cursors[p];
        c.seek(t);
        if (c.x !== lastX[p] || c.y !== lastY[p] || c.floor !== lastFloor[p]) {
          version[p]++;
          lastX[p] = c.x;
          lastY[p] = c.y;
          lastFloor[p] = c.floor;
        }
        if (c.floor === ABSENT_FLOOR) continue;
        const list = onFloor.get(c.floor);
        if (list) list.push(p);
        else onFloor.set(c.floor, [p]);
      }
      for (let i = 0; i < n; i++) {
        const rx = cursors[i];
        if (rx.floor === ABSENT_FLOOR) continue;
        for (const j of onFloor.get(rx.floor)!) {
          if (j === i) continue;
          const lo = Math.min(i, j), hi = Math.max(i, j);
          const pair = lo * n + hi;
          if (pairVersion[2 * pair] !== version[lo] || pairVersion[2 * pair + 1] !== version[hi]) {
            const tx = cursors[j];
            const wallDb = walls.get(rx.floor)!.lossDb(cursors[lo].x, cursors[lo].y, cursors[hi].x, cursors[hi].y);
            pairMeanDbm[pair] = refRssiDbmAt1m - logDistanceLossDb(Math.hypot(rx.x - tx.x, rx.y - tx.y), 0, pathLossExponent) - wallDb + gainDb[i] + gainDb[j];
            pairLos[pair] = wallDb === 0 ? 1 : 0;
            pairVersion[2 * pair] = version[lo];
            pairVersion[2 * pair + 1] = version[hi];
          }
          if (pairMeanDbm[pair] < minMeanDbm) continue;
          let meanDbm = pairMeanDbm[pair];
          if (slow) {
            let link = slow.pairs.get(pair);
            if (!link) slow.pairs.set(pair, (link = { db: 0, atS: NaN }));
            // Once per scan time: both directions of a pair share it.
            if (link.atS !== t / 1000) {
              link.db = slowComponentDb(link.db, link.atS, t / 1000, slow.params, slow.rng);
              link.atS = t / 1000;
            }
            meanDbm += link.db;
          }
          const rssi = channel.receive(meanDbm, pairLos[pair] === 1, rng);
          if (Number.isNaN(rssi)) continue;
          tMs.push(t);
          scanner.push(phones[i]);
          advertiser.push(phones[j]);
          rssiDbm.push(rssi);
        }
      }
    }
  }
  // Shared memory: the engine's phone-contact task reads it in place.
  return { length: tMs.length, tMs: tMs.toShared(), scanner: scanner.toShared(), advertiser: advertiser.toShared(), rssiDbm: rssiDbm.toShared() };
}
