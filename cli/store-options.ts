// Options shared by the commands that open a location store: where it is,
// its key (CTSIM_STORE_KEY or --key-file), and who is asking in which role.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Argv } from 'yargs';
import { toPseudonym } from '../engine/privacy/pseudonym.ts';
import { GovernedStore } from '../engine/store/access.ts';
import { DuckStore } from '../engine/store/duckdb-store.ts';
import { parseMasterKey } from '../engine/store/keys.ts';
import { parseRole, ROLES, type Actor } from '../engine/store/roles.ts';
import { asInput, InputError } from '../engine/contract/input-error.ts';

export const KEY_ENV = 'CTSIM_STORE_KEY';

export interface KeyArgs {
  'key-file'?: string;
}

export interface ActorArgs {
  role: string;
  user?: string;
}

export function withKeyOption<T>(y: Argv<T>): Argv<T & KeyArgs> {
  return y.option('key-file', { type: 'string', describe: `File holding the store key (64 hex characters); default: $${KEY_ENV}` });
}

export function withActorOptions<T>(y: Argv<T>): Argv<T & ActorArgs> {
  return y
    .option('role', { type: 'string', demandOption: true, choices: ROLES as string[], describe: 'Your role: admin (identities, traces), analyst (pseudonymous traces), viewer (hot-zone counts only)' })
    .option('user', { type: 'string', describe: 'Who is asking, for the audit log (default: the OS user)' });
}

export function masterKey(args: KeyArgs): Uint8Array {
  const file = args['key-file'];
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new InputError(`cannot read key file ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    return asInput(() => parseMasterKey(text, `key file ${file}`));
  }
  const env = process.env[KEY_ENV];
  if (env === undefined || env === '') throw new InputError(`no store key: set ${KEY_ENV} or pass --key-file`);
  return asInput(() => parseMasterKey(env, KEY_ENV));
}

export function actorOf(args: ActorArgs): Actor {
  return { role: asInput(() => parseRole(args.role)), user: args.user ?? userInfo().username };
}

/** An ISO 8601 date-time flag as ms since the Unix epoch. */
export function parseInstant(text: string, flag: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new InputError(`${flag} must be an ISO 8601 date-time (e.g. 2026-11-25T08:00:00Z), got '${text}'`);
  return ms;
}

/** Opens the store as the asking actor, runs `body`, and always closes it. */
export async function withGovernedStore<R>(path: string, args: KeyArgs & ActorArgs, body: (g: GovernedStore) => Promise<R>): Promise<R> {
  const key = masterKey(args);
  const actor = actorOf(args);
  const store = await DuckStore.open(path, key);
  try {
    return await body(new GovernedStore(store, actor));
  } finally {
    await store.close();
  }
}

/** The pseudonym behind --device: a pseudonym as given, or a raw id hashed with the organisation secret. */
export function deviceArg(g: GovernedStore, id: string): string {
  return toPseudonym(id, g.store.keys.pseudonym);
}
