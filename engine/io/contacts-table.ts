// contacts.arrow — one row per pair of devices the engine found in contact.
//   a, b          Utf8     device ids, a < b
//   tech          Utf8     technology both devices use
//   exposureS     Float64  cumulative time within contacts.distanceM, seconds
//   minDistanceM  Float32  closest estimated distance, metres
//   firstTMs      Float64  first epoch in range, ms since start
//   lastTMs       Float64  last epoch in range, ms since start
//   zones         Utf8     zone ids where the pair was close, comma-separated in site order
import { Float32, Float64, Utf8, vectorFromArray } from 'apache-arrow';
import type { Contact } from '../outputs.ts';
import { writeArrowFile } from './arrow.ts';

export function writeContacts(path: string, contacts: readonly Contact[]): void {
  writeArrowFile(path, {
    a: vectorFromArray(contacts.map((c) => c.a), new Utf8()),
    b: vectorFromArray(contacts.map((c) => c.b), new Utf8()),
    tech: vectorFromArray(contacts.map((c) => c.tech), new Utf8()),
    exposureS: vectorFromArray(contacts.map((c) => c.exposureS), new Float64()),
    minDistanceM: vectorFromArray(contacts.map((c) => c.minDistanceM), new Float32()),
    firstTMs: vectorFromArray(contacts.map((c) => c.firstTMs), new Float64()),
    lastTMs: vectorFromArray(contacts.map((c) => c.lastTMs), new Float64()),
    zones: vectorFromArray(contacts.map((c) => c.zones.join(',')), new Utf8()),
  });
}
