/**
 * A real OTLP receiver for integration tests.
 *
 * It speaks OTLP/gRPC (a `@grpc/grpc-js` server) or OTLP/HTTP (protobuf and JSON on one `node:http`
 * server), decodes requests with protobufjs types loaded from the vendored upstream `.proto` files
 * in `test/fixtures/proto`, and normalises every span, log record and metric into plain shapes
 * (hex ids, unwrapped attribute values, bigint times) that tests can assert on directly.
 */
import { Server as GrpcServer, ServerCredentials, status as GrpcStatus } from '@grpc/grpc-js';
import type { MethodDefinition, Metadata, sendUnaryData, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createConnection, createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import protobuf from 'protobufjs';
import type { Enum, IConversionOptions, Type } from 'protobufjs';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';

export type AttrValue = string | number | boolean | bigint | null | AttrValue[] | { [k: string]: AttrValue };

export interface ReceivedScope {
  name: string;
  version: string;
}

export interface ReceivedSpan {
  /** Lowercase hex. */
  traceId: string;
  /** Lowercase hex. */
  spanId: string;
  /** Lowercase hex, '' for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind (0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer). */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, AttrValue>;
  status: { code: number; message: string };
  events: { name: string; timeUnixNano: bigint; attributes: Record<string, AttrValue> }[];
  links: { traceId: string; spanId: string; attributes: Record<string, AttrValue> }[];
  resource: Record<string, AttrValue>;
  scope: ReceivedScope;
  protocol: OtlpProtocol;
}

export interface ReceivedLog {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  eventName: string;
  body: AttrValue;
  attributes: Record<string, AttrValue>;
  /** Lowercase hex, '' when absent. */
  traceId: string;
  /** Lowercase hex, '' when absent. */
  spanId: string;
  resource: Record<string, AttrValue>;
  scope: ReceivedScope;
  protocol: OtlpProtocol;
}

export interface ReceivedDataPoint {
  attributes: Record<string, AttrValue>;
  /** Sum and gauge points. */
  value?: number;
  /** Histogram, exponential histogram and summary points. */
  count?: number;
  sum?: number;
  /** Explicit-bucket histogram points only. */
  bucketCounts?: number[];
  explicitBounds?: number[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
}

export type MetricType = 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary';

export interface ReceivedMetric {
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  /** Sums only. */
  isMonotonic?: boolean;
  dataPoints: ReceivedDataPoint[];
  resource: Record<string, AttrValue>;
  scope: ReceivedScope;
  protocol: OtlpProtocol;
}

/** `black-hole`: accept TCP connections and never answer anything. */
export type ReceiverBehaviour = 'accept' | 'http-503' | 'black-hole';

export type Signal = 'traces' | 'logs' | 'metrics';

export interface ReceivedRequest {
  /** HTTP path, or the gRPC method path (`/opentelemetry.proto.collector.trace.v1.TraceService/Export`). */
  path: string;
  signal: Signal;
  /** Media type without parameters; `application/grpc` for gRPC. */
  contentType: string;
  /** Lowercase names; gRPC metadata is reported here (binary values base64). */
  headers: Record<string, string>;
  /** The request message as it arrived (gzip undone), once read: to compare two sends byte for byte. */
  body?: Buffer;
}

export interface OtlpReceiver {
  protocol: OtlpProtocol;
  /** Base endpoint for OTEL_EXPORTER_OTLP_ENDPOINT, e.g. `http://127.0.0.1:PORT`. */
  endpoint: string;
  port: number;
  spans: ReceivedSpan[];
  logs: ReceivedLog[];
  metrics: ReceivedMetric[];
  /** Every export request received, including ones answered with an error. */
  requests: ReceivedRequest[];
  /** `black-hole` only: bytes taken in so far (a client is waiting for an answer once this grows). */
  readonly bytesSwallowed: number;
  /** Polls `pred` until it returns true; rejects with a summary of what arrived on timeout. */
  waitFor(pred: (r: OtlpReceiver) => boolean, timeoutMs?: number): Promise<void>;
  clear(): void;
  close(): Promise<void>;
}

export interface OtlpReceiverOptions {
  protocol: OtlpProtocol;
  behaviour?: ReceiverBehaviour;
  /** gRPC only: listen on this port (one found free with `closedPort()`), not on any free one. */
  port?: number;
}

export async function startOtlpReceiver(options: OtlpReceiverOptions): Promise<OtlpReceiver> {
  const behaviour = options.behaviour ?? 'accept';
  const receiver = new Receiver(options.protocol);
  const listener =
    behaviour === 'black-hole'
      ? await listenBlackHole((bytes) => (receiver.bytesSwallowed += bytes))
      : options.protocol === 'grpc'
        ? await listenGrpc(receiver, behaviour, options.port ?? 0)
        : await listenHttp(receiver, behaviour);
  receiver.attach(listener);
  return receiver;
}

/**
 * A loopback port with nothing listening on it. It is taken from below the range the OS hands
 * out for listen(0) and outgoing connections (Linux from 32768, macOS and Windows from 49152),
 * so a server another test starts meanwhile cannot end up on it.
 */
export async function closedPort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * 20_000);
    if (await refusesConnections(port)) return port;
  }
  throw new Error('no closed loopback port found between 10000 and 30000');
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: LOOPBACK, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

