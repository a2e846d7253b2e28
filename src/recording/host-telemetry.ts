import { context as otelContext, trace, metrics, ProxyTracerProvider } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { SessionTelemetry } from '../telemetry/session-telemetry.ts';
import type { SessionTelemetryOptions } from '../telemetry/session-telemetry.ts';
import { formatTraceParent } from '../trace-context/traceparent.ts';
import { INSTRUMENTATION_SCOPE } from '../export/wrapper-sdk.ts';
import { PACKAGE_VERSION } from '../package-version.ts';

// runClaude() in a program that has registered its own global tracer provider: the session's
// spans, logs and metrics go to the host's providers, under the host's active span.

export interface HostProviders {
  telemetry(options: Pick<SessionTelemetryOptions, 'redact' | 'prompts' | 'responses' | 'genAi'>): SessionTelemetry;
  /** claude's TRACEPARENT, naming the session span. */
  traceParent(span: { traceId: string; spanId: string; traceFlags: number }): string;
}

/** The host's providers, when it has registered a tracer provider; undefined otherwise. */
export function hostProviders(): HostProviders | undefined {
  const provider = trace.getTracerProvider();
  const registered = !(provider instanceof ProxyTracerProvider) || provider.getDelegateTracer(INSTRUMENTATION_SCOPE) !== undefined;
  if (!registered) return undefined;
  return {
    telemetry: (options) =>
      new SessionTelemetry({
        tracer: trace.getTracer(INSTRUMENTATION_SCOPE, PACKAGE_VERSION),
        logger: logs.getLogger(INSTRUMENTATION_SCOPE, PACKAGE_VERSION),
        meter: metrics.getMeter(INSTRUMENTATION_SCOPE, PACKAGE_VERSION),
        parentContext: otelContext.active(),
        ...options,
      }),
    traceParent: (span) => formatTraceParent({ traceId: span.traceId, spanId: span.spanId, sampled: (span.traceFlags & 1) === 1 }),
  };
}
