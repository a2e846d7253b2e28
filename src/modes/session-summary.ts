import { redactedPrefix } from '../privacy/bounded-redaction.ts';
import type { SessionEvent } from '../session/events.ts';
import type { SessionSummary } from '../store/session-meta.ts';
import { NO_COUNTS } from '../store/session-meta.ts';

/** Adds up a session as its events go by, so that nothing of a long session is kept. */
export class SessionSummaryBuilder {
  private readonly s: SessionSummary = {
    sessionId: '',
    mode: 'print',
    model: 'unknown',
    version: 'unknown',
    startTime: 0,
    endTime: 0,
    exitCode: 0,
    ...NO_COUNTS,
    isError: false,
    interrupted: false,
  };
  private reportedCost: number | undefined;

  constructor(private readonly redact: (t: string) => string) {}

  add(e: SessionEvent): void {
    const s = this.s;
    switch (e.kind) {
      case 'session_start':
        Object.assign(s, { sessionId: e.sessionId, mode: e.mode, model: e.model, version: e.version, startTime: e.time });
        if (e.resumedFrom !== undefined) s.resumedFrom = e.resumedFrom;
        if (e.source === 'transcript') s.source = 'transcript';
        break;
      case 'prompt_start':
        s.prompts += 1;
        if (s.promptPreview === undefined && e.text !== undefined) s.promptPreview = redactedPrefix(this.redact, e.text, 120);
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
        if (e.result?.costUsd !== undefined) this.reportedCost = (this.reportedCost ?? 0) + e.result.costUsd;
        if (e.result?.isError) s.isError = true;
        break;
      case 'session_end':
        s.endTime = e.time;
        // An exit nobody saw stays absent, never 0.
        if (e.exitCode === undefined) delete s.exitCode;
        else s.exitCode = e.exitCode;
        s.interrupted = e.interrupted;
        if (e.exitCode !== undefined && e.exitCode !== 0) s.isError = true;
        if (e.git) {
          const { vcsOnResource: _onResource, ...git } = e.git;
          s.git = git;
        }
        break;
      default:
        break;
    }
  }

  /** The summary; the cost claude reported, else the one computed from list prices. */
  summary(computedCostUsd: number): SessionSummary {
    return { ...this.s, costUsd: this.reportedCost ?? computedCostUsd };
  }
}
