import { subscribe, unsubscribe } from 'node:diagnostics_channel';

// The HTTP status of an export that the exporter does not report: for 429, 502, 503 and 504
// the OTLP HTTP transport retries until its timeout and hands back only "retryable", without
// the status (otlp-exporter-base's ExportResponseRetryable carries none). Node's HTTP client
// announces every response on a diagnostics channel; one watch per export attempt keeps the
// last status from that attempt's URL, and stops listening when the attempt ends.
//
// A refused connection the transport also retries until its timeout: with nothing listening,
// the wrapper would wait out its whole flush budget after claude has ended (gRPC gives up at
// once). The watch sees each request start, and tells of the first one to that URL refused.

const CHANNEL = 'http.client.response.finish';
const REQUEST_CHANNEL = 'http.client.request.start';

export interface HttpStatusWatch {
  /** The last status a response from the watched URL had, if one came. */
  readonly last: number | undefined;
  stop(): void;
}

export function normalUrl(url: string): string | undefined {
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}

/** Watches responses from `url` (an OTLP/HTTP endpoint) until stop(); `onRefused` hears of a connection to it refused. */
export function watchHttpStatus(url: string, onRefused?: (error: Error) => void): HttpStatusWatch {
  const wanted = normalUrl(url);
  let last: number | undefined;
  let stopped = false;
  const onResponse = (message: unknown) => {
    const seen = responseOf(message);
    if (seen && seen.url === wanted) last = seen.status;
  };
  const onRequest = (message: unknown) => {
    const request = requestOf(message);
    if (!request || request.url !== wanted) return;
    // One more listener on the request: the transport's own still handles the error as before.
    request.emitter.once('error', (error: unknown) => {
      if (!stopped && error instanceof Error && Reflect.get(error, 'code') === 'ECONNREFUSED') onRefused?.(error);
    });
  };
  if (wanted) {
    subscribe(CHANNEL, onResponse);
    if (onRefused) subscribe(REQUEST_CHANNEL, onRequest);
  }
  return {
    get last() {
      return last;
    },
    stop: () => {
      stopped = true;
      if (!wanted) return;
      unsubscribe(CHANNEL, onResponse);
      if (onRefused) unsubscribe(REQUEST_CHANNEL, onRequest);
    },
  };
}

interface ClientRequestLike {
  url: string;
  emitter: { once(event: 'error', listener: (error: unknown) => void): unknown };
}

/** The URL a client request goes to, from what Node's HTTP client announces. */
function urlOf(request: object): string | undefined {
  const protocol: unknown = Reflect.get(request, 'protocol');
  const path: unknown = Reflect.get(request, 'path');
  const getHeader: unknown = Reflect.get(request, 'getHeader');
  if (typeof protocol !== 'string' || typeof path !== 'string' || typeof getHeader !== 'function') return undefined;
  const host: unknown = Reflect.apply(getHeader, request, ['host']);
  return typeof host === 'string' ? normalUrl(`${protocol}//${host}${path}`) : undefined;
}

function requestOf(message: unknown): ClientRequestLike | undefined {
  const request: unknown = typeof message === 'object' && message !== null ? Reflect.get(message, 'request') : undefined;
  if (typeof request !== 'object' || request === null) return undefined;
  const once: unknown = Reflect.get(request, 'once');
  const url = urlOf(request);
  if (typeof once !== 'function' || url === undefined) return undefined;
  return { url, emitter: { once: (event, listener) => Reflect.apply(once, request, [event, listener]) } };
}

function responseOf(message: unknown): { url: string; status: number } | undefined {
  const request: unknown = typeof message === 'object' && message !== null ? Reflect.get(message, 'request') : undefined;
  const response: unknown = typeof message === 'object' && message !== null ? Reflect.get(message, 'response') : undefined;
  if (typeof request !== 'object' || request === null || typeof response !== 'object' || response === null) return undefined;
  const status: unknown = Reflect.get(response, 'statusCode');
  const url = urlOf(request);
  return url !== undefined && typeof status === 'number' ? { url, status } : undefined;
}
