// The store's one master key (32 bytes, from CTSIM_STORE_KEY or a key file)
// and the independent subkeys derived from it with HKDF-SHA-256, so no key
// serves two purposes.
import { hkdfSync } from 'node:crypto';

export interface StoreKeys {
  /** AES-256-GCM key for every stored payload. */
  encryption: Uint8Array;
  /** HMAC key for the blind index that finds a device's rows without storing its pseudonym. */
  blindIndex: Uint8Array;
  /** HMAC key chaining the audit log, so an entry cannot be edited without it. */
  audit: Uint8Array;
  /** HMAC key for the audit log's reference to a device, so the log never holds a pseudonym that an erase must remove. */
  auditSubject: Uint8Array;
  /** The organisation secret behind pseudonymous ids. */
  pseudonym: Uint8Array;
}

const KEY_HEX = /^[0-9a-fA-F]{64}$/;

/** `text`: 64 hex characters (surrounding whitespace ignored); `source` names where it came from for the error. */
export function parseMasterKey(text: string, source: string): Uint8Array {
  const hex = text.trim();
  if (!KEY_HEX.test(hex)) throw new Error(`${source}: store key must be 64 hex characters (32 bytes), got ${hex.length} characters`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function deriveKeys(master: Uint8Array): StoreKeys {
  const derive = (purpose: string): Uint8Array => new Uint8Array(hkdfSync('sha256', master, new Uint8Array(0), `ctsim store ${purpose}`, 32));
  return { encryption: derive('encryption'), blindIndex: derive('blind index'), audit: derive('audit chain'), auditSubject: derive('audit subject'), pseudonym: derive('pseudonym') };
}
