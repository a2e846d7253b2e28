import { parseKeyValueList } from './key-value-list.ts';
import type { EntryVerdict } from './key-value-list.ts';

// The export headers: OTEL_EXPORTER_OTLP_HEADERS for every signal, and each signal's own
// OTEL_EXPORTER_OTLP_<SIGNAL>_HEADERS on top of it. Only entries both HTTP and gRPC accept
// are kept: Node's HTTP client and gRPC's metadata throw on anything else, and gRPC's message
// would carry the value. A bad entry is dropped alone; the others are still sent.

/** Letters, digits, "-", "_", "." (what gRPC metadata keys allow, and HTTP too). */
const HEADER_NAME = /^[A-Za-z0-9_.-]+$/;
/** Printable ASCII: no CR/LF, no control or non-ASCII character. */
const HEADER_VALUE = /^[\x20-\x7e]*$/;

export const GENERAL_HEADERS_VARIABLE = 'OTEL_EXPORTER_OTLP_HEADERS';

export function signalHeadersVariable(signal: string): string {
  return `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_HEADERS`;
}

export function checkHeader(key: string, value: string): EntryVerdict {
  if (!HEADER_NAME.test(key)) return 'bad-key';
  return HEADER_VALUE.test(value) ? 'ok' : 'bad-value';
}

/** The valid entries of one header variable's value; each bad entry leaves one warning. */
export function parseHeaderVariable(text: string | undefined, name: string, warnings: string[]): Record<string, string> {
  return parseKeyValueList(text, warnings, name, checkHeader);
}
