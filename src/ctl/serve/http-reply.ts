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
