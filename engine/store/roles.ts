// Who may do what with the store. admin: identities and traces; analyst:
// pseudonymous traces, no identities; viewer: hot-zone counts only. The
// check here decides what is refused (and audited as refused); the keys a
// role's credential holds (keys.ts ROLE_KEYS) make the same line hold
// cryptographically.
import { InputError } from '../contract/input-error.ts';

export type Role = 'admin' | 'analyst' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'analyst', 'viewer'];

export type Action = 'trace' | 'identity' | 'raw-id' | 'export' | 'erase' | 'purge' | 'audit' | 'issue-credential' | 'hot-zone-counts';

const ALLOWED: Record<Action, readonly Role[]> = {
  trace: ['admin', 'analyst'],
  identity: ['admin'],
  // Turning a raw device id into its pseudonym needs the organisation secret.
  'raw-id': ['admin'],
  // Data-subject requests return or remove identities too.
  export: ['admin'],
  erase: ['admin'],
  purge: ['admin'],
  audit: ['admin'],
  'issue-credential': ['admin'],
  'hot-zone-counts': ['admin', 'analyst', 'viewer'],
};

/** How a refusal names the action, where its id alone would not read well. */
const SAYS: Partial<Record<Action, string>> = { 'raw-id': 'look up a raw device id (give its ps- pseudonym)', 'issue-credential': 'issue credentials' };

export interface Actor {
  user: string;
  role: Role;
}

export class AccessRefused extends Error {}

export function mayDo(role: Role, action: Action): boolean {
  return ALLOWED[action].includes(role);
}

export function refusal(actor: Actor, action: Action): string {
  return `role '${actor.role}' may not ${SAYS[action] ?? action} (allowed: ${ALLOWED[action].join(', ')})`;
}

export function parseRole(text: string): Role {
  if (!(ROLES as readonly string[]).includes(text)) throw new InputError(`unknown role '${text}' (expected one of ${ROLES.join(', ')})`);
  return text as Role;
}
