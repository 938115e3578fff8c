// The live server: reports in as NDJSON POSTs, events out as Server-Sent
// Events filtered by type and by the caller's role, /healthz and Prometheus
// /metrics. One live engine (engine/live/) per server; it runs on the
// request's thread, so every accepted report is in the engine when the POST
// answers. With a store (live-store.ts), a batch's accepted reports are
// committed to it first (with the fixes, visits and contacts released so far)
// and go into the engine only then: a batch the store refuses (503) is in
// neither, so the client's retry counts each report once. Credentials are then the store's.
//   POST /reports   admin    NDJSON body (engine/live/server/reports.ts) → {accepted, late, ahead[, stored]}
//   POST /end       admin    the stream is over: flush every held epoch and close visits, contacts
//   GET  /events    any role SSE; ?types=a,b picks event types (default: all the role may see)
//   GET  /healthz   open     {status}
//   GET  /metrics   open     Prometheus text
// Errors are one line of JSON, {"error": "..."}, with a 4xx status for the caller's mistakes.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { DeepPartial, EngineConfig } from '../../config.ts';
import type { Site } from '../../contract/site.ts';
import { LiveEngine, type LiveOptions } from '../engine.ts';
import { EVENT_TYPES, type LiveEvent, type LiveEventType } from '../events.ts';
import { mayDo, type Role } from '../../store/roles.ts';
import { pseudonymOf } from '../../privacy/pseudonym.ts';
import { randomBytes } from 'node:crypto';
import type { Verify } from './credentials.ts';
import { QuietClock } from '../quiet-clock.ts';
import type { LiveStore } from './live-store.ts';
import { liveMetrics } from './metrics.ts';
import { BadReport, checkJump, parseReports, type ReportRows } from './reports.ts';

