// Pseudonymous device ids: a keyed hash (HMAC-SHA-256) of the raw id with the
// organisation's secret. Stable for one organisation, so traces join across
// days; unlinkable to the raw id without the secret.
import { createHmac } from 'node:crypto';

/** Pseudonyms look like this, so a raw id is never mistaken for one. */
const PREFIX = 'ps-';
/** 128 bits of the HMAC: collisions are negligible at any site's device count. */
const HEX_CHARS = 32;
const PSEUDONYM = new RegExp(`^${PREFIX}[0-9a-f]{${HEX_CHARS}}$`);

export function pseudonymOf(rawId: string, orgSecret: Uint8Array): string {
  return PREFIX + createHmac('sha256', orgSecret).update(rawId, 'utf8').digest('hex').slice(0, HEX_CHARS);
}

export function isPseudonym(id: string): boolean {
  return PSEUDONYM.test(id);
}

/** A pseudonym as given, or the pseudonym of a raw id. */
export function toPseudonym(id: string, orgSecret: Uint8Array): string {
  return isPseudonym(id) ? id : pseudonymOf(id, orgSecret);
}
