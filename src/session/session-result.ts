import type { ResultMessage } from '../stream/messages.ts';
import type { SessionResult } from './events.ts';

// claude's `result` line, as the session's (or the prompt's) result.

export function sessionResult(message: ResultMessage): SessionResult {
  const costByModel: Record<string, number> = {};
  for (const [model, usage] of Object.entries(message.modelUsage)) costByModel[model] = usage.costUSD;
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
  return result;
}
