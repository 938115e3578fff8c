// Who may use the live server: a credentials file maps each role (the store's
// roles, engine/store/roles.ts) to its tokens, JSON like
//   { "admin": ["<token>"], "analyst": ["<token>"], "viewer": ["<token>"] }
// verify() is the one place a request's credential is checked; a server
// given a store checks the store's per-role credentials instead (live-store.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputError } from '../../contract/input-error.ts';
import { withoutBom } from '../../contract/text.ts';
import { ROLES, type Role } from '../../store/roles.ts';

export type Verify = (token: string | undefined) => Role | null | Promise<Role | null>;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** A verifier over role → tokens; tokens are compared as digests in constant time. */
export function tokenVerifier(tokens: Partial<Record<Role, readonly string[]>>): Verify {
  const known = Object.entries(tokens).flatMap(([role, list]) => (list ?? []).map((t) => ({ role: role as Role, hash: digest(t) })));
  return (token) => {
    if (token === undefined || token === '') return null;
    const h = digest(token);
    let found: Role | null = null;
    for (const k of known) if (timingSafeEqual(k.hash, h)) found = k.role;
    return found;
  };
}

/** Reads a credentials file; a malformed one is an InputError naming what is wrong. */
export function readCredentials(path: string): Verify {
  let parsed: unknown;
  try {
    parsed = JSON.parse(withoutBom(readFileSync(path, 'utf8')));
  } catch (err) {
    throw new InputError(`${path}: not a readable JSON credentials file (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError(`${path}: expected an object of role → [tokens]`);
  const tokens: Partial<Record<Role, string[]>> = {};
  for (const [role, list] of Object.entries(parsed)) {
    if (!(ROLES as readonly string[]).includes(role)) throw new InputError(`${path}: unknown role '${role}' (expected one of ${ROLES.join(', ')})`);
    if (!Array.isArray(list) || list.some((t) => typeof t !== 'string' || t.length < 16)) throw new InputError(`${path}: ${role} must be a list of tokens of at least 16 characters`);
    tokens[role as Role] = list;
  }
  if (Object.keys(tokens).length === 0) throw new InputError(`${path}: no credentials`);
  return tokenVerifier(tokens);
}
