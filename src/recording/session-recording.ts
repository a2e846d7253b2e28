import { resolveWrapperConfig } from '../config/wrapper-config.ts';
import type { WrapperConfig } from '../config/wrapper-config.ts';
import { describeConfig } from '../config/describe-config.ts';
import { createDebugLog } from '../debug-log.ts';
import type { DebugLog } from '../debug-log.ts';
import { redactorFor } from '../privacy/redact.ts';
import type { Redactor } from '../privacy/redact.ts';
import { claudeEnvironment } from '../trace-context/traceparent.ts';
import type { SessionIds } from '../trace-context/traceparent.ts';
import type { SessionSink } from '../modes/queued-runtime.ts';
import type { GitContextSink } from '../modes/git-context-sink.ts';
import { TelemetryGuard } from '../modes/telemetry-guard.ts';
import { announceTrace } from '../modes/trace-link.ts';
import { detectCi } from '../workspace/detect-ci.ts';
import type { WrapperExit } from '../launch/end-like-claude.ts';
import type { HostProviders } from './host-telemetry.ts';
import type { NativeLaunch } from '../modes/native-launch.ts';

// One session's recording, for every mode and both entry points (the command and
// runClaude()): the settings, read once from the caller's environment and frozen, with their
// warnings; the redaction; the debug log; the telemetry sink each session of the run gets; and
// the end (the trace link, the log closed). The command creates it while claude starts; an
// interactive session needs it before (the hooks go into claude's arguments).

type Env = Record<string, string | undefined>;

/**
 * - print: `-p` from the command; diagnostics may use stderr (CLAUDE_OTEL_DEBUG);
 * - sdk: an Agent SDK caller reads claude's stderr, so diagnostics stay in the log file;
 * - interactive: the terminal UI owns the terminal, likewise;
 * - library: runClaude(), in a host program.
 */
export type RecordingMode = 'print' | 'sdk' | 'interactive' | 'library';

export interface RecordingRequest {
  mode: RecordingMode;
  /** The caller's environment: read here, and handed to claude unchanged (but for TRACEPARENT). */
  env: Env;
  ids: SessionIds;
  startTime: number;
  /** --otel-debug. */
  debugFlag?: boolean;
  /** --otel-print-trace-id. */
  printTraceId?: boolean;
  /** Where the git context is read when claude names no directory (none in the terminal UI, see git-context-sink.ts). */
  gitFallbackCwd?: string;
  /** The library: the host program's own providers, when it has registered them. */
  host?: HostProviders;
  /** Claude Code's own telemetry, received by the wrapper for this run (CLAUDE_OTEL_NATIVE), started before claude. */
  native?: NativeLaunch;
}

export interface Recording {
  readonly mode: RecordingMode;
  readonly config: WrapperConfig;
  readonly redact: Redactor;
  readonly debugLog: DebugLog;
  /** claude's environment: the caller's, with TRACEPARENT naming the session span. */
  readonly claudeEnv: Env;
  /** The flush budget of this mode (the Agent SDK stops waiting 2 s after a query). */
  readonly flushTimeoutMs: number;
  /** Loads one session's telemetry; `first`: the session claude's TRACEPARENT names (later ones: interactive /clear). */
  loadSink(sessionStart?: number, first?: boolean): Promise<GitContextSink>;
  /** The session is over: the trace link is announced, the log closed; the wrapper's exit. */
  end(result: { exitCode: number; signal?: string; traceId?: string }): Promise<WrapperExit>;
}

