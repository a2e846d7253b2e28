import type { ResultMessage } from '../sources/stream-json/messages.ts';
import type { SessionResult } from './events.ts';

// claude's `result` line, as the session's (or the prompt's) result.

export function sessionResult(message: ResultMessage): SessionResult {
  const costByModel: Record<string, number> = {};
  let contextWindow: number | undefined;
  for (const [model, usage] of Object.entries(message.modelUsage)) {
    costByModel[model] = usage.costUSD;
    if (usage.contextWindow !== undefined) contextWindow = Math.max(contextWindow ?? 0, usage.contextWindow);
  }
  const result: SessionResult = {
    subtype: message.subtype,
    isError: message.isError,
    permissionDenials: message.permissionDenials,
    costByModel,
  };
  if (message.result !== undefined) result.text = message.result;
  if (message.durationMs !== undefined) result.durationMs = message.durationMs;
  if (message.durationApiMs !== undefined) result.durationApiMs = message.durationApiMs;
  if (message.numTurns !== undefined) result.numTurns = message.numTurns;
  if (message.totalCostUsd !== undefined) result.costUsd = message.totalCostUsd;
  if (message.apiErrorStatus !== undefined) result.apiErrorStatus = message.apiErrorStatus;
  if (message.usage?.thinking_tokens !== undefined) result.thinkingTokens = message.usage.thinking_tokens;
  if (contextWindow !== undefined) result.contextWindow = contextWindow;
  return result;
}