export interface LiveServerOptions {
  site: Site;
  config: DeepPartial<EngineConfig>;
  live?: LiveOptions;
  /** Who may do what; ignored with a store, whose credentials decide. */
  verify?: Verify;
  /** Commit every accepted report here before it goes into the engine; its credentials replace `verify`. */
  store?: LiveStore;
  /**
   * With no report for this long (wall clock, ms), stream time runs on with
   * the wall clock (quiet-clock.ts). 0 (default): off, reports alone drive time.
   */
  idleTickMs?: number;
  /** Wall clock, ms (tests pass a fake one). */
  now?: () => number;
  /** Largest accepted POST body, bytes. Valid range 1 KiB..1 GiB; default 16 MiB. */
  bodyLimitBytes?: number;
  /** An event stream whose reader falls this far behind (bytes queued, unsent) is closed; default 64 MiB. */
  streamBacklogBytes?: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface LiveServer {
  app: FastifyInstance;
  engine: LiveEngine;
  /** Stops taking reports, lets the POSTs in flight finish, ends the stream (events flushed to subscribers), closes. */
  drain(): Promise<void>;
}

/** Event types each role may receive: viewers hot-zone counts only; analysts pseudonymous tracks and contacts; admins everything. */
export function visibleTypes(role: Role): LiveEventType[] {
  return EVENT_TYPES.filter((t) => (t.startsWith('hotzone-') ? mayDo(role, 'hot-zone-counts') : mayDo(role, 'trace')));
}

class HttpError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

export interface Subscriber {
  types: Set<LiveEventType>;
  res: Pick<ServerResponse, 'write' | 'end' | 'writableLength'>;
  /** Device ids as pseudonyms (every role but the admin's: store/roles.ts 'raw-id'). */
  pseudonymous: boolean;
}

/**
 * One event to every subscriber that asked for its type, as `frame` words it
 * for them (raw or pseudonymous ids). A reader more than backlogBytes behind
 * (bytes queued, unsent: a dashboard left in a background tab) would hold the
 * server's memory without bound: its stream is closed and it is let go (onDrop).
 */
export function fanOut(subscribers: Set<Subscriber>, type: LiveEventType, frame: (pseudonymous: boolean) => string, backlogBytes: number, onDrop: () => void): void {
  for (const s of subscribers) {
    if (!s.types.has(type)) continue;
    if (s.res.writableLength > backlogBytes) {
      subscribers.delete(s);
      onDrop();
      s.res.end(': closed, reader too far behind\n\n');
      continue;
    }
    s.res.write(frame(s.pseudonymous));
  }
}

const NDJSON_ONLY = 'send reports as NDJSON (Content-Type: application/x-ndjson)';

/** Above this many devices the pseudonym cache starts over (a campus day's devices fit). */
const PSEUDONYM_CACHE = 100_000;

export function liveServer(opts: LiveServerOptions): LiveServer {
  const bodyLimit = opts.bodyLimitBytes ?? 16 * 1024 * 1024;
  if (!(bodyLimit >= 1024 && bodyLimit <= 2 ** 30)) throw new Error(`bodyLimitBytes must be in 1 KiB..1 GiB, got ${bodyLimit}`);
  const app = Fastify({ bodyLimit, ...(opts.tls ? { https: opts.tls } : {}) }) as unknown as FastifyInstance;
  const subscribers = new Set<Subscriber>();
  const streamBacklog = opts.streamBacklogBytes ?? 64 * 1024 * 1024;
  const metrics = liveMetrics(() => engine.stats(), () => subscribers.size, () => opts.store?.stored ?? 0);
  // Analysts see pseudonyms: the store's own (live and stored ids join), else a key made for this server's life.
  const pseudonymKey = opts.store?.pseudonymKey() ?? randomBytes(32);
  const pseudonyms = new Map<string, string>();
  const pseudonym = (id: string): string => {
    let p = pseudonyms.get(id);
    if (p === undefined) {
      if (pseudonyms.size >= PSEUDONYM_CACHE) pseudonyms.clear();
      pseudonyms.set(id, (p = pseudonymOf(id, pseudonymKey)));
    }
    return p;
  };
  const pseudonymous = (e: LiveEvent): LiveEvent => {
    if ('deviceId' in e) return { ...e, deviceId: pseudonym(e.deviceId) };
    if (!('a' in e)) return e;
    const [a, b] = [pseudonym(e.a), pseudonym(e.b)].sort();
    return { ...e, a, b };
  };
  const frameOf = (e: LiveEvent): string => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
  const deliver = (e: LiveEvent): void => {
    metrics.eventOut(e.type);
    opts.store?.take(e);
    if (subscribers.size === 0) return;
    let raw: string | undefined, masked: string | undefined;
    fanOut(subscribers, e.type, (p) => (p ? (masked ??= frameOf(pseudonymous(e))) : (raw ??= frameOf(e))), streamBacklog, metrics.streamDropped);
  };
  const engine = new LiveEngine(opts.site, opts.config, deliver, opts.store ? { ...opts.live, onCounts: (c) => opts.store!.takeCounts(c) } : opts.live);
  const apIndex = new Map(opts.site.aps.map((ap, i) => [ap.id, i]));
  const store = opts.store;
  const verify: Verify = store ? (token) => store.verify(token) : opts.verify ?? (() => null);
  const now = opts.now ?? Date.now;
  const clock = new QuietClock((tMs) => engine.advanceTo(tMs), opts.idleTickMs ?? 0);
  /** Batches taken in (past the draining check) and not yet in the engine or refused: with a store, waiting on it. */
  const writing = new Set<Promise<unknown>>();
  // Not while a batch waits on the store: its lateness was decided against the engine as it stands.
  const ticker = clock.quietMs > 0 ? setInterval(() => {
    if (writing.size === 0) clock.tick(now());
  }, Math.min(1000, clock.quietMs)) : undefined;
  ticker?.unref();
  /** The last batch taken in: with a store, batches are committed and pushed one at a time, in arrival order. */
  let intake: Promise<unknown> = Promise.resolve();
  let draining = false;
  let ended = false;
  /** The newest report time pushed into the engine: a report a month past it is refused (reports.ts checkJump). */
  let newestTaken = -Infinity;

  const roleOf = async (req: FastifyRequest): Promise<Role> => {
    const h = req.headers.authorization;
    if (h === undefined) throw new HttpError(401, 'missing credential (Authorization: Bearer <token>)');
    const m = /^Bearer (.+)$/.exec(h);
    const role = await verify(m?.[1]);
    if (role === null) throw new HttpError(401, 'wrong credential');
    return role;
  };
  const need = async (req: FastifyRequest, role: Role): Promise<void> => {
    if ((await roleOf(req)) !== role) throw new HttpError(403, `this needs the ${role} role`);
  };

  // NDJSON only: Fastify's own JSON and text parsers would read other bodies before any credential is checked.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err instanceof HttpError ? err.statusCode : err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status === 413) metrics.rejected('oversized', 1);
    if (status === 401 || status === 403) metrics.rejected('credential', 1);
    // The server runs without Fastify's logger: an internal error is one line on stderr, so it is seen.
    if (status >= 500 && !(err instanceof HttpError)) process.stderr.write(`ctsim serve: ${req.method} ${req.url.split('?')[0]}: internal error: ${oneLine(err.message)}\n`);
    const message = err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? NDJSON_ONLY : status >= 500 && !(err instanceof HttpError) ? 'internal error' : oneLine(err.message);
    void reply.code(status).type('application/json').send(JSON.stringify({ error: message }) + '\n');
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).type('application/json').send(JSON.stringify({ error: `no route ${req.method} ${req.url.split('?')[0]}` }) + '\n');
  });

  app.get('/healthz', async () => ({ status: draining ? 'draining' : ended ? 'ended' : 'ok' }));
  app.get('/metrics', async (_req, reply) => reply.type(metrics.contentType).send(await metrics.text()));

  app.post('/reports', async (req, reply) => {
    await need(req, 'admin');
    if (draining || ended) throw new HttpError(draining ? 503 : 409, draining ? 'draining: not taking reports' : 'the stream has ended');
    // A body of another type never reaches here (the only parser is NDJSON's); one without a type has none; a compressed one would arrive undecoded.
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim();
    if (typeof req.body !== 'string' || type !== 'application/x-ndjson') throw new HttpError(415, NDJSON_ONLY);
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding !== 'identity') throw new HttpError(415, `Content-Encoding ${oneLine(String(encoding))} is not taken: send the NDJSON uncompressed`);
    let rows;
    try {
      rows = parseReports(req.body, apIndex);
      checkJump(rows, newestTaken);
    } catch (err) {
      if (!(err instanceof BadReport)) throw err;
      metrics.rejected(err.code, 1);
      throw new HttpError(err.code === 'unknown_ap' ? 422 : 400, err.message);
    }
    if (store === undefined) {
      const refused = push(rows);
      return reply.send({ accepted: rows.length - refused.late - refused.ahead, ...refused });
    }
    // Store first, engine second. The lateness check is the push's own rule on the engine as the push
    // will find it: the batch before is pushed by then, and nothing else moves stream time meanwhile.
    const batch = intake.then(async () => {
      const stored = await store.write(rows, engine.admits(rows.tMs, rows.apIdx, rows.length));
      return { stored, ...push(rows) };
    });
    intake = batch.catch(() => {});
    writing.add(batch);
    const taken = await batch.catch((err: Error) => {
      // Rolled back and not pushed: neither the store nor the engine has any of it, so it may be sent again.
      throw new HttpError(503, `the store did not take this batch (nothing of it was kept; send it again): ${err.message}`);
    }).finally(() => writing.delete(batch));
    return reply.send({ accepted: rows.length - taken.late - taken.ahead, late: taken.late, ahead: taken.ahead, stored: taken.stored });
  });

  app.post('/end', async (req) => {
    await need(req, 'admin');
    if (ended) throw new HttpError(409, 'the stream has ended');
    ended = true;
    // The batches taken in before go into the engine before it ends.
    await Promise.allSettled([...writing]);
    engine.end();
    await store?.flush();
    // Marks the end on every event stream, after the last events end() emitted, and closes it: no event follows.
    for (const sub of subscribers) sub.res.end(': end\n\n');
    subscribers.clear();
    return { status: 'ended', ...engine.stats() };
  });

  app.get('/events', async (req: FastifyRequest<{ Querystring: { types?: string | string[] } }>, reply: FastifyReply) => {
    const role = await roleOf(req);
    if (draining || ended) throw new HttpError(draining ? 503 : 409, draining ? 'draining: no new event streams' : 'the stream has ended');
    const allowed = visibleTypes(role);
    const { types } = req.query;
    if (Array.isArray(types)) throw new HttpError(400, 'types is given more than once: list the event types in one, comma-separated');
    const asked = types === undefined ? allowed : types.split(',').filter(Boolean) as LiveEventType[];
    if (asked.length === 0) throw new HttpError(400, `types names no event type (known: ${EVENT_TYPES.join(', ')})`);
    const unknown = asked.find((t) => !EVENT_TYPES.includes(t));
    if (unknown) throw new HttpError(400, `unknown event type '${unknown}' (known: ${EVENT_TYPES.join(', ')})`);
    const refused = asked.find((t) => !allowed.includes(t));
    if (refused) throw new HttpError(403, `role '${role}' may not receive '${refused}' events (allowed: ${allowed.join(', ')})`);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': subscribed\n\n');
    const sub: Subscriber = { types: new Set(asked), res, pseudonymous: !mayDo(role, 'raw-id') };
    subscribers.add(sub);
    req.raw.on('close', () => subscribers.delete(sub));
  });

  /** Pushes a batch's reports into the engine; returns how many it refused, and why. */
  function push(rows: ReportRows): { late: number; ahead: number } {
    const refused = { late: 0, ahead: 0 };
    let newestTMs = -Infinity;
    for (let i = 0; i < rows.length; i++) {
      const intake = engine.push(rows.tMs[i], rows.deviceId[i], rows.tech[i], rows.apIdx[i], rows.rssiDbm[i]);
      if (intake !== 'taken') refused[intake]++;
      if (rows.tMs[i] > newestTMs) newestTMs = rows.tMs[i];
    }
    // The stream's time, not this batch's newest report: one AP's clock far ahead must not carry the quiet clock with it.
    clock.arrived(engine.streamTMs, now());
    newestTaken = Math.max(newestTaken, newestTMs);
    metrics.rejected('late', refused.late);
    metrics.rejected('ahead', refused.ahead);
    return refused;
  }

  const drain = async (): Promise<void> => {
    draining = true;
    if (ticker !== undefined) clearInterval(ticker);
    // Every POST past the draining check has its batch in `writing` (the check and the add run without
    // a pause) until it is in the engine (and the store) or refused: each is waited for and gets its answer.
    await Promise.allSettled([...writing]);
    engine.end();
    ended = true;
    // What the end released (the last epochs' fixes, open visits and contacts closed) is stored too.
    await store?.flush();
    for (const s of subscribers) s.res.end();
    subscribers.clear();
    await app.close();
  };
  return { app, engine, drain };
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}
