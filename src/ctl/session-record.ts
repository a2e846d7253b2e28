import type { TokenUsage } from '../session/events.ts';
import { gitJson } from './git-figures.ts';
import type { GitFigures } from './git-figures.ts';

// One recorded session as the viewing commands see it: meta.json's summary when it is
// readable, else what the stored spans say.

export interface SessionFigures {
  sessionId: string;
  traceId?: string;
  mode: string;
  model: string;
  version: string;
  startTime: number;
  /** The session ended: meta.json is written then, and the root span ends then. */
  ended: boolean;
  /** Absent while the session runs, when the wrapper was killed, or when claude never said. */
  endTime?: number;
  exitCode?: number;
  prompts: number;
  toolCalls: number;
  toolErrors: number;
  tokens: TokenUsage;
  costUsd: number;
  /** The result was an error, or claude exited with a non-zero code. */
  isError: boolean;
  interrupted: boolean;
  promptPreview?: string;
  /** The session this run resumed, continued or forked. */
  resumedFrom?: string;
  /** The git work tree it ran in; absent outside one. */
  git?: GitFigures;
}

export interface SessionRecord extends SessionFigures {
  runId: string;
  dir: string;
  /** Chunks written for this run. */
  chunks: number;
  /** Every chunk was accepted by the collector (false when there are none). */
  delivered: boolean;
  /** Where the figures come from. */
  source: 'meta' | 'spans';
}

export function durationMs(s: SessionFigures): number | undefined {
  return s.endTime === undefined ? undefined : Math.max(0, s.endTime - s.startTime);
}

/** An error result, a non-zero exit, or a failed tool call. */
export function hasErrors(s: SessionFigures): boolean {
  return s.isError || (s.exitCode !== undefined && s.exitCode !== 0) || s.toolErrors > 0;
}

export function sessionStatus(s: SessionFigures): 'ok' | 'error' | 'interrupted' | 'unfinished' {
  if (!s.ended) return 'unfinished';
  if (s.interrupted) return 'interrupted';
  if (s.isError || (s.exitCode !== undefined && s.exitCode !== 0)) return 'error';
  return 'ok';
}

/** A session for `--json` output: stable names, ISO times, the token total spelled out. */
export function sessionJson(s: SessionRecord, shortId: string): Record<string, unknown> {
  return {
    sessionId: s.sessionId,
    shortId,
    runId: s.runId,
    traceId: s.traceId ?? null,
    startTime: new Date(s.startTime).toISOString(),
    endTime: s.endTime === undefined ? null : new Date(s.endTime).toISOString(),
    durationMs: durationMs(s) ?? null,
    mode: s.mode,
    model: s.model,
    claudeVersion: s.version,
    prompts: s.prompts,
    toolCalls: s.toolCalls,
    toolErrors: s.toolErrors,
    tokens: { ...s.tokens, total: s.tokens.input + s.tokens.output + s.tokens.cacheRead + s.tokens.cacheCreation },
    costUsd: s.costUsd,
    exitCode: s.exitCode ?? null,
    isError: s.isError,
    interrupted: s.interrupted,
    status: sessionStatus(s),
    hasErrors: hasErrors(s),
    delivered: s.delivered,
    chunks: s.chunks,
    promptPreview: s.promptPreview ?? null,
    resumedFrom: s.resumedFrom ?? null,
    git: gitJson(s.git),
  };
}
