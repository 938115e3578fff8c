// AES-256-GCM sealing of stored payloads: nonce ‖ ciphertext ‖ tag. The
// additional data binds a payload to its table, so a blob cannot be moved
// to another table unnoticed; a wrong key or an edited blob fails to open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class CannotDecryptError extends Error {}

export function seal(key: Uint8Array, plaintext: Uint8Array, aad: string): Uint8Array {
  const nonce = randomBytes(NONCE_BYTES);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return new Uint8Array(Buffer.concat([nonce, body, c.getAuthTag()]));
}

/** `what` names the payload in the error. */
export function open(key: Uint8Array, sealed: Uint8Array, aad: string, what: string): Uint8Array {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new CannotDecryptError(`cannot decrypt ${what}: payload truncated`);
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.length);
  const d = createDecipheriv('aes-256-gcm', key, buf.subarray(0, NONCE_BYTES));
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
  try {
    return new Uint8Array(Buffer.concat([d.update(buf.subarray(NONCE_BYTES, buf.length - TAG_BYTES)), d.final()]));
  } catch {
    throw new CannotDecryptError(`cannot decrypt ${what}: wrong key or altered data`);
  }
}
