import type { SpanContext } from '@opentelemetry/api';
import type { WrapperConfig } from '../config/wrapper-config.ts';
import type { DebugLog } from '../debug-log.ts';
import type { Redactor } from '../privacy/redact.ts';
import type { SessionEvent } from '../session/events.ts';
import { TranscriptSessionReader } from '../session/from-transcript.ts';
import type { RunStart, RunSink, SubagentTranscript, SubagentTranscripts } from '../session/from-transcript.ts';
import { listSessionTranscripts, projectsDir, readTranscript, subagentFiles, writesCostState } from '../sources/transcript/transcript-files.ts';
import type { SessionTranscript, SubagentFile } from '../sources/transcript/transcript-files.ts';
import { listRuns } from '../store/local-store.ts';
import { readMeta } from '../store/reader.ts';
import { earlierSessionSpan } from '../store/earlier-session.ts';
import { transcriptGitContext } from '../workspace/transcript-git.ts';
import { TelemetryRuntime } from './telemetry-runtime.ts';

// `claude-otel-ctl import`: sessions that never ran through the wrapper, read from claude's own
// transcripts, go through the same mapping (redaction, limits, sampling, economics) into the
// same store as live ones, with their own times. One session at a time, its transcript read
// line by line. A run is imported once: the store remembers which transcript line began it
// (meta.json's `transcriptRun`), and a run the wrapper recorded (same session id, started
// within the wrapper's run) is never imported.

export interface ImportOptions {
  config: WrapperConfig;
  redact: Redactor;
  debugLog: DebugLog;
  /** claude's config dir (CLAUDE_CONFIG_DIR, else ~/.claude). */
  configDir: string;
  /** Only runs that started at or after this time (epoch ms). */
  since?: number;
  /** Only these project directories (names under `<configDir>/projects`). */
  projects?: readonly string[];
  /** Read and count, store nothing. */
  dryRun: boolean;
  /** A transcript written to this recently (ms), whose last run has no end line yet, may still grow: its last run waits. */
  quietAfterMs: number;
  now: () => number;
  /** After each transcript. */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportReport {
  transcripts: number;
  /** Runs stored now (or that would be, with dryRun). */
  imported: number;
  /** Runs the store already held: imported before, or recorded by the wrapper. */
  alreadyImported: number;
  recordedByWrapper: number;
  /** Runs still being written (their transcript not quiet yet), left for a later import. */
  stillRunning: number;
  /** Lines that were damaged or of an unknown kind. */
  skippedLines: number;
  /** Runs stored now. */
  runIds: string[];
}

interface WrapperRun {
  start: number;
  end: number;
}

/** What the store already holds: the imported runs' keys, and the wrapper's runs by session id. */
interface StoreIndex {
  imported: Set<string>;
  wrapper: Map<string, WrapperRun[]>;
  /** Run ids of the sessions read from transcripts. */
  transcriptRunIds: Set<string>;
}

function indexStore(stateDir: string): StoreIndex {
  const index: StoreIndex = { imported: new Set(), wrapper: new Map(), transcriptRunIds: new Set() };
  for (const run of listRuns(stateDir)) {
    const read = readMeta(run.dir);
    if (!read?.ok) continue;
    const meta = read.value;
    if (meta.source === 'transcript') {
      if (meta.transcriptRun !== undefined) index.imported.add(meta.transcriptRun);
      index.transcriptRunIds.add(run.runId);
      continue;
    }
    const runs = index.wrapper.get(meta.sessionId) ?? [];
    runs.push({ start: meta.startTime, end: meta.endTime > 0 ? meta.endTime : Number.POSITIVE_INFINITY });
    index.wrapper.set(meta.sessionId, runs);
  }
  return index;
}

/** The wrapper ran this run: its session, and the run began while the wrapper's did. */
function recordedByWrapper(index: StoreIndex, run: RunStart): boolean {
  return (index.wrapper.get(run.sessionId) ?? []).some((w) => w.start <= run.time && run.time <= w.end);
}

function subagentsOf(files: SubagentFile[], onSkipped: () => void): SubagentTranscripts {
  const transcript = (file: SubagentFile): SubagentTranscript => ({
    agentId: file.agentId,
    ...(file.agentType !== undefined ? { agentType: file.agentType } : {}),
    ...(file.description !== undefined ? { description: file.description } : {}),
    background: file.background,
    read: (onLine) => readTranscript(file.path, onLine, onSkipped),
  });
  return {
    byToolUse: (toolUseId) => {
      const file = files.find((f) => f.toolUseId === toolUseId);
      return file ? transcript(file) : undefined;
    },
    byAgentId: (agentId) => {
      const file = files.find((f) => f.agentId === agentId);
      return file ? transcript(file) : undefined;
    },
  };
}

/** The wrapper's configuration, sending nothing: an import stores; `--export` sends through replay. */
function storeOnlyConfig(config: WrapperConfig): WrapperConfig {
  const off = <T extends { exporter: string }>(signal: T): T => ({ ...signal, exporter: 'none' });
  return { ...config, export: { ...config.export, traces: off(config.export.traces), logs: off(config.export.logs), metrics: off(config.export.metrics) } };
}

/** One run on its way into the store. */
class RunImport implements RunSink {
  private sessionEnd: Extract<SessionEvent, { kind: 'session_end' }> | undefined;
  private done: (() => void) | undefined;
  /** Settles once the run is in the store (or could not be stored). */
  readonly stored: Promise<void>;

