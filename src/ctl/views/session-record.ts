import type { TokenUsage } from '../../session/events.ts';
import type { StoredMeta } from '../../store/reader.ts';
import { gitJson } from './git-figures.ts';

// One recorded session as the viewing commands see it: meta.json's summary when it is
// readable, else what the stored spans say.

/**
 * A recorded session's figures in meta.json's one type (SessionMeta as the store's reader checks it:
 * the exit code may be absent, an `endTime` of 0 and an empty `traceId` mean unknown), from meta.json
 * or, when it is missing or unreadable, from the spans. `ended`: the session ended (meta.json is
 * written then, and the root span ends then).
 */
export type SessionFigures = StoredMeta & { ended: boolean };

export interface SessionRecord extends SessionFigures {
  dir: string;
  /** Chunks written for this run. */
  chunks: number;
  /** Every chunk was accepted by the collector (false when there are none). */
  delivered: boolean;
  /** Why the last attempt to send the run failed, while some chunk waits; undefined when no attempt failed (or none was recorded). */
  deliveryFailure?: { reason: string; timeMs: number };
  /** Where the figures come from. */
  figuresFrom: 'meta' | 'spans';
}

export function durationMs(s: SessionFigures): number | undefined {
  return s.endTime > 0 ? Math.max(0, s.endTime - s.startTime) : undefined;
}

/** meta.json's token fields as the session model's usage (input is the uncached input). */
export function sessionTokens(s: SessionFigures): TokenUsage {
  return { input: s.inputTokens, output: s.outputTokens, cacheRead: s.cacheReadTokens, cacheCreation: s.cacheCreationTokens };
}

/** An error result, a non-zero exit, or a failed tool call. */
export function hasErrors(s: SessionFigures): boolean {
  return s.isError || (s.exitCode !== undefined && s.exitCode !== 0) || s.toolErrors > 0;
}

/**
 * An imported session with chunks no send was ever tried for (no failure recorded): it waits for
 * `replay` or `import --export`, not on the collector.
 */
export function neverSent(s: SessionRecord): boolean {
  return s.source === 'transcript' && s.chunks > 0 && !s.delivered && s.deliveryFailure === undefined;
}

export function sessionStatus(s: SessionFigures): 'ok' | 'error' | 'interrupted' | 'unfinished' {
  if (!s.ended) return 'unfinished';
  if (s.interrupted) return 'interrupted';
  if (s.isError || (s.exitCode !== undefined && s.exitCode !== 0)) return 'error';
  return 'ok';
}

/** A session for `--json` output: stable names, ISO times, the token total spelled out. */
export function sessionJson(s: SessionRecord, shortId: string): Record<string, unknown> {
  const tokens = sessionTokens(s);
  return {
    sessionId: s.sessionId,
    shortId,
    runId: s.runId,
    traceId: s.traceId || null,
    startTime: new Date(s.startTime).toISOString(),
    endTime: s.endTime > 0 ? new Date(s.endTime).toISOString() : null,
    durationMs: durationMs(s) ?? null,
    mode: s.mode,
    model: s.model,
    claudeVersion: s.version,
    prompts: s.prompts,
    toolCalls: s.toolCalls,
    toolErrors: s.toolErrors,
    tokens: { ...tokens, total: tokens.input + tokens.output + tokens.cacheRead + tokens.cacheCreation },
    costUsd: s.costUsd,
    exitCode: s.exitCode ?? null,
    isError: s.isError,
    interrupted: s.interrupted,
    status: sessionStatus(s),
    hasErrors: hasErrors(s),
    delivered: s.delivered,
    deliveryFailure: s.deliveryFailure ? { reason: s.deliveryFailure.reason, time: new Date(s.deliveryFailure.timeMs).toISOString() } : null,
    chunks: s.chunks,
    promptPreview: s.promptPreview ?? null,
    resumedFrom: s.resumedFrom ?? null,
    source: s.source ?? 'wrapper',
    git: gitJson(s.git),
  };
}
