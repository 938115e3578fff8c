// What a deployment knows from its own records rather than from RSSI, here
// derived from the scenario's device mix: the share of occupants carrying a
// device the hot zones count (badge register, app uptake, Wi-Fi association
// rate). The engine needs it to compare device counts with a capacity in people.
import type { DeepPartial, EngineConfig } from '../../engine/config.ts';
import { DEFAULT_CONFIG } from '../../engine/config.ts';
import type { Tech } from '../../engine/contract/site.ts';
import type { Scenario } from '../../scenarios/types.ts';

/** Share of people with at least one device of `techs`, each technology drawn independently (as sim/devices.ts does). */
export function countedShareOf(scenario: Scenario, techs: readonly Tech[]): number {
  let without = 1;
  for (const tech of techs) {
    const spec = scenario.devices[tech];
    if (spec) without *= 1 - spec.share * (tech === 'ble-app' ? spec.optInShare : 1);
  }
  return 1 - without;
}

/** config with hotZones.countedShare filled in from the scenario, unless config sets it. */
export function withDeviceShare(scenario: Scenario, config: DeepPartial<EngineConfig>): DeepPartial<EngineConfig> {
  if (config.hotZones?.countedShare !== undefined) return config;
  const techs = (config.hotZones?.techs ?? DEFAULT_CONFIG.hotZones.techs) as Tech[];
  return { ...config, hotZones: { ...config.hotZones, countedShare: countedShareOf(scenario, techs) } };
}
