// A small real-format log made by the simulator with a known radio model, for
// the calibrate and twin tests: a 30 × 20 m floor, six BLE APs, three badges
// walking the floor's rows with 20 s stops, written as site.json,
// observations.csv and positions.csv (the documented twin format).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Site } from '../../engine/contract/site.ts';
import { validateRadio } from '../../scenarios/validate.ts';
import type { Radio } from '../../scenarios/types.ts';
import { TrackBuilder } from '../../sim/track.ts';
import { simulateTwin, twinScenario, type TwinDevice } from '../../bench/twin/simulate.ts';

export const TRUE_BLE = {
  pathLossExponent: 2.2, refLossDbAt1m: 60, shadowingSigmaDb: 4, shadowingDecorrelationM: 3, ricianKDb: 3,
  sensitivityDbm: -110, packetLoss: 0.1, slowSigmaDb: 3, slowCorrelationS: 5, deviceOffsetSigmaDb: 0, channelOffsetSigmaDb: 0,
};

export function knownRadio(): Radio {
  const wifi = { pathLossExponent: 3, refLossDbAt1m: 40, shadowingSigmaDb: 4, shadowingDecorrelationM: 3, ricianKDb: 3, sensitivityDbm: -90, packetLoss: 0.1 };
  return validateRadio({ wifi, ble: TRUE_BLE, effects: { temporal: true } }, 'test radio');
}

/** The floor, six BLE APs on it; with `upstairs`, a second floor 4 m up with six more above them (the badges stay on the ground floor). */
export function testSite(upstairs = false): Site {
  const places = [[2, 2], [15, 2], [28, 2], [2, 18], [15, 18], [28, 18]];
  const aps = [0, ...(upstairs ? [1] : [])].flatMap((floor) => places.map(([x, y], i) => ({ id: `b${floor * places.length + i}`, floor, x, y, radios: { ble: { txPowerDbm: 0 } } })));
  const floors = [{ id: 0, name: 'ground', widthM: 30, heightM: 20, elevationM: 0 }, ...(upstairs ? [{ id: 1, name: 'first', widthM: 30, heightM: 20, elevationM: 4 }] : [])];
  return { floors, walls: [], zones: [], aps };
}

/** Stops of a walk over the whole floor, rows 3 m apart, 4 m between stops. */
const STOPS = [3, 6, 9, 12, 15, 18].flatMap((y, row) => [3, 7, 11, 15, 19, 23, 27].map((x) => [row % 2 ? 30 - x : x, y]));

/** Three badges: each walks the floor's rows at 0.5 m/s, stopping 20 s at every stop, starting at a different stop. */
function devices(minutes: number): TwinDevice[] {
  return [0, 1, 2].map((d) => {
    const b = new TrackBuilder();
    let t = 0, c = d * 14;
    while (t < minutes * 60_000) {
      const [x, y] = STOPS[c % STOPS.length], [nx, ny] = STOPS[(c + 1) % STOPS.length];
      b.add(t, x, y, 0);
      t += 20_000;
      b.add(t, x, y, 0);
      t += (Math.hypot(nx - x, ny - y) / 0.5) * 1000;
      c++;
    }
    return { id: `badge-${d}`, tech: 'ble-badge', track: b.build(), intervalS: 1 };
  });
}

/** What sets one badge apart from the others (TwinDevice's offset, floor and hearing), by badge. */
export type BadgeTraits = Pick<TwinDevice, 'offsetDb' | 'floorDb' | 'hearingScale'>[];

/** Writes the log into `dir`; returns the file paths. */
export function writeTwinLog(dir: string, minutes = 12, seed = 7, radio = knownRadio(), upstairs = false, traits: BadgeTraits = []): { site: string; observations: string; positions: string } {
  const site = testSite(upstairs);
  const devs = devices(minutes).map((d, k) => ({ ...d, ...traits[k] }));
  const { observations: obs } = simulateTwin(twinScenario(site, radio, seed, {}), devs, null);
  const paths = { site: join(dir, 'site.json'), observations: join(dir, 'observations.csv'), positions: join(dir, 'positions.csv') };
  writeFileSync(paths.site, JSON.stringify(site));
  const lines = ['tMs,deviceId,tech,apId,rssiDbm'];
  for (let i = 0; i < obs.length; i++) lines.push(`${obs.tMs[i]},${obs.devices[obs.deviceIdx[i]].id},ble-badge,${site.aps[obs.apIdx[i]].id},${obs.rssiDbm[i]}`);
  writeFileSync(paths.observations, lines.join('\n') + '\n');
  const pos = ['tMs,deviceId,floor,x,y'];
  for (const d of devs) {
    // Sampled every second, as a tracker would log it.
    const end = d.track.tMs[d.track.tMs.length - 1];
    let k = 0;
    for (let t = 0; t <= end; t += 1000) {
      while (k + 1 < d.track.tMs.length && d.track.tMs[k + 1] <= t) k++;
      const f = k + 1 < d.track.tMs.length ? (t - d.track.tMs[k]) / (d.track.tMs[k + 1] - d.track.tMs[k]) : 0;
      const x = d.track.x[k] + f * ((d.track.x[k + 1] ?? d.track.x[k]) - d.track.x[k]);
      const y = d.track.y[k] + f * ((d.track.y[k + 1] ?? d.track.y[k]) - d.track.y[k]);
      pos.push(`${t},${d.id},0,${x.toFixed(3)},${y.toFixed(3)}`);
    }
  }
  writeFileSync(paths.positions, pos.join('\n') + '\n');
  return paths;
}
