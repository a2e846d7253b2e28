import type { SessionFigures } from './session-record.ts';
import { numberAttr, spanRole, spanTokens, stringAttr, boolAttr, isErrorSpan, chatModel } from './stored-spans.ts';
import type { StoredSpan } from './stored-spans.ts';
import { gitFromSpan } from './git-figures.ts';

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
    costUsd += numberAttr(chat, 'claude.cost_usd') ?? 0;
  }
  if (!root) {
    const first = chats[0];
    return {
      sessionId: logSessionIds[0] ?? '',
      mode: 'unknown',
      model: first ? chatModel(first) : 'unknown',
      version: 'unknown',
      startTime: Math.min(...spans.map((s) => s.startMs)),
      ended: false,
      prompts: spans.filter((s) => spanRole(s) === 'prompt').length,
      toolCalls: tools.length,
      toolErrors: tools.filter(isErrorSpan).length,
      tokens,
      costUsd,
      isError: false,
      interrupted: false,
    };
  }
  const exitCode = numberAttr(root, 'process.exit.code');
  const figures: SessionFigures = {
    sessionId: stringAttr(root, 'session.id') ?? logSessionIds[0] ?? '',
    traceId: root.traceId,
    mode: stringAttr(root, 'claude.mode') ?? 'unknown',
    model: stringAttr(root, 'gen_ai.request.model') ?? 'unknown',
    version: stringAttr(root, 'claude.version') ?? 'unknown',
    startTime: root.startMs,
    ended: true,
    endTime: root.endMs,
    prompts: numberAttr(root, 'claude.prompt_count') ?? spans.filter((s) => spanRole(s) === 'prompt').length,
    toolCalls: numberAttr(root, 'claude.tool_count') ?? tools.length,
    toolErrors: numberAttr(root, 'claude.tool_error_count') ?? tools.filter(isErrorSpan).length,
    tokens: root.attributes['gen_ai.usage.input_tokens'] !== undefined ? spanTokens(root) : tokens,
    costUsd: numberAttr(root, 'claude.cost_usd') ?? costUsd,
    isError: boolAttr(root, 'claude.result.is_error') === true || (exitCode !== undefined && exitCode !== 0),
    interrupted: boolAttr(root, 'claude.interrupted') === true,
  };
  if (exitCode !== undefined) figures.exitCode = exitCode;
  const preview = stringAttr(root, 'claude.prompt.preview');
  if (preview !== undefined) figures.promptPreview = preview;
  const git = gitFromSpan(root);
  if (git) figures.git = git;
  return figures;
}
