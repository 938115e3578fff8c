// Which devices may have location history, journeys and contacts kept.
import type { DeviceInfo } from '../contract/observations.ts';
import type { PrivacyRules } from '../contract/privacy.ts';

/** keeps[i]: devices[i]'s location may be stored under `rules`. */
export function consentMask(devices: readonly DeviceInfo[], rules: PrivacyRules): boolean[] {
  const optedIn = new Set(rules.optedIn);
  return devices.map((d) => mayKeep(d, rules, optedIn));
}

/** Whether device d's location may be stored; `optedIn`: rules.optedIn as a set. */
export function mayKeep(d: DeviceInfo, rules: PrivacyRules, optedIn: ReadonlySet<string>): boolean {
  const policy = rules.collection[d.tech];
  return policy === 'keep' || (policy === 'opt-in' && optedIn.has(d.id));
}
