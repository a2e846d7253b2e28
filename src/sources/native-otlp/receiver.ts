import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { TOKEN_HEADER } from './child-env.ts';
import type { NativeEndpoint } from './child-env.ts';
import type { NativeSignal } from './decode-request.ts';
import type { NativeBatch } from './native-records.ts';

// The loopback OTLP/HTTP receiver Claude Code's own exporters send to for one run. It binds
// 127.0.0.1 on a port the system picks, and takes requests only with the run's random token
// (a header only claude's environment holds). It never makes claude wait on the session: a
// request is answered as soon as it is read, whatever it held. Wrong token → 401, not OTLP →
// 400, too large → 413; after close, what still arrives is answered and dropped.

const PATHS: Record<string, NativeSignal> = { '/v1/traces': 'traces', '/v1/logs': 'logs', '/v1/metrics': 'metrics' };
/** The largest request taken; Claude's batches are far smaller. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface ReceiverEvents {
  onBatch: (signal: NativeSignal, batch: NativeBatch) => void;
  /** A request refused, with the status it got and why (for the debug log). */
  onRefused?: (status: number, reason: string) => void;
}

export interface NativeReceiver {
  endpoint: NativeEndpoint;
  /** Requests being read right now. */
  readonly inFlight: number;
  /** Requests taken so far, of each signal. */
  readonly taken: Record<NativeSignal, number>;
  /** Resolves when no request is being read (at once if none is). */
  idle(): Promise<void>;
  /** Stops taking requests; what arrives later is dropped. */
  close(): void;
}

function tokenMatches(given: string | string[] | undefined, token: Buffer): boolean {
  if (typeof given !== 'string') return false;
  const bytes = Buffer.from(given);
  return bytes.length === token.length && timingSafeEqual(bytes, token);
}

/**
 * The decoder (protobufjs, the schemas) loads after the receiver is up, so that claude, which
 * is started once the receiver listens, never waits for it.
 */
let decoder: Promise<typeof import('./decode-request.ts')> | undefined;
function loadDecoder(): Promise<typeof import('./decode-request.ts')> {
  decoder ??= import('./decode-request.ts');
  return decoder;
}

export async function startNativeReceiver(events: ReceiverEvents): Promise<NativeReceiver> {
  const tokenText = randomBytes(24).toString('hex');
  const token = Buffer.from(tokenText);
  let closed = false;
  let inFlight = 0;
  const taken: Record<NativeSignal, number> = { traces: 0, logs: 0, metrics: 0 };
  let waiters: (() => void)[] = [];
  const sockets = new Set<Socket>();

  const done = () => {
    inFlight -= 1;
    if (inFlight === 0) {
      const ready = waiters;
      waiters = [];
      for (const resolve of ready) resolve();
    }
  };

  const answer = (res: ServerResponse, status: number, json: boolean, reason?: string) => {
    if (reason !== undefined) events.onRefused?.(status, reason);
    if (status === 200) {
      // An empty Export<Signal>ServiceResponse: no partial success to report.
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : undefined);
      return;
    }
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(`${reason ?? 'refused'}\n`);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    res.on('close', done);
    const signal = PATHS[(req.url ?? '').split('?')[0] ?? ''];
    const json = (req.headers['content-type'] ?? '').toLowerCase().includes('json');
    if (req.method !== 'POST' || signal === undefined) {
      req.resume();
      answer(res, 404, json, `no such OTLP endpoint: ${req.method} ${(req.url ?? '').slice(0, 80)}`);
      return;
    }
    if (!tokenMatches(req.headers[TOKEN_HEADER], token)) {
      req.resume();
      answer(res, 401, json, 'a request without this run’s token');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (tooLarge) return answer(res, 413, json, `a request over ${MAX_BODY_BYTES} bytes`);
      void loadDecoder().then(
        ({ NativeDecodeError, decodeNativeRequest }) => {
          // Late: claude's export after the session was stored. Answered, so claude does not retry it.
          if (closed) return answer(res, 200, json);
          try {
            let body = Buffer.concat(chunks);
            if ((req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') body = gunzipSync(body, { maxOutputLength: MAX_BODY_BYTES });
            const batch = decodeNativeRequest(signal, body, json);
            taken[signal] += 1;
            events.onBatch(signal, batch);
            answer(res, 200, json);
          } catch (error) {
            const reason = error instanceof NativeDecodeError ? error.message : `unreadable request: ${error instanceof Error ? error.message : String(error)}`;
            answer(res, 400, json, reason.slice(0, 200));
          }
        },
        (error: unknown) => answer(res, 500, json, `cannot decode OTLP: ${String(error).slice(0, 120)}`),
      );
    });
  };

  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  // Never keeps the wrapper alive on its own.
  server.unref();
  // Loaded while claude starts.
  setImmediate(() => void loadDecoder().catch(() => {}));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: { url: `http://127.0.0.1:${port}`, token: tokenText },
    get inFlight() {
      return inFlight;
    },
    taken,
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    close: () => {
      if (closed) return;
      closed = true;
      server.close();
      for (const socket of sockets) if (!socket.destroyed) socket.unref();
    },
  };
}
