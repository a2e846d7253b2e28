import { createServer, maxHeaderSize } from 'node:http';
import type { Duplex } from 'node:stream';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { computeStats } from '../views/session-stats.ts';
import { groupStats } from '../views/grouped-stats.ts';
import { sessionsAsOtlpJson } from '../views/session-otlp.ts';
import type { Warn } from '../views/store-reader.ts';
import { STATS_QUERY, TOKEN_ONLY_QUERY, TRACE_KEY, TRACES_QUERY, check, checkQuery } from './api-params.ts';
import type { Checked } from './api-params.ts';
import { allowedHosts, checkHostAndOrigin, checkToken } from './request-guard.ts';
import { clientErrorStatus, rawErrorResponse, replyError, replyHtml, replyJson, startEventStream } from './http-reply.ts';
import type { ParserError } from './http-reply.ts';
import { StoreSnapshot } from './store-snapshot.ts';
import { ApiFailure, filterSessions, sessionByKey, statsPeriod, traceItem } from './trace-queries.ts';
import { livePage, pageContentSecurityPolicy } from './live-page.ts';
import { sessionFragment, sessionsFragment } from './page-fragments.ts';

// `claude-otel-ctl serve`: the store over HTTP, read-only. Every request passes the guard
// (Host and Origin local, then the token) before its route is looked up; every parameter is
// checked before the store is read; a request that goes wrong in any way gets a JSON error
// with its status, and the server goes on.
//
//   GET /                                   the live page
//   GET /api/traces                         sessions, filtered and paged
//   GET /api/traces/stats/summary           what `stats` computes
//   GET /api/traces/{key}                   one session and its spans (OTLP JSON)
//   GET /api/traces/{key}/spans             its spans: an OTLP JSON trace request
//   GET /api/events                         server-sent events: `store` when the store changed
//   GET /page/sessions[/{key}]              the page's parts, drawn by the report's rendering

export interface TraceServerOptions {
  stateDir: string;
  host: string;
  port: number;
  /** Made at random when not given. */
  token?: string;
  warn: Warn;
}

export interface TraceServer {
  url: string;
  token: string;
  server: Server;
  close(): Promise<void>;
}

/** How often the store is looked at while a page listens for changes. */
const WATCH_MS = 500;
/** A comment line on idle event streams, so that proxies and browsers keep them open. */
const KEEPALIVE_MS = 15_000;

type Route = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams, now: number) => void;

/** Whether every name and value of a query (`?a=b&c=d`) decodes. */
export function wellEncodedQuery(search: string): boolean {
  for (const part of search.slice(1).split('&')) {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      return false;
    }
  }
  return true;
}

