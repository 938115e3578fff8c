// Options shared by the commands that open a location store: where it is,
// what opens it (an issued credential, or the admin's master store key) and
// the audit anchor the user keeps. The role is the credential's: --role only
// asserts it.
import { existsSync, readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { InputError } from '../engine/contract/input-error.ts';
import { GovernedStore } from '../engine/store/access.ts';
import { anchorProblem, parseAnchor, makeAnchor, type Anchor } from '../engine/store/anchor.ts';
import { parseCredential } from '../engine/store/credentials.ts';
import { DuckStore, StoreError, type StoreSecret } from '../engine/store/duckdb-store.ts';
import { holderKeys, parseMasterKey } from '../engine/store/keys.ts';
import { ROLES } from '../engine/store/roles.ts';
import type { TimeRange } from '../engine/store/types.ts';
import { writeFileAtomic } from '../engine/io/atomic-write.ts';

export const KEY_ENV = 'CTSIM_STORE_KEY';
export const CREDENTIAL_ENV = 'CTSIM_STORE_CREDENTIAL';

export interface KeyArgs {
  'key-file'?: string;
}

export interface AccessArgs extends KeyArgs {
  credential?: string;
  role?: string;
  anchor?: string;
}

export function withKeyOption<T>(y: Argv<T>): Argv<T & KeyArgs> {
  return y.option('key-file', { type: 'string', describe: `File holding the admin's store key (64 hex characters); default: $${KEY_ENV}` });
}

/** `roleFlag`: false where the command's own --role means something else (issue-credential). */
export function withAccessOptions<T>(y: Argv<T>, roleFlag = true): Argv<T & AccessArgs> {
  const base = withKeyOption(y)
    .option('credential', { type: 'string', describe: `File holding your credential (from store issue-credential); default: $${CREDENTIAL_ENV}, else the store key` })
    .option('anchor', { type: 'string', describe: 'Audit anchor file you keep: checked against the store first (if it exists), then updated' })
    .conflicts('credential', 'key-file');
  return roleFlag ? base.option('role', { type: 'string', choices: ROLES as string[], describe: "Optional: fail unless the credential's role is this one" }) : base;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${what} ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

export function masterKey(args: KeyArgs): Uint8Array {
  const file = args['key-file'];
  if (file !== undefined) return parseMasterKey(readText(file, 'key file'), `key file ${file}`);
  const env = process.env[KEY_ENV];
  if (env === undefined || env === '') throw new InputError(`no store key: set ${KEY_ENV} or pass --key-file`);
  return parseMasterKey(env, KEY_ENV);
}

/** --credential, else --key-file, else $CTSIM_STORE_CREDENTIAL, else $CTSIM_STORE_KEY. */
export function storeSecret(args: AccessArgs): StoreSecret {
  if (args.credential !== undefined) return { credential: parseCredential(readText(args.credential, 'credential file'), `credential file ${args.credential}`) };
  const env = process.env[CREDENTIAL_ENV];
  if (args['key-file'] === undefined && env !== undefined && env !== '') return { credential: parseCredential(env, CREDENTIAL_ENV) };
  if (args['key-file'] === undefined && !process.env[KEY_ENV]) throw new InputError(`no credential or store key: pass --credential FILE (or set ${CREDENTIAL_ENV}); admins may use --key-file or ${KEY_ENV}`);
  return { master: masterKey(args) };
}

/** An ISO 8601 date (UTC midnight) or date-time with a zone, between 1970 and 9999, as ms since the Unix epoch. */
export function parseInstant(text: string, flag: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(text);
  const bad = (why: string): never => {
    throw new InputError(`${flag} must be an ISO 8601 date (2026-11-25) or date-time with a zone (2026-11-25T08:00:00Z), years 1970 to 9999; got '${text}'${why}`);
  };
  if (m === null) return bad('');
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((v) => Number(v ?? 0));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1970 || month < 1 || month > 12) bad(' (year or month out of range)');
  if (day < 1 || day > daysInMonth) bad(` (${m[1]}-${m[2]} has ${daysInMonth} days)`);
  if (hour > 23 || minute > 59 || second > 59) bad(' (time of day out of range)');
  const zone = m[8] ?? 'Z';
  if (zone !== 'Z' && (Number(zone.slice(1, 3)) > 14 || Number(zone.slice(4)) > 59)) bad(' (zone offset out of range)');
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}.${(m[7] ?? '0').padEnd(3, '0')}${zone}`);
}

/** --from and --to (ISO dates) as a time range; --from after --to is an input error. */
export function parseRange(args: { from?: string; to?: string }): TimeRange {
  const range: TimeRange = {
    fromMs: args.from === undefined ? undefined : parseInstant(args.from, '--from'),
    toMs: args.to === undefined ? undefined : parseInstant(args.to, '--to'),
  };
  if (range.fromMs !== undefined && range.toMs !== undefined && range.fromMs > range.toMs) throw new InputError(`--from ${args.from} is after --to ${args.to}`);
  return range;
}

/**
 * Opens the store with the caller's credential (or the store key), runs
 * `body` on it, and always closes it. With --anchor, the store must first
 * agree with the anchor file (which `anchorRequired` demands exists); the
 * anchor is then moved to the new end of the audit log.
 */
export async function withGovernedStore<R>(path: string, args: AccessArgs, body: (g: GovernedStore) => Promise<R>, opts: { anchorRequired?: boolean } = {}): Promise<R> {
  const store = await DuckStore.open(path, storeSecret(args));
  try {
    const { role, user } = store.access;
    if (args.role !== undefined && args.role !== role) throw new InputError(`--role ${args.role} does not match the credential, issued to ${user} as ${role}`);
    if (args.anchor === undefined) return await body(new GovernedStore(store));
    await checkAnchorFile(store, args.anchor, opts.anchorRequired ?? false);
    const file = args.anchor;
    const moveAnchor = async (): Promise<void> => writeFileAtomic(file, `${JSON.stringify(await currentAnchor(store))}\n`);
    let result: R;
    try {
      result = await body(new GovernedStore(store));
    } catch (err) {
      // A refused action is logged too, so the anchor follows it; a failed store keeps its old anchor and its own error.
      await moveAnchor().catch(() => {});
      throw err;
    }
    await moveAnchor();
    return result;
  } finally {
    await store.close();
  }
}

async function checkAnchorFile(store: DuckStore, file: string, required: boolean): Promise<void> {
  if (!existsSync(file)) {
    if (required) throw new InputError(`no anchor file ${file} (one is written by --anchor on any store command)`);
    return;
  }
  const anchor = parseAnchor(readText(file, 'anchor'), file);
  const problem = await anchorCheck(store, anchor);
  if (problem !== null) throw new StoreError(`audit log of ${store.path} does not match anchor ${file}: ${problem}`);
}

/** Checks an anchor against the log: its own credential, or an admin, can verify its MAC. */
async function anchorCheck(store: DuckStore, anchor: Anchor): Promise<string | null> {
  let key: Uint8Array;
  if (anchor.credential === store.access.credentialId) key = store.access.holder.anchor;
  else if (store.access.keys.registry !== undefined) {
    const grant = await store.grant(anchor.credential);
    if (grant === null) return `the anchor names credential ${anchor.credential}, which no admin issued`;
    key = holderKeys(grant.secret).anchor;
  } else throw new InputError(`anchor was written with credential ${anchor.credential}: only that credential or an admin can check it`);
  const { entries, chainAt } = await store.auditPosition(anchor.entries);
  return anchorProblem(anchor, key, await store.storeId(), entries, chainAt);
}

async function currentAnchor(store: DuckStore): Promise<Anchor> {
  const head = await store.auditHead();
  if (head === null) throw new StoreError(`audit log of ${store.path} has no head (meta table altered)`);
  return makeAnchor(store.access.holder.anchor, { store: await store.storeId(), credential: store.access.credentialId, entries: head.seq, head: Buffer.from(head.chain).toString('hex') });
}
