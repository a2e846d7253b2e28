import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { WrapperConfig } from '../../config/wrapper-config.ts';
import { SIGNALS } from '../../config/otlp-config.ts';
import type { ExportConfig, ExporterKind, OtlpProtocol, Signal, SignalExportConfig } from '../../config/otlp-config.ts';
import { resolveClaude } from '../../launch/resolve-claude.ts';
import { storeWriteProblem } from '../../store/local-store.ts';
import { createRequestExporters, shutdownRequestExporters } from '../../export/request-exporters.ts';
import type { RequestExporters } from '../../export/request-exporters.ts';
import { sendRequests } from '../../export/send-requests.ts';
import { wireRequests } from '../../export/batch-encoding.ts';
import type { ExportAttempt } from '../../export/send-signal.ts';
import type { FailureKind } from '../../export/classify-failure.ts';
import { buildResource } from '../../telemetry/resource.ts';
import { LogBuffer, ManualMetricReader, SpanBuffer } from '../../export/session-buffer.ts';
import type { TelemetryBatch } from '../../export/session-buffer.ts';
import { INSTRUMENTATION_SCOPE } from '../../export/wrapper-sdk.ts';
import { PACKAGE_VERSION } from '../../package-version.ts';
import { describeSignal } from '../../config/describe-config.ts';
import type { SignalDescription } from '../../config/describe-config.ts';
import { PACKAGE } from '../../package-root.ts';
import { withoutUserinfo } from '../../privacy/url-userinfo.ts';
import { ATTR_EVENT_NAME, DOCTOR_TEST, METRIC_DOCTOR_CHECKS, SPAN_DOCTOR } from '../../telemetry/names.ts';

// What `claude-otel-ctl doctor` looks at: the configuration as the wrapper resolves it, the
// claude it would run, and whether the collector accepts one span, one log record and one
// metric sent exactly as the wrapper sends a session: encoded as a flush encodes it, through the
// request exporters and the send path the live flush and replay use (send-requests.ts). So a
// doctor that passes has sent as a session is sent, and one that fails says why a session would.
const CLAUDE_VERSION_TIMEOUT_MS = 15_000;

// ---------------------------------------------------------------------------------------------
// Configuration, as printable data
// ---------------------------------------------------------------------------------------------

export type SignalSummary = SignalDescription;

export interface ConfigSummary {
  /** OTEL_EXPORTER_OTLP_ENDPOINT as set, or undefined for the protocol's default. */
  endpoint: string | undefined;
  sdkDisabled: boolean;
  serviceName: string;
  stateDir: string;
  store: boolean;
  flushTimeoutMs: number;
  sdkFlushTimeoutMs: number;
  signals: Record<Signal, SignalSummary>;
  warnings: string[];
}

export function summarizeConfig(config: WrapperConfig): ConfigSummary {
  const endpoint = config.export.endpoint;
  // As the wrapper decides it at start, but without creating the directory.
  return {
    endpoint: endpoint ? withoutUserinfo(endpoint) : undefined,
    sdkDisabled: config.sdkDisabled,
    serviceName: config.serviceName,
    stateDir: config.stateDir,
    store: config.storeEnabled,
    flushTimeoutMs: config.flushTimeoutMs,
    sdkFlushTimeoutMs: config.sdkFlushTimeoutMs,
    signals: { traces: describeSignal(config.export.traces), logs: describeSignal(config.export.logs), metrics: describeSignal(config.export.metrics) },
    warnings: [...config.warnings],
  };
}

// ---------------------------------------------------------------------------------------------
// The local store
// ---------------------------------------------------------------------------------------------

export type StoreCheck = { status: 'off' } | { status: 'writable' } | { status: 'failed'; reason: string };

/** Whether the wrapper could store a session now (when the store is on). */
export function checkStore(config: WrapperConfig): StoreCheck {
  if (!config.storeEnabled) return { status: 'off' };
  const reason = storeWriteProblem(config.stateDir);
  return reason === undefined ? { status: 'writable' } : { status: 'failed', reason };
}

// ---------------------------------------------------------------------------------------------
// The claude the wrapper would run
// ---------------------------------------------------------------------------------------------

export type ClaudeCheck =
  | { found: true; path: string; version: string }
  | { found: true; path: string; version?: undefined; error: string }
  | { found: false; error: string };

/** The wrapper's own bin script: resolveClaude must never take it for claude. */
const WRAPPER_BIN = join(PACKAGE?.root ?? '.', 'bin', 'claude-otel.js');