export function startTraceServer(options: TraceServerOptions): Promise<TraceServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const listeners = new Set<ServerResponse>();
  // Every change is announced, also one that a request for a page or the API saw first.
  const announce = (): void => {
    const line = `event: store\ndata: ${JSON.stringify({ version: snapshot.version })}\n\n`;
    for (const res of listeners) res.write(line);
  };
  const snapshot = new StoreSnapshot(options.stateDir, options.warn, announce);
  const hosts = allowedHosts(options.host);
  let watch: NodeJS.Timeout | undefined;

  const watchStore = (): void => {
    if (watch || listeners.size === 0) return;
    watch = setInterval(() => {
      if (listeners.size === 0) {
        clearInterval(watch);
        watch = undefined;
        return;
      }
      try {
        snapshot.refresh();
      } catch (error) {
        options.warn(`could not look at the store: ${String(error)}`);
      }
    }, WATCH_MS);
  };
  const keepalive = setInterval(() => {
    for (const res of listeners) res.write(': keepalive\n\n');
  }, KEEPALIVE_MS);
  keepalive.unref();

  const params = <T>(res: ServerResponse, checked: Checked<T>): T | undefined => {
    if (checked.ok) return checked.value;
    replyError(res, 400, checked.reason);
    return undefined;
  };

  const routes = {
    page: (_req, res, query) => {
      if (params(res, checkQuery(TOKEN_ONLY_QUERY, query)) === undefined) return;
      const nonce = randomBytes(16).toString('base64');
      replyHtml(res, livePage(nonce), { 'content-security-policy': pageContentSecurityPolicy(nonce) });
    },
    list: (_req, res, query, now) => {
      const q = params(res, checkQuery(TRACES_QUERY, query));
      if (!q) return;
      const chosen = filterSessions(snapshot.current().sessions(), q, now);
      const page = chosen.slice(q.offset, q.offset + q.limit);
      replyJson(res, 200, JSON.stringify({ traces: page.map(traceItem), total: chosen.length, limit: q.limit, offset: q.offset }));
    },
    stats: (_req, res, query, now) => {
      const q = params(res, checkQuery(STATS_QUERY, query));
      if (!q) return;
      const { from, to } = statsPeriod(q, now);
      const store = snapshot.current();
      const chosen = store.sessions().filter((s) => s.startTime >= from && s.startTime < to);
      const withSpans = chosen.map((figures) => ({ figures, spans: store.spans(figures) }));
      const stats = computeStats(withSpans);
      const period = { since: new Date(from).toISOString(), until: new Date(to).toISOString() };
      const body = q.by === undefined ? { ...period, ...stats } : { ...period, by: q.by, sessions: stats.sessions, groups: groupStats(withSpans, q.by) };
      replyJson(res, 200, JSON.stringify(body));
    },
    events: (req, res, query) => {
      if (params(res, checkQuery(TOKEN_ONLY_QUERY, query)) === undefined) return;
      startEventStream(res);
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      snapshot.refresh();
      res.write(`event: store\ndata: ${JSON.stringify({ version: snapshot.version })}\n\n`);
      listeners.add(res);
      res.on('close', () => listeners.delete(res));
      res.on('error', () => listeners.delete(res));
      watchStore();
    },
    pageSessions: (_req, res, query, now) => {
      const q = params(res, checkQuery(TRACES_QUERY, query));
      if (!q) return;
      const all = snapshot.current().sessions();
      const chosen = filterSessions(all, q, now);
      replyHtml(res, sessionsFragment(chosen.slice(q.offset, q.offset + q.limit), chosen.length, all.length));
    },
  } satisfies Record<string, Route>;

  const withKey = (key: string, res: ServerResponse, query: URLSearchParams, answer: (record: ReturnType<typeof sessionByKey>) => void): void => {
    if (params(res, checkQuery(TOKEN_ONLY_QUERY, query)) === undefined) return;
    const checked = params(res, check(TRACE_KEY, key));
    if (checked === undefined) return;
    answer(sessionByKey(snapshot.current().sessions(), checked));
  };

  const dispatch = (req: IncomingMessage, res: ServerResponse): void => {
    const refusedSite = checkHostAndOrigin(req, hosts);
    if (refusedSite) {
      replyError(res, refusedSite.status, refusedSite.reason);
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://serve.invalid');
    } catch {
      replyError(res, 400, 'malformed request target');
      return;
    }
    const refusedToken = checkToken(req, url.searchParams, token);
    if (refusedToken) {
      replyError(res, refusedToken.status, refusedToken.reason);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      replyError(res, 405, 'read-only: only GET and HEAD are answered', { allow: 'GET, HEAD' });
      return;
    }
    // Segments as sent: an encoded slash or dot-dot stays inside its segment and names no route.
    const raw = url.pathname.split('/').slice(1);
    let segments: string[];
    try {
      segments = raw.map((part) => decodeURIComponent(part));
    } catch {
      replyError(res, 400, 'malformed percent-encoding in the path');
      return;
    }
    // URLSearchParams keeps a bad escape as it is; refused like one in the path.
    if (!wellEncodedQuery(url.search)) {
      replyError(res, 400, 'malformed percent-encoding in the query');
      return;
    }
    if (segments.length > 1 && segments.at(-1) === '') segments.pop();
    const now = Date.now();
    const [first, second, third, fourth, ...rest] = segments;
    if (rest.length > 0) {
      replyError(res, 404, 'no such route');
      return;
    }
    if (first === '' && segments.length === 1) {
      routes.page(req, res, url.searchParams);
      return;
    }
    if (first === 'api' && second === 'events' && third === undefined) {
      routes.events(req, res, url.searchParams);
      return;
    }
    if (first === 'api' && second === 'traces') {
      if (third === undefined) {
        routes.list(req, res, url.searchParams, now);
        return;
      }
      if (third === 'stats' && fourth === 'summary') {
        routes.stats(req, res, url.searchParams, now);
        return;
      }
      if (fourth === undefined) {
        withKey(third, res, url.searchParams, (record) => {
          const spans = sessionsAsOtlpJson([record], options.warn);
          replyJson(res, 200, `{"trace":${JSON.stringify(traceItem(record))},"spans":${spans}}`);
        });
        return;
      }
      if (fourth === 'spans') {
        withKey(third, res, url.searchParams, (record) => replyJson(res, 200, sessionsAsOtlpJson([record], options.warn)));
        return;
      }
    }
    if (first === 'page' && second === 'sessions') {
      if (third === undefined) {
        routes.pageSessions(req, res, url.searchParams, now);
        return;
      }
      if (fourth === undefined) {
        withKey(third, res, url.searchParams, (record) => replyHtml(res, sessionFragment(record, snapshot.current(), now)));
        return;
      }
    }
    replyError(res, 404, 'no such route: the API is under /api/traces');
  };

  // Without Host the guard answers (400, as JSON); Node's own check would answer a bare 400.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    try {
      dispatch(req, res);
    } catch (error) {
      if (error instanceof ApiFailure) return replyError(res, error.status, error.message);
      options.warn(`a request failed: ${error instanceof Error ? error.message : String(error)}`);
      replyError(res, 500, 'the request could not be answered (see the server’s stderr)');
    }
  });
  // A request Node's parser refuses (not HTTP, an unknown method, a URL or headers too large)
  // gets the JSON error of every other and its connection closed; the server goes on.
  server.on('clientError', (error: Error & ParserError, socket: Duplex) => {
    // Node's own handler checks the same: an answer already begun on this connection cannot take another.
    const begun = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (!socket.writable || begun || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const { status, message } = clientErrorStatus(error, maxHeaderSize);
    socket.end(rawErrorResponse(status, message));
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${hostInUrl}:${address.port}/?token=${token}`,
        token,
        server,
        close: () =>
          new Promise<void>((done) => {
            clearInterval(keepalive);
            if (watch) clearInterval(watch);
            for (const res of listeners) res.end();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
