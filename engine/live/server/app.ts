// The live server: reports in as NDJSON POSTs, events out as Server-Sent
// Events filtered by type and by the caller's role, /healthz and Prometheus
// /metrics. One live engine (engine/live/) per server; it runs on the
// request's thread, so every accepted report is in the engine when the POST
// answers.
//   POST /reports   admin    NDJSON body (engine/live/server/reports.ts) → {accepted, late}
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
import type { Verify } from './credentials.ts';
import { liveMetrics } from './metrics.ts';
import { BadReport, parseReports } from './reports.ts';

export interface LiveServerOptions {
  site: Site;
  config: DeepPartial<EngineConfig>;
  live?: LiveOptions;
  verify: Verify;
  /** Largest accepted POST body, bytes. Valid range 1 KiB..1 GiB; default 16 MiB. */
  bodyLimitBytes?: number;
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

interface Subscriber {
  types: Set<LiveEventType>;
  res: ServerResponse;
}

export function liveServer(opts: LiveServerOptions): LiveServer {
  const bodyLimit = opts.bodyLimitBytes ?? 16 * 1024 * 1024;
  if (!(bodyLimit >= 1024 && bodyLimit <= 2 ** 30)) throw new Error(`bodyLimitBytes must be in 1 KiB..1 GiB, got ${bodyLimit}`);
  const app = Fastify({ bodyLimit, ...(opts.tls ? { https: opts.tls } : {}) }) as unknown as FastifyInstance;
  const subscribers = new Set<Subscriber>();
  const metrics = liveMetrics(() => engine.stats(), () => subscribers.size);
  const deliver = (e: LiveEvent): void => {
    metrics.eventOut(e.type);
    if (subscribers.size === 0) return;
    const frame = `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
    for (const s of subscribers) if (s.types.has(e.type)) s.res.write(frame);
  };
  const engine = new LiveEngine(opts.site, opts.config, deliver, opts.live);
  const apIndex = new Map(opts.site.aps.map((ap, i) => [ap.id, i]));
  let draining = false;
  let ended = false;

  const roleOf = (req: FastifyRequest): Role => {
    const h = req.headers.authorization;
    if (h === undefined) throw new HttpError(401, 'missing credential (Authorization: Bearer <token>)');
    const m = /^Bearer (.+)$/.exec(h);
    const role = opts.verify(m?.[1]);
    if (role === null) throw new HttpError(401, 'wrong credential');
    return role;
  };
  const need = (req: FastifyRequest, role: Role): void => {
    if (roleOf(req) !== role) throw new HttpError(403, `this needs the ${role} role`);
  };

  app.addContentTypeParser('application/x-ndjson', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err instanceof HttpError ? err.statusCode : err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status === 413) metrics.rejected('oversized', 0);
    if (status === 401 || status === 403) metrics.rejected('credential', 0);
    if (status >= 500) req.log.error(err);
    void reply.code(status).type('application/json').send(JSON.stringify({ error: status >= 500 ? 'internal error' : oneLine(err.message) }) + '\n');
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).type('application/json').send(JSON.stringify({ error: `no route ${req.method} ${req.url.split('?')[0]}` }) + '\n');
  });

  app.get('/healthz', async () => ({ status: draining ? 'draining' : ended ? 'ended' : 'ok' }));
  app.get('/metrics', async (_req, reply) => reply.type(metrics.contentType).send(await metrics.text()));

  app.post('/reports', async (req, reply) => {
    need(req, 'admin');
    if (draining || ended) throw new HttpError(draining ? 503 : 409, draining ? 'draining: not taking reports' : 'the stream has ended');
    if (typeof req.body !== 'string') throw new HttpError(415, 'send reports as NDJSON (Content-Type: application/x-ndjson)');
    let rows;
    try {
      rows = parseReports(req.body, apIndex);
    } catch (err) {
      if (!(err instanceof BadReport)) throw err;
      metrics.rejected(err.code, 1);
      throw new HttpError(err.code === 'unknown_ap' ? 422 : 400, err.message);
    }
    let late = 0;
    for (let i = 0; i < rows.length; i++) {
      if (!engine.push(rows.tMs[i], rows.deviceId[i], rows.tech[i], rows.apIdx[i], rows.rssiDbm[i])) late++;
    }
    metrics.rejected('late', late);
    return reply.send({ accepted: rows.length - late, late });
  });

  app.post('/end', async (req) => {
    need(req, 'admin');
    if (!ended) engine.end();
    ended = true;
    // Marks the end on every event stream, after the last events end() emitted.
    for (const sub of subscribers) sub.res.write(': end\n\n');
    return { status: 'ended', ...engine.stats() };
  });

  app.get('/events', (req: FastifyRequest<{ Querystring: { types?: string } }>, reply: FastifyReply) => {
    const role = roleOf(req);
    const allowed = visibleTypes(role);
    const asked = req.query.types === undefined ? allowed : req.query.types.split(',').filter(Boolean) as LiveEventType[];
    const unknown = asked.find((t) => !EVENT_TYPES.includes(t));
    if (unknown) throw new HttpError(400, `unknown event type '${unknown}' (known: ${EVENT_TYPES.join(', ')})`);
    const refused = asked.find((t) => !allowed.includes(t));
    if (refused) throw new HttpError(403, `role '${role}' may not receive '${refused}' events (allowed: ${allowed.join(', ')})`);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': subscribed\n\n');
    const sub: Subscriber = { types: new Set(asked), res };
    subscribers.add(sub);
    req.raw.on('close', () => subscribers.delete(sub));
  });

  const drain = async (): Promise<void> => {
    draining = true;
    // POSTs already in the handler ran to completion on this thread; close() waits for any still arriving.
    if (!ended) engine.end();
    ended = true;
    for (const s of subscribers) s.res.end();
    subscribers.clear();
    await app.close();
  };
  return { app, engine, drain };
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}
