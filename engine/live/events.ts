// What the live engine tells its users, one event at a time. tMs is the
// stream time the event is about (the epoch of a fix, when a visit began or
// ended, the end of the interval an alert was raised in); hot-zone events
// carry counts only, never device ids.
import type { Contact } from '../outputs.ts';

export interface FixEvent {
  type: 'fix';
  tMs: number;
  deviceId: string;
  x: number;
  y: number;
  floor: number;
  errorRadiusM: number;
}

export interface ZoneEnterEvent {
  type: 'zone-enter';
  /** When the visit began (backdated to the first vote for the zone). */
  tMs: number;
  deviceId: string;
  zone: string;
}

export interface ZoneExitEvent {
  type: 'zone-exit';
  /** When the visit ended. */
  tMs: number;
  deviceId: string;
  zone: string;
  enterTMs: number;
}

export interface HotZoneRaisedEvent {
  type: 'hotzone-raised';
  tMs: number;
  zone: string;
  /** When occupancy first went over the threshold in the run that raised it. */
  risingTMs: number;
  occupancy: number;
  threshold: number;
}

export interface HotZoneClearedEvent {
  type: 'hotzone-cleared';
  tMs: number;
  zone: string;
  raisedTMs: number;
  peakOccupancy: number;
}

/**
 * 'contact': the pair's exposure reached contacts.minExposureS; 'contact-end':
 * a reported pair's totals close (a device went idle or the stream ended).
 * The batch contact's fields (device ids a < b), exposure so far.
 */
export interface ContactEvent extends Omit<Contact, 'lastTMs'> {
  type: 'contact' | 'contact-end';
  tMs: number;
}

export type LiveEvent = FixEvent | ZoneEnterEvent | ZoneExitEvent | HotZoneRaisedEvent | HotZoneClearedEvent | ContactEvent;

export type LiveEventType = LiveEvent['type'];

export const EVENT_TYPES: readonly LiveEventType[] = ['fix', 'zone-enter', 'zone-exit', 'hotzone-raised', 'hotzone-cleared', 'contact', 'contact-end'];
