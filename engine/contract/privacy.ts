// Privacy rules a site sets: how long location history is kept and, per
// device class, whether a device's specific location may be kept at all.
import type { Tech } from './site.ts';

/**
 * 'keep': location history, journeys and contacts are stored.
 * 'count-only': the device counts towards zone occupancy, nothing about it is stored.
 * 'opt-in': kept only for devices listed in `optedIn`; the others count only.
 */
export type CollectionPolicy = 'keep' | 'count-only' | 'opt-in';
export const COLLECTION_POLICIES: readonly CollectionPolicy[] = ['keep', 'count-only', 'opt-in'];

export interface PrivacyRules {
  /** Location history older than this many days is purged (on ingest and by `store purge`). */
  retentionDays: number;
  /** Per device class. */
  collection: Record<Tech, CollectionPolicy>;
  /**
   * Raw ids of devices whose owner consented to their location history being kept (the consent register).
   * Storage consent only: whether a device reports at all is outside the engine (the simulator's devices.ble-app.optInShare).
   */
  optedIn: string[];
}

export const DEFAULT_PRIVACY: PrivacyRules = {
  retentionDays: 30,
  collection: {
    // A connected phone belongs to an enrolled user of the network.
    wifi: 'keep',
    // Probing phones use randomized MACs and never agreed to anything.
    'wifi-probe': 'count-only',
    // Badges are issued by the site; its policy decides (default: tracked).
    'ble-badge': 'keep',
    'ble-app': 'opt-in',
  },
  optedIn: [],
};

export const DAY_MS = 86_400_000;

/** Longest retention a site may set, days: 100 years (a cutoff any date type holds). */
export const MAX_RETENTION_DAYS = 36_500;

/** History last seen before this is past retention. */
export function retentionCutoffMs(nowMs: number, retentionDays: number): number {
  return nowMs - retentionDays * DAY_MS;
}
