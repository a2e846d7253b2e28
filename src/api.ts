import { context as otelContext, trace, metrics, ProxyTracerProvider } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { classifyRun } from './launch/session-kind.ts';
import type { PrintRun } from './launch/session-kind.ts';
import { resolveClaude } from './launch/resolve-claude.ts';
import { resolveWrapperConfig } from './config/wrapper-config.ts';
import { createDebugLog } from './debug-log.ts';
import { stateDirProblem } from './private-files.ts';
import { redactorFor } from './privacy/redact.ts';
import { runPrintSession } from './modes/print-session.ts';
import type { SessionSink } from './modes/queued-runtime.ts';
import { TelemetryRuntime } from './modes/telemetry-runtime.ts';
import { SessionTelemetry } from './telemetry/session-telemetry.ts';
import { claudeEnvironment, formatTraceParent, planSessionIds } from './trace-context/traceparent.ts';
import { inboundContext } from './trace-context/inbound-context.ts';
import { PACKAGE_VERSION } from './package-version.ts';
import { withGitContext } from './modes/git-context-sink.ts';
import { detectCi } from './workspace/detect-ci.ts';
import { INSTRUMENTATION_SCOPE } from './export/wrapper-sdk.ts';
import type { GenAiConfig } from './config/genai-config.ts';
import type { TextLevel } from './config/privacy-config.ts';

// runClaude(): one print-mode session through the same pipeline as the command. When the
// host program has registered its own global tracer provider, the session's spans, logs
// and metrics go to the host's providers, under the host's active span; otherwise the
// library sets up its own SDK from OTEL_* (and the local store), exactly like the command.

export interface RunClaudeOptions {
  /** claude's arguments; `-p` is added when missing. The prompt is an argument or `stdin`. */
  args: string[];
  cwd?: string;
  /** Added to the program's environment for claude and for telemetry settings. */
  env?: Record<string, string | undefined>;
  stdin?: string | Buffer;
  signal?: AbortSignal;
}

export interface RunClaudeResult {
  /** claude's exit code; 128+N when signal N ended it. */
  exitCode: number;
  /** The signal that ended claude (the host process itself is never signalled). */
  signal: string | undefined;
  sessionId: string | undefined;
  traceId: string | undefined;
  /** The CLI's result message. */
  result: Record<string, unknown> | undefined;
  /** The answer's text. */
  text: string;
}

export class ClaudeRunError extends Error {}

function hostHasTracing(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegateTracer(INSTRUMENTATION_SCOPE) !== undefined;
}

/** Telemetry into the host program's own providers; flushing them is the host's business. */
function hostTelemetry(options: { redact: (t: string) => string; prompts: TextLevel; responses: TextLevel; genAi: GenAiConfig }): SessionTelemetry {
  return new SessionTelemetry({
    tracer: trace.getTracer(INSTRUMENTATION_SCOPE, PACKAGE_VERSION),
    logger: logs.getLogger(INSTRUMENTATION_SCOPE, PACKAGE_VERSION),
    meter: metrics.getMeter(INSTRUMENTATION_SCOPE, PACKAGE_VERSION),
    parentContext: otelContext.active(),
    prompts: options.prompts,
    responses: options.responses,
    redact: options.redact,
    genAi: options.genAi,
  });
}

export async function runClaude(options: RunClaudeOptions): Promise<RunClaudeResult> {
  const startTime = Date.now();
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  const args = options.args.includes('-p') || options.args.includes('--print') ? [...options.args] : ['-p', ...options.args];
  const run = classifyRun(args);
  if (run.kind !== 'print') throw new ClaudeRunError('runClaude runs print-mode sessions; these arguments are not one');
  const config = resolveWrapperConfig(env);
  const claudeBin = resolveClaude({ env, selfPaths: [], ...(options.cwd ? { cwd: options.cwd } : {}) });
  const redact = redactorFor(config.privacy, env);
  const problem = config.storeEnabled || config.debug ? stateDirProblem(config.stateDir) : undefined;
  if (problem) config.storeEnabled = false;
  const debugLog = createDebugLog({ enabled: config.debug, stateDir: !problem && (config.storeEnabled || config.debug) ? config.stateDir : undefined, redact });
  if (problem) debugLog.log('warn', `state dir not used, nothing is stored: ${problem}`);

  const useHost = hostHasTracing();
  let claudeEnv: Record<string, string | undefined>;
  let loadSink: () => Promise<SessionSink>;
  if (config.sdkDisabled) {
    claudeEnv = env;
    loadSink = async () => ({ handle: () => {}, traceId: undefined, finish: async () => {} });
  } else if (useHost) {
    // The host's tracer makes the ids: the session span is opened now, so that claude's
    // TRACEPARENT can name it.
    const telemetry = hostTelemetry({ redact, prompts: config.privacy.prompts, responses: config.privacy.responses, genAi: config.genAi });
    const session = telemetry.spans.open(startTime);
    claudeEnv = { ...env, TRACEPARENT: formatTraceParent({ traceId: session.traceId, spanId: session.spanId, sampled: (session.traceFlags & 1) === 1 }) };
    delete claudeEnv.TRACESTATE;
    const sink: SessionSink = {
      handle: (event) => telemetry.handle(event),
      get traceId() {
        return telemetry.spans.traceId;
      },
      finish: async () => {},
    };
    // The host's resource is its own: no CI attributes there, so the span carries the vcs.* ones.
    loadSink = async () => withGitContext(sink, { fallbackCwd: options.cwd ?? process.cwd(), env, ciResource: {}, redact, debugLog });
  } else {
    const ids = planSessionIds(env);
    claudeEnv = claudeEnvironment(env, ids);
    loadSink = async () =>
      withGitContext(
        new TelemetryRuntime({
          config,
          debugLog,
          redact,
          startTime,
          prompts: config.privacy.prompts,
          responses: config.privacy.responses,
          parentContext: inboundContext(env, ids),
          ids,
          env,
        }),
        {
          fallbackCwd: options.cwd ?? process.cwd(),
          env,
          ciResource: detectCi(env),
          redact,
          debugLog,
        },
      );
  }

  const written: Buffer[] = [];
  const result = await runPrintSession({
    claudeBin,
    claudeArgs: forceJsonFree(args, run),
    run: { ...run, outputFormat: 'text' },
    env: claudeEnv,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdin: { kind: 'data', data: options.stdin ?? '' },
    write: async (chunk) => {
      written.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    },
    forwardProcessSignals: false,
    ...(options.signal ? { abortSignal: options.signal } : {}),
    flushTimeoutMs: config.flushTimeoutMs,
    debugLog,
    startTime,
    loadSink,
    captureContent: config.genAi.logContent,
  });
  await debugLog.close();
  const answer = typeof result.result?.result === 'string' ? result.result.result : Buffer.concat(written).toString('utf8').replace(/\n$/, '');
  return { exitCode: result.exitCode, signal: result.signal, sessionId: result.sessionId, traceId: result.traceId, result: result.result, text: answer };
}

/** The library reads claude's answer itself: whatever format was asked for, text is rebuilt. */
function forceJsonFree(args: string[], run: PrintRun): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--output-format') {
      i++;
      continue;
    }
    if (arg.startsWith('--output-format=') || (arg === '--include-partial-messages' && run.outputFormat !== 'stream-json')) continue;
    out.push(arg);
  }
  return out;
}
