// Who may do what with the store. admin: identities and traces; analyst:
// pseudonymous traces, no identities; viewer: hot-zone counts only.
export type Role = 'admin' | 'analyst' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'analyst', 'viewer'];

export type Action = 'trace' | 'identity' | 'export' | 'erase' | 'purge' | 'audit' | 'hot-zone-counts';

const ALLOWED: Record<Action, readonly Role[]> = {
  trace: ['admin', 'analyst'],
  identity: ['admin'],
  // Data-subject requests return or remove identities too.
  export: ['admin'],
  erase: ['admin'],
  purge: ['admin'],
  audit: ['admin'],
  'hot-zone-counts': ['admin', 'analyst', 'viewer'],
};

export interface Actor {
  user: string;
  role: Role;
}

export class AccessRefused extends Error {}

export function mayDo(role: Role, action: Action): boolean {
  return ALLOWED[action].includes(role);
}

export function refusal(actor: Actor, action: Action): string {
  return `role '${actor.role}' may not ${action} (allowed: ${ALLOWED[action].join(', ')})`;
}

export function parseRole(text: string): Role {
  if (!(ROLES as readonly string[]).includes(text)) throw new Error(`unknown role '${text}' (expected one of ${ROLES.join(', ')})`);
  return text as Role;
}
