import type { GitContext } from '../session/events.ts';

// meta.json: a session in a few numbers, kept beside its telemetry in the local store so that a
// listing does not have to read every span. The one type of what the wrapper writes there.

export interface SessionMeta {
  runId: string;
  /** The session's trace; empty when no span was recorded. */
  traceId: string;
  /** The session span's id (what a later run that resumes the session links to); absent when no span was recorded. */
  spanId?: string;
  sessionId: string;
  mode: string;
  model: string;
  version: string;
  startTime: number;
  /** 0 when the wrapper never saw the end. */
  endTime: number;
  /** Absent when nobody saw claude exit (a session imported from its transcript). */
  exitCode?: number;
  prompts: number;
  toolCalls: number;
  toolErrors: number;
  /** Uncached input, as the session's events count it. */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  costUsd: number;
  isError: boolean;
  interrupted: boolean;
  promptPreview?: string;
  /** The session this run resumed, continued or forked. */
  resumedFrom?: string;
  /** `transcript`: imported from claude's transcript by `claude-otel-ctl import`; absent: run through the wrapper. */
  source?: 'wrapper' | 'transcript';
  /** An imported run: the transcript line that starts it (`<session id>/<line uuid>`), so that it is imported once. */
  transcriptRun?: string;
  /** The git work tree the session ran in (its repository name also labels the session metrics). */
  git?: Omit<GitContext, 'vcsOnResource'>;
}

/** What the session's events say; the run adds where it is stored and its trace. */
export type SessionSummary = Omit<SessionMeta, 'runId' | 'traceId' | 'spanId'>;

/**
 * started.json: what is known of a session while it runs (its mode, model, claude version, git
 * work tree and first prompt), written when it starts and again as more becomes known, so that
 * the viewing commands can show a running session before its meta.json is written at the end.
 */
export interface SessionStart {
  runId: string;
  /** The session's trace; empty when it is not known yet. */
  traceId: string;
  sessionId: string;
  mode: string;
  model: string;
  version: string;
  startTime: number;
  promptPreview?: string;
  resumedFrom?: string;
  git?: Omit<GitContext, 'vcsOnResource'>;
}

/** A session's counts before anything was counted. */
export const NO_COUNTS = Object.freeze({
  prompts: 0,
  toolCalls: 0,
  toolErrors: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheCreationTokens: 0,
  costUsd: 0,
});
