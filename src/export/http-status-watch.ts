import { subscribe, unsubscribe } from 'node:diagnostics_channel';

// The HTTP status of an export that the exporter does not report: for 429, 502, 503 and 504
// the OTLP HTTP transport retries until its timeout and hands back only "retryable", without
// the status (otlp-exporter-base's ExportResponseRetryable carries none). Node's HTTP client
// announces every response on a diagnostics channel; one watch per export attempt keeps the
// last status from that attempt's URL, and stops listening when the attempt ends.

const CHANNEL = 'http.client.response.finish';

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

/** Watches responses from `url` (an OTLP/HTTP endpoint) until stop(). */
export function watchHttpStatus(url: string): HttpStatusWatch {
  const wanted = normalUrl(url);
  let last: number | undefined;
  const onResponse = (message: unknown) => {
    const seen = responseOf(message);
    if (seen && seen.url === wanted) last = seen.status;
  };
  if (wanted) subscribe(CHANNEL, onResponse);
  return {
    get last() {
      return last;
    },
    stop: () => {
      if (wanted) unsubscribe(CHANNEL, onResponse);
    },
  };
}

function responseOf(message: unknown): { url: string; status: number } | undefined {
  const request: unknown = typeof message === 'object' && message !== null ? Reflect.get(message, 'request') : undefined;
  const response: unknown = typeof message === 'object' && message !== null ? Reflect.get(message, 'response') : undefined;
  if (typeof request !== 'object' || request === null || typeof response !== 'object' || response === null) return undefined;
  const protocol: unknown = Reflect.get(request, 'protocol');
  const path: unknown = Reflect.get(request, 'path');
  const getHeader: unknown = Reflect.get(request, 'getHeader');
  const status: unknown = Reflect.get(response, 'statusCode');
  if (typeof protocol !== 'string' || typeof path !== 'string' || typeof getHeader !== 'function' || typeof status !== 'number') return undefined;
  const host: unknown = Reflect.apply(getHeader, request, ['host']);
  if (typeof host !== 'string') return undefined;
  const url = normalUrl(`${protocol}//${host}${path}`);
  return url ? { url, status } : undefined;
}
