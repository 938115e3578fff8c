// Who carries what, and the ids the APs see. Carriers of each technology are
// drawn from that technology's own stream (exactly round(share * people)),
// so changing one device share moves no other draw.
import type { DeviceInfo } from '../engine/observations.ts';
import { TECHS, type Tech } from '../engine/site.ts';
import type { Scenario } from '../scenarios/types.ts';
import { Rng } from './rng.ts';

export interface Devices {
  /** Ordered by technology (TECHS order), then owner. */
  devices: DeviceInfo[];
  /** owner[deviceIdx] = person index. */
  owner: Uint32Array;
}

export function assignDevices(scenario: Scenario, personCount: number): Devices {
  const devices: DeviceInfo[] = [];
  const owners: number[] = [];
  const idRng = new Rng(scenario.seed, 'device-ids');
  const usedMacs = new Set<string>();
  for (const tech of TECHS) {
    const spec = scenario.devices[tech];
    if (!spec) continue;
    const rng = new Rng(scenario.seed, `carry:${tech}`);
    const people = Array.from({ length: personCount }, (_, i) => i);
    const carriers = rng.shuffle(people).slice(0, Math.round(spec.share * personCount)).sort((a, b) => a - b);
    carriers.forEach((person, k) => {
      devices.push({ id: deviceId(tech, k, idRng, usedMacs), tech });
      owners.push(person);
    });
  }
  return { devices, owner: Uint32Array.from(owners) };
}

function deviceId(tech: Tech, k: number, rng: Rng, usedMacs: Set<string>): string {
  switch (tech) {
    case 'wifi':
      return `wifi-${uniqueMac(rng, usedMacs)}`;
    case 'wifi-probe':
      return `probe-${uniqueMac(rng, usedMacs)}`;
    case 'ble-badge':
      return `badge-${String(k + 1).padStart(4, '0')}`;
    case 'ble-app':
      return `app-${String(k + 1).padStart(4, '0')}`;
  }
}

function uniqueMac(rng: Rng, used: Set<string>): string {
  for (;;) {
    const mac = Array.from({ length: 6 }, () => rng.int(256).toString(16).padStart(2, '0')).join(':');
    if (!used.has(mac)) {
      used.add(mac);
      return mac;
    }
  }
}
