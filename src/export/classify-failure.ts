import type { OtlpProtocol } from '../config/otlp-config.ts';
import { withoutUserinfo } from '../privacy/url-userinfo.ts';

// Why an export failed, in words a person can act on: connection refused, timeout, HTTP
// status, TLS, or the wrong protocol for the port. The same words in the debug log,
// claude-otel-ctl doctor and replay.

export type FailureKind = 'refused' | 'timeout' | 'http-status' | 'tls' | 'protocol-mismatch' | 'host-not-found' | 'grpc-status' | 'other';

export interface ExportFailure {
  kind: FailureKind;
  reason: string;
  /** The collector's HTTP status, when it answered with one. */
  httpStatus?: number;
}

// ---------------------------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------------------------

const GRPC_CODES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];
const HTTP_REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
const TLS_CODES = /^(EPROTO|ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)/;
const TLS_TEXT = /SSL routines|wrong version number|certificate|self[- ]signed|TLS|handshake/i;
// HTTP/2 frame types a gRPC server sends first: SETTINGS (4), GOAWAY (7).
const HTTP2_FIRST_FRAME_TYPES = new Set([0x04, 0x07]);

interface ErrorFacts {
  message: string;
  code: string | number | undefined;
  data: string | undefined;
  rawPacket: Uint8Array | undefined;
}

function factsOf(error: unknown): ErrorFacts {
  if (!(error instanceof Error))
    return { message: error === undefined ? 'export failed' : String(error), code: undefined, data: undefined, rawPacket: undefined };
  const code: unknown = Reflect.get(error, 'code');
  const data: unknown = Reflect.get(error, 'data');
  const rawPacket: unknown = Reflect.get(error, 'rawPacket');
  return {
    message: error.message.trim(),
    code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
    data: typeof data === 'string' && data.trim() ? data.trim() : undefined,
    rawPacket: rawPacket instanceof Uint8Array ? rawPacket : undefined,
  };
}

export function classifyExportFailure(error: unknown, context: { protocol: OtlpProtocol; timeoutMs: number; httpStatus?: number }): ExportFailure {
  // The reason is printed (doctor, replay, the debug log): no URL in it keeps its userinfo.
  const raw = factsOf(error);
  const facts = { ...raw, message: withoutUserinfo(raw.message) };
  const { message, code } = facts;
  const grpc = context.protocol === 'grpc';

  const mismatch = protocolMismatch(facts, grpc);
  if (mismatch) return { kind: 'protocol-mismatch', reason: mismatch };
  if ((typeof code === 'string' && TLS_CODES.test(code)) || TLS_TEXT.test(message)) return { kind: 'tls', reason: `TLS error: ${tlsDetail(message)}` };
  if (code === 'ECONNREFUSED' || /ECONNREFUSED|connection refused/i.test(message)) return { kind: 'refused', reason: `connection refused (${brief(message)})` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || /ENOTFOUND|EAI_AGAIN|Name resolution failed/i.test(message))
    return { kind: 'host-not-found', reason: `host not found (${brief(message)})` };
  if (/Request timed out|DEADLINE_EXCEEDED|Deadline exceeded|ETIMEDOUT|timed? ?out/i.test(message) || code === 'ETIMEDOUT') {
    return { kind: 'timeout', reason: `timeout: no answer within ${context.timeoutMs} ms` };
  }
  if (!grpc && typeof code === 'number' && code >= 400) {
    return { kind: 'http-status', httpStatus: code, reason: `HTTP ${code} ${HTTP_REASONS[code] ?? message}${facts.data ? `: ${brief(facts.data)}` : ''}` };
  }
  if (!grpc && /retryable status/i.test(message)) {
    // The exporter retried 429/502/503/504 until its timeout and kept no status; the HTTP client saw it.
    if (context.httpStatus !== undefined) {
      const text = HTTP_REASONS[context.httpStatus];
      return {
        kind: 'http-status',
        httpStatus: context.httpStatus,
        reason: `HTTP ${context.httpStatus}${text ? ` ${text}` : ''} (retried until the timeout)`,
      };
    }
    return { kind: 'http-status', reason: 'HTTP 429, 502, 503 or 504 until the timeout' };
  }
  if (grpc && typeof code === 'number' && GRPC_CODES[code])
    return { kind: 'grpc-status', reason: `gRPC ${GRPC_CODES[code]}: ${brief(message.replace(/^\d+ [A-Z_]+: ?/, '')) || 'no details'}` };
  return { kind: 'other', reason: brief(message) || 'export failed' };
}

/** gRPC sent to an OTLP/HTTP port, or OTLP/HTTP sent to a gRPC port, as the errors show it. */
function protocolMismatch(facts: ErrorFacts, grpc: boolean): string | undefined {
  const { message, code } = facts;
  if (grpc) {
    // grpc-js got an HTTP/1.1 answer (or a non-gRPC HTTP/2 one) where it expected gRPC.
    if (/Protocol error|Received HTTP status code|Unexpected content-type|HPE_|Parse Error/i.test(message)) {
      return 'protocol mismatch: sent gRPC, but the endpoint does not speak gRPC (it looks like an OTLP/HTTP port, usually 4318); set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf or use the gRPC port (usually 4317)';
    }
    return undefined;
  }
  const unparsable = code === 'HPE_INVALID_CONSTANT' || /Parse Error: Expected HTTP\//.test(message);
  if (!unparsable) return undefined;
  const packet = facts.rawPacket;
  const tlsRecord = packet !== undefined && packet.length >= 2 && (packet[0] === 0x15 || packet[0] === 0x16) && packet[1] === 0x03;
  if (tlsRecord) return undefined;
  const http2 = packet === undefined || (packet.length >= 9 && HTTP2_FIRST_FRAME_TYPES.has(packet[3] ?? -1));
  if (!http2) return undefined;
  return 'protocol mismatch: sent OTLP/HTTP, but the endpoint answered with HTTP/2 frames (it looks like a gRPC port, usually 4317); set OTEL_EXPORTER_OTLP_PROTOCOL=grpc or use the OTLP/HTTP port (usually 4318)';
}

function tlsDetail(message: string): string {
  if (/wrong version number/i.test(message))
    return "the endpoint is https:// but the server does not speak TLS (use http://, OTEL_EXPORTER_OTLP_INSECURE=true for a gRPC endpoint given without a scheme, or the server's TLS port)";
  const cert = /self[- ]signed certificate[^.\n]*|certificate has expired|unable to (?:verify|get)[^.\n]*|Hostname\/IP does not match[^.\n]*/i.exec(message);
  return cert ? cert[0] : brief(message);
}

/** The first line of a message, without the long OpenSSL source locations and gRPC resolution notes. */
function brief(message: string): string {
  return (message.split('\n')[0] ?? '')
    .replace(/\.? ?Resolution note:.*$/, '')
    .replace(/:\.\.\/deps\/openssl\S*/, '')
    .replace(/ \(\d{4}-\d\d-\d\dT[\d:.]+Z\)/, '')
    .trim()
    .slice(0, 300);
}
