// The audit log: every trace query, export, erase and identity lookup (and
// every refusal) appends an entry. Entries are hash-chained with HMAC-SHA-256
// under the audit key: chain[i] = HMAC(chain[i-1] ‖ entry[i]), and the head
// (last seq and chain) is kept apart, so editing, deleting or reordering
// any entry, the last one included, breaks verification.
import { createHmac } from 'node:crypto';

export interface AuditEntry {
  seq: number;
  atMs: number;
  user: string;
  role: string;
  action: string;
  /** The device the action was about, as DuckStore.auditRef names it, if any. */
  device: string | null;
  outcome: 'allowed' | 'refused';
  detail: string;
}

export type AuditInput = Omit<AuditEntry, 'seq' | 'atMs'>;

/** A stored row: the chain value in the clear, the entry sealed. */
export interface AuditRow {
  seq: number;
  chain: Uint8Array;
  /** The decrypted entry, or null if it could not be decrypted (altered). */
  entry: AuditEntry | null;
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

/** Checks rows (sorted by seq) against the chain and the head. */
export function verifyChain(key: Uint8Array, rows: readonly AuditRow[], head: AuditHead | null): AuditVerdict {
  let prev: Uint8Array = GENESIS;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const fail = (problem: string): AuditVerdict => ({ ok: false, entries: rows.length, problem });
    if (r.seq !== i + 1) return fail(`entry ${i + 1} is missing (next entry found is ${r.seq})`);
    if (r.entry === null) return fail(`entry ${r.seq} was altered (cannot decrypt)`);
    if (r.entry.seq !== r.seq) return fail(`entry ${r.seq} was altered (it claims to be entry ${r.entry.seq})`);
    const expected = nextChain(key, prev, encodeEntry(r.entry));
    if (!Buffer.from(expected).equals(Buffer.from(r.chain))) return fail(`entry ${r.seq} was altered (hash chain broken)`);
    prev = expected;
  }
  const lastSeq = rows.length;
  if ((head?.seq ?? 0) !== lastSeq) return { ok: false, entries: lastSeq, problem: `the log ends at entry ${lastSeq} but its head records ${head?.seq ?? 0} entries (entries deleted)` };
  if (head && !Buffer.from(head.chain).equals(Buffer.from(prev))) return { ok: false, entries: lastSeq, problem: 'the log head does not match its last entry' };
  return { ok: true, entries: lastSeq };
}
