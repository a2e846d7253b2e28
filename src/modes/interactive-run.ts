import { readFileSync } from 'node:fs';
import type { WrapperConfig } from '../config/wrapper-config.ts';
import { spawnClaude } from '../launch/spawn-claude.ts';
import { forwardSignals } from '../launch/forward-signals.ts';
import { holdTerminationSignals } from '../launch/hold-signals.ts';
import { HookSpool } from '../sources/hooks/hook-spool.ts';
import { hookSettings } from '../sources/hooks/hook-settings.ts';
import { argsWithHookSettings } from '../sources/hooks/settings-args.ts';
import { claudeVersionOf } from '../launch/claude-version.ts';
import { HookSessionReader } from '../session/from-hooks.ts';
import type { SessionEvent } from '../session/events.ts';
import type { DebugLog } from '../debug-log.ts';
import { HookPump } from './hook-pump.ts';
import { TelemetryGuard } from './telemetry-guard.ts';
import { QueuedRuntime } from './queued-runtime.ts';
import type { LiveSessionSink } from './queued-runtime.ts';
import { resumeArgs } from '../launch/resume-args.ts';

// An interactive session (the terminal UI): claude gets the terminal untouched, and the
// wrapper learns what happens from hooks it adds for this run only (their payloads land
// in a spool directory) and from the session transcript. Each session claude starts
// (/clear starts another) becomes a trace of its own; a prompt's spans leave as soon as
// the prompt is over.

export interface InteractiveRunOptions {
  claudeBin: string;
  claudeArgs: string[];
  config: WrapperConfig;
  env: Record<string, string | undefined>;
  debugLog: DebugLog;
  startTime: number;
  /**
   * Loads one session's telemetry; called once per session, the first right after claude
   * starts (`first`: the session claude's environment names in TRACEPARENT).
   */
  loadSink: (startTime: number, first: boolean) => Promise<LiveSessionSink>;
}

export interface InteractiveRunResult {
  exitCode: number;
  /** The signal that ended claude, if one did. */
  signal?: string;
  /** The trace of the last session. */
  traceId?: string;
}

/** Nobody waits for a finished prompt's or session's export while claude runs. */
const BACKGROUND_FLUSH_MS = 10_000;

interface Hooked {
  spool: HookSpool;
  args: string[];
}

function addHooks(claudeArgs: string[], debugLog: DebugLog): Hooked | undefined {
  let spool: HookSpool | undefined;
  try {
    spool = HookSpool.create();
    const args = argsWithHookSettings(claudeArgs, hookSettings(spool.dir), (path) => readFileSync(path, 'utf8'));
    if (args) return { spool, args };
    debugLog.log('warn', 'could not read the --settings given to claude; running without hooks');
  } catch (error) {
    debugLog.log('error', 'could not set up the hooks', { error: String(error) });
  }
  spool?.remove();
  return undefined;
}

export async function runInteractiveSession(options: InteractiveRunOptions): Promise<InteractiveRunResult> {
  const { debugLog, config } = options;
  const hooked = addHooks(options.claudeArgs, debugLog);
  const removeSpool = () => hooked?.spool.remove();
  process.once('exit', removeSpool);

  let signalled = false;
  const { claude, stop: stopForwarding } = forwardSignals(
    () => spawnClaude({ file: options.claudeBin, args: hooked?.args ?? options.claudeArgs, env: options.env, pipeStdout: false, pipeStdin: false }),
    {
      interactive: true,
      onSignal: (signal) => {
        // The terminal's Ctrl-C is claude's to handle; other signals end the session.
        if (signal !== 'SIGINT') signalled = true;
        debugLog.log('info', `received ${signal}`);
      },
    },
  );
  debugLog.log('debug', 'started claude', { file: options.claudeBin, hooks: hooked !== undefined, pid: claude.pid });
  // Left over by wrappers that were killed outright (SIGKILL): checked while claude starts.
  setImmediate(() => {
    const removed = HookSpool.removeStale();
    if (removed > 0) debugLog.log('info', `removed ${removed} stale hook spool director${removed === 1 ? 'y' : 'ies'}`);
  });

  // Sessions: the first one's telemetry loads while claude starts.
  let preloaded: QueuedRuntime | undefined = new QueuedRuntime(options.loadSink(options.startTime, true), debugLog);
  let current: QueuedRuntime | undefined;
  const closing: Promise<string | undefined>[] = [];
  const storing: Promise<void>[] = [];
  const background: QueuedRuntime[] = [];
  let exitTime: number | undefined;
  const budgetLeft = () => (exitTime === undefined ? BACKGROUND_FLUSH_MS : Math.max(0, config.flushTimeoutMs - (Date.now() - exitTime)));

  const emit = (events: SessionEvent[]) => {
    for (const event of events) {
      if (event.kind === 'session_start' || !current) {
        current = preloaded ?? new QueuedRuntime(options.loadSink(event.kind === 'session_start' ? event.time : Date.now(), false), debugLog);
        preloaded = undefined;
        background.push(current);
      }
      current.handle(event);
      // After claude has exited, the session's own flush takes everything.
      if (event.kind === 'prompt_end' && exitTime === undefined) current.flushFinished(BACKGROUND_FLUSH_MS);
      if (event.kind === 'session_end') {
        let stored = () => {};
        storing.push(new Promise<void>((resolve) => (stored = resolve)));
        closing.push(current.finish(budgetLeft(), 0, () => stored()));
        current = undefined;
      }
    }
  };

  const resume = resumeArgs(options.claudeArgs);
  const reader = new HookSessionReader({ startTime: options.startTime, version: claudeVersionOf(options.claudeBin), ...(resume ? { resume } : {}) });
  const pump = hooked ? new HookPump(hooked.spool, reader, emit, debugLog, config.genAi.logContent) : undefined;
  if (pump) hooked?.spool.watch(() => pump.kick());

  const exit = await claude.exited;
  exitTime = Date.now();
  // Until every session is stored, a signal to the wrapper waits (see hold-signals.ts).
  const hold = holdTerminationSignals(config.flushTimeoutMs, (signal) =>
    debugLog.log('info', `received ${signal}; it takes effect once the session is stored`),
  );
  stopForwarding();
  debugLog.log('debug', 'claude exited', { detail: exit.detail });
  const result: InteractiveRunResult = { exitCode: exit.exitCode, ...(exit.signal ? { signal: exit.signal } : {}) };
  const guard = new TelemetryGuard(debugLog);
  const traceId = await guard.settle(
    'finishing the session',
    async () => {
      await pump?.final();
      guard.run('closing the session', () =>
        emit(
          reader.finish({
            time: exitTime ?? Date.now(),
            exitCode: exit.exitCode,
            interrupted: signalled || exit.signal !== undefined,
            ...(exit.signal ? { signal: exit.signal } : {}),
          }),
        ),
      );
      removeSpool();
      process.off('exit', removeSpool);
      void Promise.all(storing).then(() => hold.release());
      const deadline = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), budgetLeft()).unref());
      const traceIds = await Promise.race([Promise.all(closing), deadline]);
      await Promise.race([Promise.all(background.map((b) => b.idle())), deadline]);
      return traceIds?.at(-1);
    },
    undefined,
  );
  removeSpool();
  // Normally released once every session is stored; after a failure, now.
  hold.release();
  if (traceId) result.traceId = traceId;
  return result;
}
