// An audit anchor: the log's entry count and head chain value, MACed with
// the anchor key of the credential that wrote it, kept by the user outside
// the store. The store alone cannot prove that nothing was cut from the end
// of its log or that it was not swapped for an older copy of itself (both
// leave a consistent chain); the anchor can: the log must still hold the
// anchored entry, unchanged, and at least as many entries.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InputError } from '../contract/input-error.ts';

export interface Anchor {
  /** The store's random id (meta store_id), hex. */
  store: string;
  /** Hex id of the credential whose anchor key MACs it. */
  credential: string;
  entries: number;
  /** Chain value of entry `entries`, hex. */
  head: string;
  mac: string;
}

const HEX = /^[0-9a-f]+$/;

function macOf(key: Uint8Array, a: Omit<Anchor, 'mac'>): string {
  return createHmac('sha256', key).update(JSON.stringify(['ctsim audit anchor v1', a.store, a.credential, a.entries, a.head])).digest('hex');
}

export function makeAnchor(key: Uint8Array, a: Omit<Anchor, 'mac'>): Anchor {
  return { ...a, mac: macOf(key, a) };
}

export function parseAnchor(text: string, file: string): Anchor {
  let a: Partial<Anchor>;
  try {
    a = JSON.parse(text);
  } catch {
    throw new InputError(`anchor ${file}: not JSON`);
  }
  const ok = typeof a === 'object' && a !== null && [a.store, a.credential, a.head, a.mac].every((v) => typeof v === 'string' && HEX.test(v)) && Number.isSafeInteger(a.entries) && a.entries! >= 1;
  if (!ok) throw new InputError(`anchor ${file}: not an audit anchor (expected store, credential, entries, head, mac as written by --anchor)`);
  return a as Anchor;
}

/**
 * What is wrong with the log against the anchor, or null if it agrees.
 * `chainAt`: the chain value the log holds at entry `anchor.entries` (null if it has no such entry).
 */
export function anchorProblem(anchor: Anchor, key: Uint8Array, storeId: string, entries: number, chainAt: Uint8Array | null): string | null {
  const mac = Buffer.from(macOf(key, anchor), 'hex');
  if (mac.length !== anchor.mac.length / 2 || !timingSafeEqual(mac, Buffer.from(anchor.mac, 'hex'))) return 'the anchor was altered or written for another store (its MAC does not match)';
  if (anchor.store !== storeId) return 'the anchor belongs to another store';
  if (entries < anchor.entries) return `the log has ${entries} ${entries === 1 ? 'entry' : 'entries'} but the anchor records ${anchor.entries} (entries deleted, or the store rolled back to an earlier copy)`;
  if (chainAt === null || Buffer.from(chainAt).toString('hex') !== anchor.head) return `entry ${anchor.entries} is not the one anchored (log rewritten, or the store replaced)`;
  return null;
}