// ---------------------------------------------------------------------------------------------
// Receiver state
// ---------------------------------------------------------------------------------------------

const LOOPBACK = '127.0.0.1';
const DEFAULT_WAIT_MS = 15_000;
const POLL_MS = 20;

interface Listener {
  port: number;
  close(): Promise<void>;
}

class Receiver implements OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly logs: ReceivedLog[] = [];
  readonly metrics: ReceivedMetric[] = [];
  readonly requests: ReceivedRequest[] = [];
  bytesSwallowed = 0;
  port = 0;
  endpoint = '';
  private listener: Listener | undefined;
  private closing: Promise<void> | undefined;
  /** Cancels pending waitFor polls, so close() leaves no timers behind. */
  private readonly waiters = new Set<(reason: Error) => void>();

  constructor(readonly protocol: OtlpProtocol) {}

  attach(listener: Listener): void {
    this.listener = listener;
    this.port = listener.port;
    this.endpoint = `http://${LOOPBACK}:${listener.port}`;
  }

  /** Normalises one decoded export request (protobufjs `toObject` output or OTLP/JSON). */
  ingest(signal: Signal, request: unknown, protocol: OtlpProtocol): void {
    if (signal === 'traces') this.spans.push(...spansFromRequest(request, protocol));
    else if (signal === 'logs') this.logs.push(...logsFromRequest(request, protocol));
    else this.metrics.push(...metricsFromRequest(request, protocol));
  }

  waitFor(pred: (r: OtlpReceiver) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const finish = (error?: Error): void => {
        clearInterval(timer);
        this.waiters.delete(finish);
        if (error) reject(error);
        else resolve();
      };
      const check = (): void => {
        try {
          if (pred(this)) finish();
          else if (Date.now() >= deadline) finish(new Error(`waitFor timed out after ${timeoutMs}ms: ${this.describe()}`));
        } catch (error) {
          finish(error instanceof Error ? error : new Error(String(error)));
        }
      };
      const timer = setInterval(check, POLL_MS);
      this.waiters.add(finish);
      check();
    });
  }

  clear(): void {
    this.spans.length = 0;
    this.logs.length = 0;
    this.metrics.length = 0;
    this.requests.length = 0;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const cancel of [...this.waiters]) cancel(new Error(`OTLP receiver closed while waiting: ${this.describe()}`));
    await this.listener?.close();
  }

  private describe(): string {
    const paths = [...new Set(this.requests.map((r) => r.path))].join(', ') || 'none';
    return (
      `${this.protocol} receiver on ${this.endpoint} has ${this.spans.length} span(s), ${this.logs.length} log(s), ` +
      `${this.metrics.length} metric(s) from ${this.requests.length} request(s) (paths: ${paths})`
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Protobuf schema (loaded once from the vendored upstream .proto files)
// ---------------------------------------------------------------------------------------------

const PROTO_ROOT = fileURLToPath(new URL('../fixtures/proto/', import.meta.url));

const SERVICES: Record<Signal, { file: string; service: string }> = {
  traces: {
    file: 'opentelemetry/proto/collector/trace/v1/trace_service.proto',
    service: 'opentelemetry.proto.collector.trace.v1.TraceService',
  },
  logs: {
    file: 'opentelemetry/proto/collector/logs/v1/logs_service.proto',
    service: 'opentelemetry.proto.collector.logs.v1.LogsService',
  },
  metrics: {
    file: 'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
    service: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
  },
};

interface SignalCodec {
  /** gRPC method path, e.g. `/opentelemetry.proto.collector.trace.v1.TraceService/Export`. */
  grpcPath: string;
  request: Type;
  response: Type;
}

interface Schema {
  codecs: Record<Signal, SignalCodec>;
  /** Used to accept enum names in OTLP/JSON, where ints are the norm. */
  enums: { spanKind: Enum; statusCode: Enum; severityNumber: Enum };
}

/**
 * protobufjs `toObject` options that make decoded protobuf look like OTLP/JSON (camelCase keys,
 * int64 as decimal strings, enums as numbers), so one normaliser serves both encodings.
 * Bytes stay Uint8Array, which is how the normaliser tells protobuf ids from JSON hex ids.
 */
const TO_OBJECT: IConversionOptions = { longs: String, enums: Number, defaults: false, arrays: true, oneofs: false };

let schema: Schema | undefined;

function loadSchema(): Schema {
  if (schema) return schema;
  const root = new protobuf.Root();
  // Resolve both the entry files and their `import`s against the vendored include root.
  root.resolvePath = (_origin, target) => join(PROTO_ROOT, target);
  root.loadSync(Object.values(SERVICES).map((s) => s.file));
  root.resolveAll();
  const codec = (signal: Signal): SignalCodec => {
    const service = root.lookupService(SERVICES[signal].service);
    const method = service.methods.Export;
    if (!method?.resolvedRequestType || !method.resolvedResponseType) {
      throw new Error(`${SERVICES[signal].service}/Export not found in the vendored protos`);
    }
    return {
      grpcPath: `/${SERVICES[signal].service}/Export`,
      request: method.resolvedRequestType,
      response: method.resolvedResponseType,
    };
  };
  schema = {
    codecs: { traces: codec('traces'), logs: codec('logs'), metrics: codec('metrics') },
    enums: {
      spanKind: root.lookupEnum('opentelemetry.proto.trace.v1.Span.SpanKind'),
      statusCode: root.lookupEnum('opentelemetry.proto.trace.v1.Status.StatusCode'),
      severityNumber: root.lookupEnum('opentelemetry.proto.logs.v1.SeverityNumber'),
    },
  };
  return schema;
}

function decodeProtobuf(signal: Signal, body: Uint8Array): unknown {
  const { request } = loadSchema().codecs[signal];
  return request.toObject(request.decode(body), TO_OBJECT);
}

/** An empty Export*ServiceResponse, i.e. full success. */
function encodeEmptyResponse(signal: Signal): Buffer {
  const { response } = loadSchema().codecs[signal];
  return Buffer.from(response.encode(response.create({})).finish());
}

// ---------------------------------------------------------------------------------------------
// gRPC listener
// ---------------------------------------------------------------------------------------------

async function listenGrpc(receiver: Receiver, behaviour: ReceiverBehaviour, wantedPort: number): Promise<Listener> {
  const server = new GrpcServer();
  for (const signal of Object.keys(SERVICES) as Signal[]) {
    const { definition, implementation } = grpcService(receiver, signal, behaviour);
    server.addService(definition, implementation);
  }
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${LOOPBACK}:${wantedPort}`, ServerCredentials.createInsecure(), (error, boundPort) => (error ? reject(error) : resolve(boundPort)));
  });
  return {
    port,
    // Exporters keep their channel open until shut down, so a graceful shutdown could wait forever.
    close: async () => server.forceShutdown(),
  };
}

interface GrpcRequest {
  body: Buffer;
  request: unknown;
}

/** One `Export` method, (de)serialised with the protobufjs types instead of generated stubs. */
function grpcService(
  receiver: Receiver,
  signal: Signal,
  behaviour: ReceiverBehaviour,
): { definition: Record<string, MethodDefinition<unknown, unknown>>; implementation: UntypedServiceImplementation } {
  const codec = loadSchema().codecs[signal];
  const method: MethodDefinition<unknown, unknown> = {
    path: codec.grpcPath,
    requestStream: false,
    responseStream: false,
    requestSerialize: (value) => Buffer.from(codec.request.encode(codec.request.fromObject(asRecord(value))).finish()),
    // The raw message is kept next to the decoded one, for byte-for-byte comparisons.
    requestDeserialize: (bytes): GrpcRequest => ({ body: Buffer.from(bytes), request: codec.request.toObject(codec.request.decode(bytes), TO_OBJECT) }),
    responseSerialize: () => encodeEmptyResponse(signal),
    responseDeserialize: (bytes) => codec.response.toObject(codec.response.decode(bytes), TO_OBJECT),
  };
  const handler = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>): void => {
    const { body, request } = call.request as GrpcRequest;
    receiver.requests.push({
      path: codec.grpcPath,
      signal,
      contentType: 'application/grpc',
      headers: metadataToHeaders(call.metadata),
      body,
    });
    if (behaviour === 'http-503') {
      callback({ code: GrpcStatus.UNAVAILABLE, details: 'test receiver answers UNAVAILABLE' });
      return;
    }
    try {
      receiver.ingest(signal, request, 'grpc');
    } catch (error) {
      callback({ code: GrpcStatus.INVALID_ARGUMENT, details: errorMessage(error) });
      return;
    }
    callback(null, {});
  };
  return { definition: { Export: method }, implementation: { Export: handler } };
}

function metadataToHeaders(metadata: Metadata): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.getMap())) {
    headers[key] = typeof value === 'string' ? value : value.toString('base64');
  }
  return headers;
}

// ---------------------------------------------------------------------------------------------
// HTTP listener (OTLP/HTTP protobuf and JSON)
// ---------------------------------------------------------------------------------------------

const HTTP_PATHS: Record<string, Signal> = { '/v1/traces': 'traces', '/v1/logs': 'logs', '/v1/metrics': 'metrics' };
const PROTOBUF_TYPE = 'application/x-protobuf';
const JSON_TYPE = 'application/json';
const gunzipAsync = promisify(gunzip);

async function listenHttp(receiver: Receiver, behaviour: ReceiverBehaviour): Promise<Listener> {
  const server = createHttpServer((req, res) => {
    handleHttp(receiver, behaviour, req, res).catch((error: unknown) => {
      // Last resort: a handler bug must not become an unhandled rejection.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(errorMessage(error));
    });
  });
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      const closed = once(server, 'close');
      server.close();
      // Exporters use keep-alive agents; drop their sockets instead of waiting for them to idle out.
      server.closeAllConnections();
      await closed;
    },
  };
}

async function handleHttp(receiver: Receiver, behaviour: ReceiverBehaviour, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://receiver').pathname;
  const signal = HTTP_PATHS[path];
  if (!signal) return reply(res, 404, 'text/plain', `no OTLP signal at ${path}`);
  if (req.method !== 'POST') return reply(res, 405, 'text/plain', 'OTLP export requests must be POST');

  const contentType = mediaType(req.headers['content-type']);
  const received: ReceivedRequest = { path, signal, contentType, headers: flattenHeaders(req.headers) };
  receiver.requests.push(received);
  const raw = await readBody(req);
  if (behaviour === 'http-503') return reply(res, 503, 'text/plain', 'test receiver answers 503');
  if (contentType !== PROTOBUF_TYPE && contentType !== JSON_TYPE) {
    return reply(res, 415, 'text/plain', `unsupported content type ${contentType || '(none)'}`);
  }

  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'identity') {
    return reply(res, 415, 'text/plain', `unsupported content encoding ${encoding}`);
  }
  try {
    const body = encoding === 'gzip' ? await gunzipAsync(raw) : raw;
    received.body = body;
    if (contentType === PROTOBUF_TYPE) receiver.ingest(signal, decodeProtobuf(signal, body), 'http/protobuf');
    else receiver.ingest(signal, JSON.parse(body.toString('utf8')), 'http/json');
  } catch (error) {
    return reply(res, 400, 'text/plain', `cannot decode OTLP ${signal} request: ${errorMessage(error)}`);
  }

  if (contentType === PROTOBUF_TYPE) reply(res, 200, PROTOBUF_TYPE, encodeEmptyResponse(signal));
  else reply(res, 200, JSON_TYPE, '{}');
}

function reply(res: ServerResponse, statusCode: number, contentType: string, body: string | Buffer): void {
  res.writeHead(statusCode, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/** `application/json; charset=utf-8` → `application/json`. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

// ---------------------------------------------------------------------------------------------
// Black hole: accepts connections, reads and discards, never answers
// ---------------------------------------------------------------------------------------------

async function listenBlackHole(onBytes: (bytes: number) => void): Promise<Listener> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Clients reset the connection when they give up; that is expected, not an error.
    socket.on('error', () => undefined);
    socket.on('data', (data: Buffer) => onBytes(data.length));
  });
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      // The server never ends these connections itself, so close() would otherwise wait on them.
      for (const socket of sockets) socket.destroy();
      await closeNetServer(server);
    },
  };
}

function closeNetServer(server: NetServer): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

// ---------------------------------------------------------------------------------------------
// Normalisation: decoded request (protobufjs toObject output or OTLP/JSON) → Received* shapes
// ---------------------------------------------------------------------------------------------

type Rec = Record<string, unknown>;

function spansFromRequest(request: unknown, protocol: OtlpProtocol): ReceivedSpan[] {
  const { enums } = loadSchema();
  return scoped(request, 'resourceSpans', 'scopeSpans', 'spans').map(({ item, resource, scope }) => ({
    traceId: hexId(field(item, 'traceId')),
    spanId: hexId(field(item, 'spanId')),
    parentSpanId: hexId(field(item, 'parentSpanId')),
    name: str(field(item, 'name')),
    kind: enumNumber(field(item, 'kind'), enums.spanKind),
    startTimeUnixNano: bigintOf(field(item, 'startTimeUnixNano')),
    endTimeUnixNano: bigintOf(field(item, 'endTimeUnixNano')),
    attributes: attributesOf(field(item, 'attributes')),
    status: {
      code: enumNumber(field(asRecord(field(item, 'status')), 'code'), enums.statusCode),
      message: str(field(asRecord(field(item, 'status')), 'message')),
    },
    events: list(field(item, 'events')).map((event) => ({
      name: str(field(asRecord(event), 'name')),
      timeUnixNano: bigintOf(field(asRecord(event), 'timeUnixNano')),
      attributes: attributesOf(field(asRecord(event), 'attributes')),
    })),
    links: list(field(item, 'links')).map((link) => ({
      traceId: hexId(field(asRecord(link), 'traceId')),
      spanId: hexId(field(asRecord(link), 'spanId')),
      attributes: attributesOf(field(asRecord(link), 'attributes')),
    })),
    resource,
    scope,
    protocol,
  }));
}

function logsFromRequest(request: unknown, protocol: OtlpProtocol): ReceivedLog[] {
  const { enums } = loadSchema();
  return scoped(request, 'resourceLogs', 'scopeLogs', 'logRecords').map(({ item, resource, scope }) => ({
    timeUnixNano: bigintOf(field(item, 'timeUnixNano')),
    observedTimeUnixNano: bigintOf(field(item, 'observedTimeUnixNano')),
    severityNumber: enumNumber(field(item, 'severityNumber'), enums.severityNumber),
    severityText: str(field(item, 'severityText')),
    eventName: str(field(item, 'eventName')),
    body: anyValue(field(item, 'body')),
    attributes: attributesOf(field(item, 'attributes')),
    traceId: hexId(field(item, 'traceId')),
    spanId: hexId(field(item, 'spanId')),
    resource,
    scope,
    protocol,
  }));
}

const METRIC_TYPES: readonly MetricType[] = ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'];

function metricsFromRequest(request: unknown, protocol: OtlpProtocol): ReceivedMetric[] {
  return scoped(request, 'resourceMetrics', 'scopeMetrics', 'metrics').map(({ item, resource, scope }) => {
    const type = METRIC_TYPES.find((t) => field(item, t) !== undefined);
    if (!type) throw new Error(`metric ${str(field(item, 'name'))} has no data`);
    const data = asRecord(field(item, type));
    const metric: ReceivedMetric = {
      name: str(field(item, 'name')),
      description: str(field(item, 'description')),
      unit: str(field(item, 'unit')),
      type,
      dataPoints: list(field(data, 'dataPoints')).map((point) => dataPointOf(asRecord(point), type)),
      resource,
      scope,
      protocol,
    };
    if (type === 'sum') metric.isMonotonic = field(data, 'isMonotonic') === true;
    return metric;
  });
}

function dataPointOf(point: Rec, type: MetricType): ReceivedDataPoint {
  const result: ReceivedDataPoint = {
    attributes: attributesOf(field(point, 'attributes')),
    startTimeUnixNano: bigintOf(field(point, 'startTimeUnixNano')),
    timeUnixNano: bigintOf(field(point, 'timeUnixNano')),
  };
  if (type === 'sum' || type === 'gauge') {
    const asDouble = field(point, 'asDouble');
    result.value = asDouble !== undefined ? numberOf(asDouble) : numberOf(field(point, 'asInt'));
    return result;
  }
  result.count = numberOf(field(point, 'count'));
  const sum = field(point, 'sum');
  if (sum !== undefined) result.sum = numberOf(sum);
  if (type === 'histogram') {
    result.bucketCounts = list(field(point, 'bucketCounts')).map(numberOf);
    result.explicitBounds = list(field(point, 'explicitBounds')).map(numberOf);
  }
  return result;
}

/**
 * Flattens the resource → scope → item nesting shared by all three signals, attaching the
 * normalised resource attributes and scope to every item.
 */
function scoped(
  request: unknown,
  resourceKey: string,
  scopeKey: string,
  itemKey: string,
): { item: Rec; resource: Record<string, AttrValue>; scope: ReceivedScope }[] {
  return list(field(asRecord(request), resourceKey)).flatMap((resourceEntry) => {
    const resource = attributesOf(field(asRecord(field(asRecord(resourceEntry), 'resource')), 'attributes'));
    return list(field(asRecord(resourceEntry), scopeKey)).flatMap((scopeEntry) => {
      const scopeRecord = asRecord(field(asRecord(scopeEntry), 'scope'));
      const scope = { name: str(field(scopeRecord, 'name')), version: str(field(scopeRecord, 'version')) };
      return list(field(asRecord(scopeEntry), itemKey)).map((item) => ({ item: asRecord(item), resource, scope }));
    });
  });
}

function attributesOf(value: unknown): Record<string, AttrValue> {
  const attributes: Record<string, AttrValue> = {};
  for (const entry of list(value)) {
    const kv = asRecord(entry);
    attributes[str(field(kv, 'key'))] = anyValue(field(kv, 'value'));
  }
  return attributes;
}

/** Unwraps an OTLP AnyValue; an empty AnyValue (or none) is null. */
function anyValue(value: unknown): AttrValue {
  const v = asRecord(value);
  const stringValue = field(v, 'stringValue');
  if (stringValue !== undefined) return str(stringValue);
  const boolValue = field(v, 'boolValue');
  if (boolValue !== undefined) return boolValue === true;
  const intValue = field(v, 'intValue');
  if (intValue !== undefined) return safeInteger(bigintOf(intValue));
  const doubleValue = field(v, 'doubleValue');
  if (doubleValue !== undefined) return numberOf(doubleValue);
  const arrayValue = field(v, 'arrayValue');
  if (arrayValue !== undefined) return list(field(asRecord(arrayValue), 'values')).map(anyValue);
  const kvlistValue = field(v, 'kvlistValue');
  if (kvlistValue !== undefined) return attributesOf(field(asRecord(kvlistValue), 'values'));
  const bytesValue = field(v, 'bytesValue');
  // Protobuf gives bytes; OTLP/JSON gives base64 (only ids are hex in OTLP/JSON).
  if (bytesValue !== undefined) return bytesValue instanceof Uint8Array ? toHex(bytesValue) : base64ToHex(str(bytesValue));
  return null;
}

// ---------------------------------------------------------------------------------------------
// Narrowing helpers over untyped decoded data
// ---------------------------------------------------------------------------------------------

/** Reads an OTLP/JSON lowerCamelCase field, also accepting the proto snake_case name. */
function field(record: Rec, camelName: string): unknown {
  const value = record[camelName];
  if (value !== undefined) return value;
  return record[camelName.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}

function asRecord(value: unknown): Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Rec) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** int64/fixed64 arrive as decimal strings (protobufjs `longs: String`, OTLP/JSON) or as JSON numbers. */
function bigintOf(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'string' && value !== '') return BigInt(value);
  return 0n;
}

/** Doubles may be JSON numbers or strings (`"NaN"`, `"Infinity"`, int64 counts). */
function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value !== '') return Number(value);
  return 0;
}

function safeInteger(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** OTLP/JSON allows enum names in addition to the usual integers. */
function enumNumber(value: unknown, enumType: Enum): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return enumType.values[value] ?? numberOf(value);
  return 0;
}

/** Ids: bytes in protobuf, hex strings in OTLP/JSON; '' when absent. */
function hexId(value: unknown): string {
  if (value instanceof Uint8Array) return toHex(value);
  return str(value).toLowerCase();
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function base64ToHex(base64: string): string {
  return Buffer.from(base64, 'base64').toString('hex');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
