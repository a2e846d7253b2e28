import type { SessionEvent } from '../session/events.ts';

// A session in a few numbers, kept beside its telemetry in the local store so that a
// listing does not have to read every span.

export interface SessionSummary {
  sessionId: string;
  mode: string;
  model: string;
  version: string;
  startTime: number;
  endTime: number;
  exitCode: number;
  prompts: number;
  toolCalls: number;
  toolErrors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  costUsd: number;
  isError: boolean;
  interrupted: boolean;
  promptPreview?: string;
}

export function summarizeSession(events: SessionEvent[], redact: (t: string) => string, computedCostUsd = 0): SessionSummary {
  const s: SessionSummary = {
    sessionId: '', mode: 'print', model: 'unknown', version: 'unknown', startTime: 0, endTime: 0, exitCode: 0,
    prompts: 0, toolCalls: 0, toolErrors: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0,
    costUsd: 0, isError: false, interrupted: false,
  };
  let reportedCost: number | undefined;
  for (const e of events) {
    switch (e.kind) {
      case 'session_start':
        Object.assign(s, { sessionId: e.sessionId, mode: e.mode, model: e.model, version: e.version, startTime: e.time });
        break;
      case 'prompt_start':
        s.prompts += 1;
        if (s.promptPreview === undefined && e.text !== undefined) s.promptPreview = redact(e.text).slice(0, 120);
        break;
      case 'tool_start':
        s.toolCalls += 1;
        break;
      case 'tool_end':
        if (e.outcome.isError) s.toolErrors += 1;
        break;
      case 'chat':
        s.inputTokens += e.usage.input;
        s.outputTokens += e.usage.output;
        s.cacheReadTokens += e.usage.cacheRead;
        s.cacheCreationTokens += e.usage.cacheCreation;
        break;
      case 'prompt_end':
        if (e.result?.costUsd !== undefined) reportedCost = (reportedCost ?? 0) + e.result.costUsd;
        if (e.result?.isError) s.isError = true;
        break;
      case 'session_end':
        s.endTime = e.time;
        s.exitCode = e.exitCode;
        s.interrupted = e.interrupted;
        if (e.exitCode !== 0) s.isError = true;
        break;
      default:
        break;
    }
  }
  s.costUsd = reportedCost ?? computedCostUsd;
  return s;
}
