// Per-role credentials. An admin (holding the master key) issues a
// credential to one user in one role: a random id and a random 32-byte
// secret. The store keeps two sealed copies of the grant, by credential id:
//   holder    {role, user, the role's data keys}, sealed under a key derived
//             from the credential's secret: only that credential opens it
//   registry  {role, user, secret}, sealed under the admin's registry key:
//             lets an admin check the audit entries and anchors the
//             credential writes
// So a role is what its credential unwraps, not what a flag says: a viewer's
// credential holds the hot-zone key and nothing else, whatever it claims.
import { randomBytes } from 'node:crypto';
import { InputError } from '../contract/input-error.ts';
import { CannotDecryptError, open, seal } from './cipher.ts';
import { DATA_KEYS, deriveDataKeys, holderKeys, masterHolderSecret, ROLE_KEYS, type DataKeyName, type DataKeys, type HolderKeys } from './keys.ts';
import { parseRole, type Role } from './roles.ts';

const PREFIX = 'ctsim-credential-v1';
const ID_BYTES = 16;
const FORMAT = new RegExp(`^${PREFIX}:([0-9a-f]{${2 * ID_BYTES}}):([A-Za-z0-9_-]{43})$`);
/** Who the audit log names when the master key itself is used. */
export const MASTER_USER = 'store-key';
/** The master key's credential id in the audit log: all zeros, never issued (ids are random). */
export const MASTER_ID = '00'.repeat(ID_BYTES);
/** User names an admin may issue to: printable, no spaces, so the audit log and its one-line messages stay readable. */
const USER = /^[A-Za-z0-9._@+-]{1,64}$/;

export interface Credential {
  /** Hex. */
  id: string;
  secret: Uint8Array;
}

/** What an opened store lets its holder do: the role and user its credential was issued for, and the keys it unwrapped. */
export interface Access {
  role: Role;
  user: string;
  /** Hex credential id (MASTER_ID for the master key). */
  credentialId: string;
  keys: DataKeys;
  holder: HolderKeys;
}

/** An issued grant as the registry keeps it. */
export interface Grant {
  role: Role;
  user: string;
  secret: Uint8Array;
  issuedAtMs: number;
}

export function newCredential(): Credential {
  return { id: randomBytes(ID_BYTES).toString('hex'), secret: new Uint8Array(randomBytes(32)) };
}

export function formatCredential(c: Credential): string {
  return `${PREFIX}:${c.id}:${Buffer.from(c.secret).toString('base64url')}`;
}

/** `source` names where the text came from, for the error. */
export function parseCredential(text: string, source: string): Credential {
  const m = FORMAT.exec(text.trim());
  if (m === null) throw new InputError(`${source}: not a ctsim credential (expected ${PREFIX}:<32 hex>:<43 base64url characters>, as store issue-credential prints)`);
  return { id: m[1], secret: Uint8Array.from(Buffer.from(m[2], 'base64url')) };
}

export function checkUser(user: string): string {
  if (!USER.test(user)) throw new InputError(`--user must be 1 to 64 letters, digits or . _ @ + -, got '${user}'`);
  return user;
}

export function masterAccess(master: Uint8Array): Access {
  const keys = deriveDataKeys(master);
  return { role: 'admin', user: MASTER_USER, credentialId: MASTER_ID, keys, holder: holderKeys(masterHolderSecret(keys.registry)) };
}

const holderAad = (id: string): string => `credentials:holder:${id}`;
const registryAad = (id: string): string => `credentials:registry:${id}`;

/** The holder's copy: the role's data keys, sealed under the credential's wrap key. `all` must hold every key of the role. */
export function sealHolder(c: Credential, role: Role, user: string, all: DataKeys): Uint8Array {
  const keys = Object.fromEntries(ROLE_KEYS[role].map((name) => {
    const key = all[name];
    if (key === undefined) throw new CannotDecryptError(`cannot issue a ${role} credential without the ${name} key`);
    return [name, Buffer.from(key).toString('hex')];
  }));
  return seal(holderKeys(c.secret).wrap, new TextEncoder().encode(JSON.stringify({ role, user, keys })), holderAad(c.id));
}

/** Unwraps a credential's grant; a wrong secret, an edited grant or one without its role's keys fails. */
export function openHolder(c: Credential, sealed: Uint8Array, store: string): Access {
  const holder = holderKeys(c.secret);
  let grant: { role: string; user: string; keys: Record<string, string> };
  try {
    grant = JSON.parse(new TextDecoder().decode(open(holder.wrap, sealed, holderAad(c.id), store)));
  } catch (err) {
    if (err instanceof CannotDecryptError) throw new CannotDecryptError(`cannot decrypt store ${store}: wrong credential secret for credential ${c.id}`);
    throw err;
  }
  const role = parseRole(grant.role);
  const keys: DataKeys = {};
  for (const [name, hex] of Object.entries(grant.keys)) if ((DATA_KEYS as readonly string[]).includes(name)) keys[name as DataKeyName] = Uint8Array.from(Buffer.from(hex, 'hex'));
  const missing = ROLE_KEYS[role].filter((name) => keys[name] === undefined);
  if (missing.length > 0) throw new CannotDecryptError(`credential ${c.id} claims role ${role} but holds no ${missing.join(', ')} key: not issued by an admin`);
  return { role, user: grant.user, credentialId: c.id, keys, holder };
}

export function sealGrant(registryKey: Uint8Array, c: Credential, role: Role, user: string, issuedAtMs: number): Uint8Array {
  const plain = JSON.stringify({ role, user, secret: Buffer.from(c.secret).toString('hex'), issuedAtMs });
  return seal(registryKey, new TextEncoder().encode(plain), registryAad(c.id));
}

export function openGrant(registryKey: Uint8Array, id: string, sealed: Uint8Array, store: string): Grant {
  const g = JSON.parse(new TextDecoder().decode(open(registryKey, sealed, registryAad(id), `${store} (credential registry)`)));
  return { role: parseRole(g.role), user: g.user, secret: Uint8Array.from(Buffer.from(g.secret, 'hex')), issuedAtMs: g.issuedAtMs };
}
