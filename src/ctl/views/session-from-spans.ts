import type { SessionFigures } from './session-record.ts';
import type { TokenUsage } from '../../session/events.ts';
import { numberAttr, spanRole, spanTokens, stringAttr, boolAttr, isErrorSpan, chatModel, modelCalls } from './stored-spans.ts';
import type { StoredSpan } from './stored-spans.ts';
import { gitFromSpan } from './git-figures.ts';
import {
  ATTR_CLAUDE_SOURCE,
  ATTR_CLAUDE_COST_USD,
  ATTR_CLAUDE_INTERRUPTED,
  ATTR_CLAUDE_SESSION_RESUMED_FROM,
  ATTR_CLAUDE_MODE,
  ATTR_CLAUDE_PROMPT_COUNT,
  ATTR_CLAUDE_PROMPT_PREVIEW,
  ATTR_CLAUDE_RESULT_IS_ERROR,
  ATTR_CLAUDE_TOOL_COUNT,
  ATTR_CLAUDE_TOOL_ERROR_COUNT,
  ATTR_CLAUDE_VERSION,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_PROCESS_EXIT_CODE,
  ATTR_SESSION_ID,
} from '../../telemetry/names.ts';

// A session's figures from its spans, for a run whose meta.json is missing (the session is
// still running, or the wrapper was killed) or unreadable. The root span carries the totals
// once the session has ended; before that, they are added up from the spans there are.

export function figuresFromSpans(spans: StoredSpan[], logSessionIds: string[]): SessionFigures | undefined {
  if (spans.length === 0) return undefined;
  const root = spans.find((s) => spanRole(s) === 'session');
  const chats = spans.filter((s) => spanRole(s) === 'chat');
  const tools = spans.filter((s) => spanRole(s) === 'tool');
  const tokens = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
  let costUsd = 0;
  for (const chat of chats) {
    const t = spanTokens(chat);
    tokens.input += t.input;
    tokens.output += t.output;
    tokens.cacheRead += t.cacheRead;
    tokens.cacheCreation += t.cacheCreation;
    costUsd += numberAttr(chat, ATTR_CLAUDE_COST_USD) ?? 0;
  }
  if (!root) {
    const first = modelCalls(spans)[0];
    return {
      // The run fills in its id; a session without a root span has no trace or end to show yet.
      runId: '',
      traceId: '',
      sessionId: logSessionIds[0] ?? '',
      mode: 'unknown',
      model: first ? chatModel(first) : 'unknown',
      version: 'unknown',
      startTime: spans.reduce((min, s) => Math.min(min, s.startMs), Number.POSITIVE_INFINITY),
      ended: false,
      endTime: 0,
      prompts: spans.filter((s) => spanRole(s) === 'prompt').length,
      toolCalls: tools.length,
      toolErrors: tools.filter(isErrorSpan).length,
      ...metaTokens(tokens),
      costUsd,
      isError: false,
      interrupted: false,
    };
  }
  const exitCode = numberAttr(root, ATTR_PROCESS_EXIT_CODE);
  const figures: SessionFigures = {
    runId: '',
    sessionId: stringAttr(root, ATTR_SESSION_ID) ?? logSessionIds[0] ?? '',
    traceId: root.traceId,
    mode: stringAttr(root, ATTR_CLAUDE_MODE) ?? 'unknown',
    model: stringAttr(root, ATTR_GEN_AI_REQUEST_MODEL) ?? 'unknown',
    version: stringAttr(root, ATTR_CLAUDE_VERSION) ?? 'unknown',
    startTime: root.startMs,
    ended: true,
    endTime: root.endMs,
    prompts: numberAttr(root, ATTR_CLAUDE_PROMPT_COUNT) ?? spans.filter((s) => spanRole(s) === 'prompt').length,
    toolCalls: numberAttr(root, ATTR_CLAUDE_TOOL_COUNT) ?? tools.length,
    toolErrors: numberAttr(root, ATTR_CLAUDE_TOOL_ERROR_COUNT) ?? tools.filter(isErrorSpan).length,
    ...metaTokens(root.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] !== undefined ? spanTokens(root) : tokens),
    costUsd: numberAttr(root, ATTR_CLAUDE_COST_USD) ?? costUsd,
    isError: boolAttr(root, ATTR_CLAUDE_RESULT_IS_ERROR) === true || (exitCode !== undefined && exitCode !== 0),
    interrupted: boolAttr(root, ATTR_CLAUDE_INTERRUPTED) === true,
  };
  if (exitCode !== undefined) figures.exitCode = exitCode;
  const preview = stringAttr(root, ATTR_CLAUDE_PROMPT_PREVIEW);
  if (preview !== undefined) figures.promptPreview = preview;
  const resumedFrom = stringAttr(root, ATTR_CLAUDE_SESSION_RESUMED_FROM);
  if (resumedFrom) figures.resumedFrom = resumedFrom;
  if (stringAttr(root, ATTR_CLAUDE_SOURCE) === 'transcript') figures.source = 'transcript';
  const git = gitFromSpan(root);
  if (git) figures.git = git;
  return figures;
}

/** The session model's usage under meta.json's names. */
function metaTokens(t: TokenUsage): Pick<SessionFigures, 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheCreationTokens'> {
  return { inputTokens: t.input, outputTokens: t.output, cacheReadTokens: t.cacheRead, cacheCreationTokens: t.cacheCreation };
}
