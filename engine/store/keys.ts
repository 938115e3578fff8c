// The store's keys. The admin's master key (32 bytes, from CTSIM_STORE_KEY
// or a key file) derives, with HKDF-SHA-256, one data key per kind of data,
// so no key serves two purposes and a role can be handed exactly the keys
// for what it may read (credentials.ts wraps them per credential):
//   zones      hot-zone counts                        viewer, analyst, admin
//   history    tracks, contacts, journeys             analyst, admin
//   blindIndex finds a pseudonym's rows                analyst, admin
//   identity   device → person bindings               admin
//   pseudonym  the organisation secret behind ps- ids  admin
//   registry   the credential registry, the key check admin
import { hkdfSync } from 'node:crypto';
import { InputError } from '../contract/input-error.ts';
import type { Role } from './roles.ts';

export const DATA_KEYS = ['zones', 'history', 'blindIndex', 'identity', 'pseudonym', 'registry'] as const;
export type DataKeyName = (typeof DATA_KEYS)[number];
/** The data keys one holder has: a missing key is data it cannot decrypt. */
export type DataKeys = Partial<Record<DataKeyName, Uint8Array>>;

export const ROLE_KEYS: Record<Role, readonly DataKeyName[]> = {
  viewer: ['zones'],
  analyst: ['zones', 'history', 'blindIndex'],
  admin: DATA_KEYS,
};

/** Keys of one credential (or of the master key), from its 32-byte secret. */
export interface HolderKeys {
  /** Unwraps the credential's data keys from the registry. */
  wrap: Uint8Array;
  /** HMAC key chaining the audit entries this holder appends. */
  auditChain: Uint8Array;
  /** AES-256-GCM key sealing those entries. */
  auditSeal: Uint8Array;
  /** HMAC key of the audit anchors this holder writes. */
  anchor: Uint8Array;
}

const KEY_HEX = /^[0-9a-fA-F]{64}$/;

/** `text`: 64 hex characters (surrounding whitespace ignored); `source` names where it came from for the error. */
export function parseMasterKey(text: string, source: string): Uint8Array {
  const hex = text.trim();
  if (!KEY_HEX.test(hex)) throw new InputError(`${source}: store key must be 64 hex characters (32 bytes), got ${hex.length} characters`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function hkdf(secret: Uint8Array, purpose: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, new Uint8Array(0), `ctsim store ${purpose}`, 32));
}

export function deriveDataKeys(master: Uint8Array): Required<DataKeys> {
  return {
    zones: hkdf(master, 'zones'),
    history: hkdf(master, 'history'),
    // 'blind index' and 'pseudonym' as before credentials existed: pseudonyms stay stable.
    blindIndex: hkdf(master, 'blind index'),
    identity: hkdf(master, 'identity'),
    pseudonym: hkdf(master, 'pseudonym'),
    registry: hkdf(master, 'registry'),
  };
}

export function holderKeys(secret: Uint8Array): HolderKeys {
  return { wrap: hkdf(secret, 'credential wrap'), auditChain: hkdf(secret, 'audit chain'), auditSeal: hkdf(secret, 'audit seal'), anchor: hkdf(secret, 'audit anchor') };
}

/** The master key's own holder secret: derivable from the registry key, so any admin can check its audit entries. */
export function masterHolderSecret(registry: Uint8Array): Uint8Array {
  return hkdf(registry, 'master holder');
}
