// Device heterogeneity: a fleet is a mix of device models, and a model's
// radio differs from another's by more than a unit's tolerance: its transmit
// power and its receiver's RSSI reporting are offset by the same amount for
// every unit of that model (so the offsets come in groups, which a per-device
// calibration can learn but a per-site one cannot; the receive offset is one
// of reporting: the phone reports its floor offset with its readings and
// detects what it did, as the UJI library's phone1 reads 17 dB above the other
// two, its weakest readings 10-12 dB higher, and hears 9.6 beacons a scan
// against their 15.9-16.9), and its antenna is not
// isotropic: the gain follows a cosine of the direction of the AP relative to
// the way the carrier faces, with a phase per unit (how it sits in the pocket).
//
// Parameters and their sources (each fitted value beside its default:
// bench/studies/radio-fit/world-effects.ts, bench/results/world-effects.md):
// - MODEL_OFFSET_SIGMA_DB 10: the receive offsets of the three phones of
//   ble-localization-uji's library set (+11.7, -6.5, -5.2 dB against their
//   mean, over the 1,219 (point, beacon) pairs all three measured; sample sd
//   10.2 dB; bench/studies/radio-fit/device-models-fit.ts). Transmit offsets
//   take the same spread (no data pairs one transmitter model with another
//   at fixed points).
// - PHONE_MODELS 10: distinct phone models among a workplace's phones
//   (assumed, not calibrated); badges come from one vendor: BADGE_MODELS 1.
// - ANTENNA_DEPTH_DB 1.5: peak-to-trough gain of a tag's antenna by direction,
//   with no body near it: ble-anchors-calib2021's tag on its robot pole, each
//   anchor's RSSI fitted by log-distance plus a cosine of (bearing to the
//   anchor − robot heading); median over the six anchors 1.5 dB (0.8-4.3).
import type { Tech } from '../../engine/contract/site.ts';
import { Rng } from '../rng.ts';

export const MODEL_OFFSET_SIGMA_DB = 10;
export const PHONE_MODELS = 10;
export const BADGE_MODELS = 1;
export const ANTENNA_DEPTH_DB = 1.5;

export interface DeviceModel {
  /** Added to what the device transmits, dB. */
  txOffsetDb: number;
  /** Added to the RSSI it reports of what it hears, dB. */
  rxOffsetDb: number;
}

/** The models of one technology's fleet: drawn from their own stream, so the mix does not move any other draw. */
export function deviceModels(tech: Tech, seed: number): DeviceModel[] {
  const rng = new Rng(seed, `device-models:${tech}`);
  const count = tech === 'ble-badge' ? BADGE_MODELS : PHONE_MODELS;
  return Array.from({ length: count }, () => ({ txOffsetDb: rng.normal(0, MODEL_OFFSET_SIGMA_DB), rxOffsetDb: rng.normal(0, MODEL_OFFSET_SIGMA_DB) }));
}

/** Antenna gain towards an AP at `bearingRad` for a device facing `headingRad` whose pattern peaks `phaseRad` off the heading, dB. */
export function antennaGainDb(bearingRad: number, headingRad: number, phaseRad: number): number {
  return (ANTENNA_DEPTH_DB / 2) * Math.cos(bearingRad - headingRad - phaseRad);
}
