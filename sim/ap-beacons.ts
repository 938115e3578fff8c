// AP-to-AP beacons: every AP hears the Wi-Fi and BLE beacons of the other
// APs on its floor, through the same radio chain as devices. A deployment
// gets these for free (APs scan their neighbours), and since both ends sit
// at known positions they let the engine calibrate its path-loss model with
// no survey (engine/calibrate/). Reported as their own batch: device
// `ap:<apId>` with tech 'wifi' (Wi-Fi beacon) or 'ble-badge' (BLE beacon),
// one report per heard pair every AP_BEACON_REPORT_S.
import { AP_BEACON_PREFIX, type DeviceInfo, type ObservationBatch } from '../engine/contract/observations.ts';
import type { Band } from '../engine/contract/site.ts';
import type { Scenario } from '../scenarios/types.ts';
import { ObservationColumns } from '../engine/contract/observation-columns.ts';
import type { BandChannel } from './radio/channel.ts';
import { Rng } from './rng.ts';

/** APs forward one neighbour-scan report per neighbour this often, seconds. */
export const AP_BEACON_REPORT_S = 60;

export function simulateApBeacons(scenario: Scenario, channels: Record<Band, BandChannel>): ObservationBatch {
  const aps = scenario.site.aps;
  const devices: DeviceInfo[] = [];
  /** Per beacon device: band, transmitting AP index. */
  const links: { band: Band; tx: number; device: number }[] = [];
  for (const band of ['wifi', 'ble'] as const) {
    aps.forEach((ap, tx) => {
      if (!ap.radios[band]) return;
      links.push({ band, tx, device: devices.length });
      devices.push({ id: `${AP_BEACON_PREFIX}${ap.id}`, tech: band === 'wifi' ? 'wifi' : 'ble-badge' });
    });
  }
  const rng = new Rng(scenario.seed, 'ap-beacons');
  const out = new ObservationColumns();
  const stepMs = AP_BEACON_REPORT_S * 1000;
  for (let tMs = 0; tMs < scenario.durationS * 1000; tMs += stepMs) {
    for (const { band, tx, device } of links) {
      const channel = channels[band];
      if (!channel.onAir(tx)) continue;
      const src = aps[tx];
      for (const rx of channel.apsHearing(src.floor)) {
        if (rx === tx || aps[rx].floor !== src.floor) continue; // calibration uses same-floor pairs
        const mean = channel.meanRxDbm(rx, src.radios[band]!.txPowerDbm, src.x, src.y, src.floor);
        const rssiDbm = channel.receive(mean, channel.lineOfSight, rng, channel.lossShareAt(rx));
        if (!Number.isNaN(rssiDbm)) out.push(tMs, device, rx, rssiDbm);
      }
    }
  }
  return out.toBatch(devices);
}