export async function checkClaude(env: Record<string, string | undefined>): Promise<ClaudeCheck> {
  let path: string;
  try {
    path = resolveClaude({ env, selfPaths: [WRAPPER_BIN] });
  } catch (error) {
    return { found: false, error: (error instanceof Error ? error.message : String(error)).replace(/^claude-otel: /, '') };
  }
  return new Promise((resolve) => {
    execFile(path, ['--version'], { env, timeout: CLAUDE_VERSION_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      const version = stdout.trim().split('\n')[0] ?? '';
      if (error || !version) {
        const detail = error?.killed
          ? `no answer within ${CLAUDE_VERSION_TIMEOUT_MS} ms`
          : (stderr.trim().split('\n')[0] ?? '') || (error ? error.message : 'printed nothing');
        resolve({ found: true, path, error: `${path} --version failed: ${detail}` });
        return;
      }
      resolve({ found: true, path, version });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// One test span, log record and metric, sent as the wrapper sends them
// ---------------------------------------------------------------------------------------------

export type SignalCheck =
  | { signal: Signal; status: 'accepted'; endpoint: string; protocol: OtlpProtocol; durationMs: number }
  | { signal: Signal; status: 'failed'; endpoint: string; protocol: OtlpProtocol; durationMs: number; kind: FailureKind; reason: string }
  | { signal: Signal; status: 'off' | 'console'; exporter: ExporterKind };

/** Makes the request exporters of `signals`: the wrapper's own, unless a test gives others. */
export type OpenExporters = (config: ExportConfig, signals: readonly Signal[]) => Promise<RequestExporters>;

export async function checkSignals(
  config: WrapperConfig,
  timeoutMs: number,
  openExporters: OpenExporters = createRequestExporters,
): Promise<Record<Signal, SignalCheck>> {
  const telemetry = await testTelemetry(config);
  const checks = await Promise.all(
    SIGNALS.map(async (signal): Promise<SignalCheck> => {
      const exportConfig: SignalExportConfig = { ...config.export[signal], timeoutMs };
      if (exportConfig.exporter !== 'otlp') return { signal, status: exportConfig.exporter === 'none' ? 'off' : 'console', exporter: exportConfig.exporter };
      const attempt = await sendTest(signal, { ...config.export, [signal]: exportConfig }, telemetry, openExporters);
      const where = { signal, endpoint: withoutUserinfo(exportConfig.url), protocol: exportConfig.protocol, durationMs: attempt.durationMs };
      return attempt.ok ? { ...where, status: 'accepted' } : { ...where, status: 'failed', kind: attempt.failure.kind, reason: attempt.failure.reason };
    }),
  );
  const [traces, logs, metrics] = checks;
  if (!traces || !logs || !metrics) throw new Error('a signal check is missing');
  return { traces, logs, metrics };
}

async function testTelemetry(config: WrapperConfig): Promise<TelemetryBatch> {
  const resource = buildResource({ serviceName: config.serviceName, resourceAttributes: config.resourceAttributes });
  const spans = new SpanBuffer();
  const tracer = new BasicTracerProvider({ resource, spanProcessors: [spans] }).getTracer(INSTRUMENTATION_SCOPE, PACKAGE_VERSION);
  tracer.startSpan(SPAN_DOCTOR, { attributes: { [DOCTOR_TEST]: true } }).end();
  const logs = new LogBuffer();
  new LoggerProvider({ resource, processors: [logs] }).getLogger(INSTRUMENTATION_SCOPE, PACKAGE_VERSION).emit({
    eventName: DOCTOR_TEST,
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: 'claude-otel-ctl doctor: test record',
    attributes: { [ATTR_EVENT_NAME]: DOCTOR_TEST },
  });
  const reader = new ManualMetricReader();
  new MeterProvider({ resource, readers: [reader] })
    .getMeter(INSTRUMENTATION_SCOPE, PACKAGE_VERSION)
    .createCounter(METRIC_DOCTOR_CHECKS, { unit: '{check}', description: 'claude-otel-ctl doctor test metric' })
    .add(1);
  const metrics = await reader.read();
  if (!metrics) throw new Error('the test metric was not recorded');
  return { spans: spans.drain(), logs: logs.drain(), metrics };
}

/** One export of the signal's test item, as the wrapper sends it; the exporter is shut down after. */
async function sendTest(signal: Signal, config: ExportConfig, telemetry: TelemetryBatch, openExporters: OpenExporters): Promise<ExportAttempt> {
  const exporters = await openExporters(config, [signal]);
  const request = wireRequests(telemetry, config)[signal];
  try {
    const { outcomes } = await sendRequests(exporters, { [signal]: request }, config);
    return outcomes[signal] ?? { ok: false, durationMs: 0, failure: { kind: 'other', reason: 'no exporter could be made for it' } };
  } finally {
    // Without waiting long on a collector that hangs.
    await shutdownRequestExporters(exporters, 1000);
  }
}
