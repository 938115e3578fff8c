// Who carries what, and the ids the APs see. Carriers of each technology are
// drawn from that technology's own stream (exactly round(share * people)),
// so changing one device share moves no other draw. Probing phones with
// randomized MACs get no lasting id: their emitter registers a fresh one per
// burst, so the device list grows while the simulation runs.
import type { DeviceInfo } from '../engine/contract/observations.ts';
import { TECHS, type Tech } from '../engine/contract/site.ts';
import { CARRY_POSITIONS, type CarryPosition, type Scenario } from '../scenarios/types.ts';
import { Rng } from './rng.ts';

export interface Carrier {
  tech: Tech;
  person: number;
  carry: CarryPosition;
  /** Index in the registry, or -1 for a probing phone that shows a new MAC per burst. */
  deviceIdx: number;
  /** Wi-Fi on 5 GHz rather than 2.4 GHz. */
  fiveGhz: boolean;
  /** Its own gain offset when known (a digital twin's device calibrated on the real log), dB; absent: drawn from deviceOffsetSigmaDb. */
  offsetDb?: number;
  /** Its receiver's floor above the band's sensitivity, as its reports show it (a digital twin's device, bench/twin/calibrate.ts deviceFloorDb), dB; absent: 0. */
  floorDb?: number;
  /** Its hearing over the band's, as the real log showed it (a digital twin's device, bench/twin/calibrate.ts deviceHearing); absent: 1. */
  hearingScale?: number;
  /** Turns a way of its own at every spot it stops at (still there at its next emission) rather than facing the way it walked in (a digital twin's device, whose log records no facing: bench/twin/stay-facing.ts); absent: false. */
  facesAtRandom?: boolean;
}

/** Every id the APs saw, in first-seen order, with the person behind it (ground truth). */
export class DeviceRegistry {
  readonly devices: DeviceInfo[] = [];
  private readonly owners: number[] = [];
  private readonly usedMacs = new Set<string>();

  constructor(private readonly rng: Rng) {}

  add(tech: Tech, person: number, id: string): number {
    this.devices.push({ id, tech });
    this.owners.push(person);
    return this.devices.length - 1;
  }

  /** A new id for `tech` whose MAC was never handed out before. */
  addWithMac(tech: 'wifi' | 'wifi-probe', person: number, locallyAdministered = false): number {
    return this.add(tech, person, `${tech === 'wifi' ? 'wifi' : 'probe'}-${this.uniqueMac(locallyAdministered)}`);
  }

  /** owner[deviceIdx] = person index. */
  ownerArray(): Uint32Array {
    return Uint32Array.from(this.owners);
  }

  private uniqueMac(locallyAdministered: boolean): string {
    for (;;) {
      const octets = Array.from({ length: 6 }, () => this.rng.int(256));
      // Randomized MACs set the locally-administered bit and clear the multicast bit, as phones do.
      if (locallyAdministered) octets[0] = (octets[0] & 0xfc) | 0x02;
      const mac = octets.map((o) => o.toString(16).padStart(2, '0')).join(':');
      if (!this.usedMacs.has(mac)) {
        this.usedMacs.add(mac);
        return mac;
      }
    }
  }
}

export function assignDevices(scenario: Scenario, personCount: number): { registry: DeviceRegistry; carriers: Carrier[] } {
  const registry = new DeviceRegistry(new Rng(scenario.seed, 'device-ids'));
  const carriers: Carrier[] = [];
  for (const tech of TECHS) {
    const spec = scenario.devices[tech];
    if (!spec) continue;
    const rng = new Rng(scenario.seed, `carry:${tech}`);
    const people = Array.from({ length: personCount }, (_, i) => i);
    const users = rng.shuffle(people).slice(0, Math.round(spec.share * personCount));
    // App users who did not switch scanning on (optInShare) report nothing, so they get no device at all.
    const reporting = tech === 'ble-app' ? users.slice(0, Math.round(spec.optInShare * users.length)) : users;
    const positionRng = new Rng(scenario.seed, `carry-position:${tech}`);
    const bandRng = new Rng(scenario.seed, `wifi-band:${tech}`);
    reporting.sort((a, b) => a - b).forEach((person, k) => {
      const carry = pick(spec.carry, positionRng);
      const fiveGhz = spec.fiveGhzShare > 0 && bandRng.chance(spec.fiveGhzShare);
      const rotating = tech === 'wifi-probe' && spec.randomizedMac;
      const deviceIdx = rotating ? -1 : registerFixed(registry, tech, person, k);
      carriers.push({ tech, person, carry, deviceIdx, fiveGhz });
    });
  }
  return { registry, carriers };
}

function registerFixed(registry: DeviceRegistry, tech: Tech, person: number, k: number): number {
  switch (tech) {
    case 'wifi':
    case 'wifi-probe':
      return registry.addWithMac(tech, person);
    case 'ble-badge':
      return registry.add(tech, person, `badge-${String(k + 1).padStart(4, '0')}`);
    case 'ble-app':
      return registry.add(tech, person, `app-${String(k + 1).padStart(4, '0')}`);
  }
}

function pick(shares: Record<CarryPosition, number>, rng: Rng): CarryPosition {
  let u = rng.random();
  for (const p of CARRY_POSITIONS) {
    u -= shares[p];
    if (u < 0) return p;
  }
  // Rounding left u just above the last share: the last position with any share.
  return [...CARRY_POSITIONS].reverse().find((p) => shares[p] > 0) ?? 'hand';
}
