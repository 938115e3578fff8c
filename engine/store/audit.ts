// The audit log: every trace query, export, erase, identity lookup, credential
// issue (and every refusal) appends an entry. Each entry is chained with
// HMAC-SHA-256 under the audit key of the credential that wrote it:
// chain[i] = HMAC(key of entry i's credential, chain[i-1] ‖ entry[i]), and
// the head (last seq and chain) is kept apart, so editing, deleting or
// reordering an entry, the last one included, breaks verification. Entry 1
// is the store's creation, written with the master key, so a log emptied
// and restarted is caught too. An admin checks each entry against the
// credential registry: an entry naming a user its credential was not issued
// to fails. What only an outside anchor (anchor.ts) catches: the log cut
// back to an earlier entry together with its head, or the whole file
// replaced by an older copy.
import { createHmac } from 'node:crypto';
import { MASTER_ID } from './credentials.ts';

export interface AuditEntry {
  seq: number;
  atMs: number;
  /** The user and role of the credential that wrote the entry. */
  user: string;
  role: string;
  action: string;
  /** The device the action was about, as DuckStore.auditRef names it, if any. */
  device: string | null;
  outcome: 'allowed' | 'refused';
  detail: string;
}

export type AuditInput = Pick<AuditEntry, 'action' | 'device' | 'outcome' | 'detail'>;

/** The action of entry 1. */
export const CREATE_ACTION = 'create';

/** A stored row: credential id and chain value in the clear, the entry sealed under the credential's audit key. */
export interface AuditRow {
  seq: number;
  /** Hex id of the credential that wrote it. */
  credential: string;
  chain: Uint8Array;
  /** The decrypted entry, or null if it could not be decrypted (altered, or an unknown credential). */
  entry: AuditEntry | null;
  /** Whom the registry says the credential was issued to, with its chain key; null if no admin issued it. */
  grant: { role: string; user: string; chainKey: Uint8Array } | null;
}

export interface AuditHead {
  seq: number;
  chain: Uint8Array;
}

export const GENESIS = new Uint8Array(32);

export function encodeEntry(e: AuditEntry): Uint8Array {
  return new TextEncoder().encode(JSON.stringify([e.seq, e.atMs, e.user, e.role, e.action, e.device, e.outcome, e.detail]));
}

export function decodeEntry(bytes: Uint8Array): AuditEntry {
  const [seq, atMs, user, role, action, device, outcome, detail] = JSON.parse(new TextDecoder().decode(bytes));
  return { seq, atMs, user, role, action, device, outcome, detail };
}

export function nextChain(key: Uint8Array, prev: Uint8Array, encoded: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(prev).update(encoded).digest());
}

export interface AuditVerdict {
  ok: boolean;
  entries: number;
  /** What is wrong and where, when not ok. */
  problem?: string;
}

/** Checks rows (sorted by seq) against the chain, the registry and the head. */
export function verifyChain(rows: readonly AuditRow[], head: AuditHead | null): AuditVerdict {
  const fail = (problem: string): AuditVerdict => ({ ok: false, entries: rows.length, problem });
  if (rows.length === 0) return fail("the log is empty: even the store's creation (entry 1) was deleted");
  let prev: Uint8Array = GENESIS;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.seq !== i + 1) return fail(`entry ${i + 1} is missing (next entry found is ${r.seq})`);
    if (r.grant === null) return fail(`entry ${r.seq} was written with credential ${r.credential}, which no admin issued`);
    if (r.entry === null) return fail(`entry ${r.seq} was altered (cannot decrypt)`);
    if (r.entry.seq !== r.seq) return fail(`entry ${r.seq} was altered (it claims to be entry ${r.entry.seq})`);
    if (r.entry.user !== r.grant.user || r.entry.role !== r.grant.role) {
      return fail(`entry ${r.seq} names ${r.entry.user} (${r.entry.role}) but its credential was issued to ${r.grant.user} (${r.grant.role})`);
    }
    const expected = nextChain(r.grant.chainKey, prev, encodeEntry(r.entry));
    if (!Buffer.from(expected).equals(Buffer.from(r.chain))) return fail(`entry ${r.seq} was altered (hash chain broken)`);
    if (r.seq === 1 && (r.entry.action !== CREATE_ACTION || r.credential !== MASTER_ID)) return fail("the log does not start with the store's creation (entries deleted)");
    prev = expected;
  }
  const lastSeq = rows.length;
  if ((head?.seq ?? 0) !== lastSeq) return fail(`the log ends at entry ${lastSeq} but its head records ${head?.seq ?? 0} entries (entries deleted)`);
  if (head && !Buffer.from(head.chain).equals(Buffer.from(prev))) return fail('the log head does not match its last entry');
  return { ok: true, entries: lastSeq };
}