  constructor(
    readonly runtime: TelemetryRuntime | undefined,
    readonly start: RunStart,
  ) {
    this.stored = new Promise((resolve) => (this.done = resolve));
  }

  handle(event: SessionEvent): void {
    // The session's end waits for its git context, read from the files (see finish).
    if (event.kind === 'session_end') this.sessionEnd = event;
    else this.runtime?.handle(event);
  }

  /** Stored once the whole transcript is read (see finish). */
  end(): void {}

  async finish(): Promise<string | undefined> {
    try {
      const runtime = this.runtime;
      const end = this.sessionEnd;
      if (!runtime || !end) return undefined;
      const git = this.start.cwd !== undefined ? await transcriptGitContext(this.start.cwd, this.start.gitBranch) : undefined;
      runtime.handle(git ? { ...end, git } : end);
      await runtime.storeOnly({ startMs: this.start.time, endMs: Math.max(this.start.time, end.time) }, this.start.key);
      return runtime.store?.runId;
    } finally {
      this.done?.();
    }
  }
}

export async function importTranscripts(options: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = { transcripts: 0, imported: 0, alreadyImported: 0, recordedByWrapper: 0, stillRunning: 0, skippedLines: 0, runIds: [] };
  const { config } = options;
  const index = indexStore(config.stateDir);
  const since = options.since;
  const transcripts = listSessionTranscripts(projectsDir(options.configDir), options.projects)
    // A transcript last written before `since` holds no run that started after it.
    .filter((t) => since === undefined || t.mtimeMs >= since)
    .sort((a, b) => a.mtimeMs - b.mtimeMs);
  report.transcripts = transcripts.length;
  const storeConfig = storeOnlyConfig(config);
  for (const [i, transcript] of transcripts.entries()) {
    try {
      await importSession(transcript, options, storeConfig, index, report);
    } catch (error) {
      options.debugLog.log('warn', `could not import ${transcript.path}`, { error: String(error) });
    }
    options.onProgress?.(i + 1, transcripts.length);
  }
  return report;
}

async function importSession(
  transcript: SessionTranscript,
  options: ImportOptions,
  storeConfig: WrapperConfig,
  index: StoreIndex,
  report: ImportReport,
): Promise<void> {
  const runs: RunImport[] = [];
  const countSkipped = () => (report.skippedLines += 1);
  const reader = new TranscriptSessionReader({
    sessionId: transcript.sessionId,
    subagents: subagentsOf(subagentFiles(transcript.path), countSkipped),
    writesCostState: writesCostState(transcript.path),
    captureContent: options.config.genAi.logContent,
    startRun: (start) => {
      if (options.since !== undefined && start.time < options.since) return undefined;
      if (index.imported.has(start.key)) {
        report.alreadyImported += 1;
        return undefined;
      }
      if (recordedByWrapper(index, start)) {
        report.recordedByWrapper += 1;
        return undefined;
      }
      const previous = runs.at(-1);
      const runtime: TelemetryRuntime | undefined = options.dryRun
        ? undefined
        : new TelemetryRuntime({
            config: storeConfig,
            debugLog: options.debugLog,
            redact: options.redact,
            startTime: start.time,
            prompts: options.config.privacy.prompts,
            responses: options.config.privacy.responses,
            // The importing machine's CI is not the session's.
            ciResource: {},
            source: 'transcript',
            // The earlier run of a resumed session may be on its way into the store.
            earlierSession: async (sessionId): Promise<SpanContext | undefined> => {
              await previous?.stored;
              return earlierSessionSpan(options.config.stateDir, sessionId, runtime?.store?.runId);
            },
          });
      const run = new RunImport(runtime, start);
      runs.push(run);
      return run;
    },
  });
  readTranscript(transcript.path, (line) => reader.push(line), countSkipped);
  const endedCleanly = reader.finish();
  const last = runs.at(-1);
  for (const run of runs) {
    // The last run without its process's end line may still be written to: it waits until the transcript is quiet.
    if (run === last && !endedCleanly && options.now() - transcript.mtimeMs < options.quietAfterMs) {
      report.stillRunning += 1;
      continue;
    }
    const runId = await run.finish();
    index.imported.add(run.start.key);
    report.imported += 1;
    if (runId) {
      report.runIds.push(runId);
      index.transcriptRunIds.add(runId);
    }
  }
}

export { indexStore };
