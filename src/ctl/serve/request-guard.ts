import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// Who may ask the server anything. A web page the user opens elsewhere can make the browser
// send requests to 127.0.0.1 (CSRF), or point a name of its own at 127.0.0.1 (DNS rebinding):
// such requests name a foreign Origin or Host and are refused. Everything else must carry the
// token made at start, which only the printed URL holds.

export type Refusal = { status: 400 | 401 | 403; reason: string };

const LOCAL_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** `host:port` → host, lowercase, without a trailing dot; undefined when malformed. */
function hostName(hostHeader: string): string | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(hostHeader.trim());
  return match?.[1]?.toLowerCase().replace(/\.$/, '');
}

/**
 * The names a request may call the server by: the loopback names, and the `--host` address
 * the server was told to listen on.
 */
export function allowedHosts(listenHost: string): Set<string> {
  const names = new Set(LOCAL_NAMES);
  const host = listenHost.toLowerCase();
  names.add(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  return names;
}

export function checkHostAndOrigin(req: IncomingMessage, hosts: Set<string>): Refusal | undefined {
  const host = req.headers.host;
  // HTTP/1.1 requires it (Node's own check is off so that this answer is JSON like every other).
  if (host === undefined) return { status: 400, reason: 'no Host header' };
  const name = hostName(host);
  if (name === undefined || !hosts.has(name)) return { status: 403, reason: 'the Host header does not name this machine (DNS rebinding is refused)' };
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      const url = new URL(origin);
      originHost = url.protocol === 'http:' ? url.hostname.toLowerCase() : undefined;
    } catch {
      originHost = undefined;
    }
    const bracketed = originHost?.includes(':') && !originHost.startsWith('[') ? `[${originHost}]` : originHost;
    if (bracketed === undefined || !hosts.has(bracketed)) return { status: 403, reason: 'requests from other sites are refused' };
  }
  // A browser says so when a page of another site made the request, even where it sends no Origin.
  if (req.headers['sec-fetch-site'] === 'cross-site') return { status: 403, reason: 'requests from other sites are refused' };
  return undefined;
}

/** The token from `Authorization: Bearer <token>`, else from the query's `token`. */
export function checkToken(req: IncomingMessage, query: URLSearchParams, token: string): Refusal | undefined {
  const header = req.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
  const given = bearer ?? query.get('token') ?? undefined;
  if (given !== undefined && sameText(given, token)) return undefined;
  return {
    status: 401,
    reason: given === undefined ? 'a token is needed: use the URL serve printed, or send Authorization: Bearer <token>' : 'the token is wrong',
  };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