/** Resolves the settings once; undefined when telemetry is off (OTEL_SDK_DISABLED) or cannot even be set up. */
export function startRecording(request: RecordingRequest): Recording | undefined {
  let prepared: { config: WrapperConfig; redact: Redactor; debugLog: DebugLog };
  try {
    prepared = prepare(request);
  } catch {
    // Telemetry that cannot even be set up is no reason to change what claude does.
    return undefined;
  }
  const { config, redact, debugLog } = prepared;
  if (config.sdkDisabled) return undefined;
  const { env, ids, mode } = request;
  const ciResource = detectCi(env);
  const gitFallbackCwd = request.gitFallbackCwd;
  const host = request.host ? openHostSession(request.host, config, redact, request.startTime) : undefined;
  const claudeEnv = host ? host.claudeEnv(env) : (request.native?.env ?? claudeEnvironment(env, ids));

  const loadSink = async (sessionStart = request.startTime, first = true): Promise<GitContextSink> => {
    const [{ withGitContext }, gitOptions] = [
      await import('../modes/git-context-sink.ts'),
      { ...(gitFallbackCwd ? { fallbackCwd: gitFallbackCwd } : {}), redact, debugLog, searchPath: config.searchPath },
    ];
    // The host's resource is its own: no CI attributes there, so the span carries the vcs.* ones.
    if (host) return withGitContext(host.sink, { ...gitOptions, ciResource: {} });
    const [{ TelemetryRuntime }, { inboundContext }, { collectGarbageOnce }] = await Promise.all([
      import('../modes/telemetry-runtime.ts'),
      import('../trace-context/inbound-context.ts'),
      import('./idle-collection.ts'),
    ]);
    const runtime = new TelemetryRuntime({
      config,
      debugLog,
      redact,
      startTime: sessionStart,
      prompts: config.privacy.prompts,
      responses: config.privacy.responses,
      parentContext: inboundContext(config.inbound, ids),
      ...(first ? { ids } : {}),
      // Claude's telemetry joins the session claude's TRACEPARENT names (not one after /clear).
      ...(first && request.native ? { native: request.native.collector } : {}),
      ciResource,
      // A host program's heap is its own business: the command's alone is collected while idle.
      ...(mode === 'library' ? {} : { onWarm: collectGarbageOnce }),
    });
    return withGitContext(runtime, { ...gitOptions, ciResource });
  };

  return {
    mode,
    config,
    redact,
    debugLog,
    claudeEnv,
    flushTimeoutMs: mode === 'sdk' ? config.sdkFlushTimeoutMs : config.flushTimeoutMs,
    loadSink,
    end: async (result) => {
      const { traceId } = result;
      // The library returns the trace id; the command prints it or links it when asked.
      if (traceId && mode !== 'library') {
        const guard = new TelemetryGuard(debugLog);
        const print = request.printTraceId === true || config.printTraceId;
        await guard.settle('announcing the trace', () => announceTrace(traceId, { print, settings: config.traceLink, debugLog }), undefined);
      }
      await debugLog.close();
      return { exitCode: result.exitCode, ...(result.signal ? { signal: result.signal } : {}) };
    },
  };
}

/** Settings, redaction and the debug log, with every warning logged once. */
function prepare(request: RecordingRequest): { config: WrapperConfig; redact: Redactor; debugLog: DebugLog } {
  const config = resolveWrapperConfig(request.env, { debugFlag: request.debugFlag === true, prepareStateDir: true });
  const redact = redactorFor(config.privacy, config.secretValues);
  const debugLog = createDebugLog({
    enabled: config.debug,
    stateDir: config.stateDirProblem === undefined && (config.storeEnabled || config.debug) ? config.stateDir : undefined,
    redact,
    // The terminal UI owns the terminal, and an SDK caller reads claude's stderr: those runs keep their diagnostics in the log file.
    stderr: request.mode === 'print' || request.mode === 'library',
  });
  for (const warning of config.warnings) debugLog.log('warn', warning);
  debugLog.log('debug', 'configuration', describeConfig(config));
  if (request.ids.malformed) debugLog.log('warn', `TRACEPARENT=${request.ids.malformed} is not a W3C traceparent; starting a new trace`);
  return { config, redact, debugLog };
}

interface HostSession {
  sink: SessionSink;
  claudeEnv(env: Env): Env;
}

/** The host's tracer makes the ids: the session span is opened now, so that claude's TRACEPARENT can name it. */
function openHostSession(host: HostProviders, config: WrapperConfig, redact: Redactor, startTime: number): HostSession {
  const telemetry = host.telemetry({ redact, prompts: config.privacy.prompts, responses: config.privacy.responses, genAi: config.genAi });
  const span = telemetry.spans.open(startTime);
  return {
    sink: {
      handle: (event) => telemetry.handle(event),
      get traceId() {
        return telemetry.spans.traceId;
      },
      // Flushing the host's providers is the host's business.
      finish: async () => {},
    },
    claudeEnv: (env) => {
      const out: Env = { ...env, TRACEPARENT: host.traceParent(span) };
      delete out.TRACESTATE;
      return out;
    },
  };
}
