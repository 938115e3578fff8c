// What every engine task reads besides its own rows: the site map, the
// device list, the resolved config and the run's calibrated ranging. For a
// pool it is serialized once into shared memory that every task carries
// (posting it copies nothing) and each worker decodes on its first task: the
// pool can start, and its workers load their code, while this thread still
// checks the input and calibrates. The inline path (workers = 0) builds it
// on the calling thread.
import { deserialize, serialize } from 'node:v8';
import type { EngineConfig } from '../config.ts';
import type { RangingSettings } from '../calibrate/ranging.ts';
import { siteLayout, type SiteLayout } from '../localize/layout.ts';
import type { TechRadioMap } from '../localize/types.ts';
import { readsMap } from '../localize/index.ts';
import type { DeviceInfo } from '../contract/observations.ts';
import { TECHS, type Site } from '../contract/site.ts';

export interface ContextData {
  site: Site;
  devices: readonly DeviceInfo[];
  cfg: EngineConfig;
  /** Ranging per technology: the configured models with what calibration fitted applied (engine/pipeline/calibration.ts). */
  ranging: RangingSettings;
  /** Per technology (indexed like TECHS), each AP's gain added to its ranging, dB, where self-calibration fitted them (undefined: none). */
  apGainDb: (Float32Array | undefined)[];
  /** Survey radio map per technology, indexed like TECHS (undefined: none). */
  maps: (TechRadioMap | undefined)[];
}

export interface EngineContext extends ContextData {
  layout: SiteLayout;
  /** Technology (index into TECHS) of every device. */
  deviceTech: Uint8Array;
  /** The factor from a fix's 68% radius back to its spread: the map localizer's own when it had a map. */
  fixRadiusScale: number;
}

/** layout: the site's, when the caller has built it already (the inline path). */
export function engineContext(data: ContextData, layout: SiteLayout = siteLayout(data.site)): EngineContext {
  const { cfg, maps } = data;
  const fixRadiusScale = readsMap(cfg.localize.method) && maps.some(Boolean) ? cfg.localize.map.radiusScale : cfg.localize.wls.radiusScale;
  return { ...data, layout, deviceTech: Uint8Array.from(data.devices, (d) => TECHS.indexOf(d.tech)), fixRadiusScale };
}

/** data, serialized into shared memory for the pool's tasks to carry. */
export function shareContext(data: ContextData): SharedArrayBuffer {
  const bytes = serialize(data);
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  return shared;
}

/** The context shareContext serialized. */
export function sharedContext(shared: SharedArrayBuffer): EngineContext {
  return engineContext(deserialize(new Uint8Array(shared)) as ContextData);
}
