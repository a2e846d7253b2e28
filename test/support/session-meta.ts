import type { SessionMeta } from '../../src/store/session-meta.ts';

/** A meta.json for a stored run a test makes by hand: a finished session with nothing in it. */
export function sessionMeta(fields: Pick<SessionMeta, 'runId' | 'sessionId'> & Partial<SessionMeta>): SessionMeta {
  return {
    traceId: '',
    mode: 'print',
    model: 'm',
    version: 'v',
    startTime: 0,
    endTime: 0,
    exitCode: 0,
    prompts: 0,
    toolCalls: 0,
    toolErrors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheCreationTokens: 0,
    costUsd: 0,
    isError: false,
    interrupted: false,
    ...fields,
  };
}
