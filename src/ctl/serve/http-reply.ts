import { STATUS_CODES } from 'node:http';
import type { ServerResponse } from 'node:http';

// The headers every answer carries: nothing is cached (the token is in the URL), no other site
// may frame or read it (no CORS header is ever sent), and the URL is never passed on as a referrer.

const COMMON: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

export function reply(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const bytes = Buffer.from(body);
  res.writeHead(status, { ...COMMON, 'content-type': contentType, 'content-length': String(bytes.length), ...headers });
  // A HEAD request gets the headers alone.
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

export function replyJson(res: ServerResponse, status: number, json: string, headers: Record<string, string> = {}): void {
  reply(res, status, 'application/json; charset=utf-8', json, headers);
}

/** An error as JSON: `{"error": {"status": 400, "message": "..."}}`, never a stack trace. */
export function replyError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  replyJson(res, status, JSON.stringify({ error: { status, message } }), headers);
}

export function replyHtml(res: ServerResponse, html: string, headers: Record<string, string> = {}): void {
  reply(res, 200, 'text/html; charset=utf-8', html, headers);
}

/** Starts a server-sent event stream. */
export function startEventStream(res: ServerResponse): void {
  res.writeHead(200, { ...COMMON, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
  res.write(': claude-otel-ctl serve\n\n');
}

/** What Node's parser says of a request it refused before any handler saw it (`clientError`). */
export interface ParserError {
  code?: string;
  rawPacket?: unknown;
}

/**
 * The status and reason for a request Node refused: a request line or headers past
 * `maxHeaderSize` (together) are 414 when the request line holds most of it, else 431.
 */
export function clientErrorStatus(error: ParserError, maxHeaderSize: number): { status: number; message: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    // The packet the parser stopped in; one that starts a request starts with its request line.
    const packet = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1') : '';
    const end = packet.indexOf('\n');
    const line = end === -1 ? packet : packet.slice(0, end);
    if (/^[A-Z]+ /.test(line) && line.length > maxHeaderSize / 2) return { status: 414, message: 'the URL is too long' };
    return { status: 431, message: `the request line and headers are too large (at most ${maxHeaderSize} bytes)` };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, message: 'the request took too long to arrive' };
  if (error.code === 'HPE_INVALID_METHOD') return { status: 400, message: 'unknown method: only GET and HEAD are answered' };
  return { status: 400, message: 'malformed request: not HTTP this server can read' };
}

/** A whole answer written straight to a socket, for a request that never got a response object. */
export function rawErrorResponse(status: number, message: string): string {
  const body = JSON.stringify({ error: { status, message } });
  const headers = { ...COMMON, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${lines.join('')}\r\n${body}`;
}
