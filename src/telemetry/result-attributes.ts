import type { Attributes } from '@opentelemetry/api';
import type { SessionResult } from '../session/events.ts';
import {
  ATTR_CLAUDE_CONTEXT_WINDOW,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_CLAUDE_DURATION_API_MS,
  ATTR_CLAUDE_NUM_TURNS,
  ATTR_CLAUDE_PERMISSION_DENIALS,
  ATTR_CLAUDE_RESULT_IS_ERROR,
  ATTR_CLAUDE_RESULT_SUBTYPE,
} from './names.ts';

// What claude's `result` line says, on the prompt span it ends and on the session span.

/** claude's error subtypes (the Agent SDK's error result) and ours for an API error claude calls `success`. */
export const RESULT_ERROR_TYPES = [
  'api_error',
  'error_during_execution',
  'error_max_turns',
  'error_max_budget_usd',
  'error_max_structured_output_retries',
] as const;
export type ResultErrorType = (typeof RESULT_ERROR_TYPES)[number];
const KNOWN_RESULT_ERROR_TYPES: ReadonlySet<string> = new Set(RESULT_ERROR_TYPES);

/** An error result's `error.type` on its spans: claude's subtype, or `api_error` for an error claude calls a success. */
export function resultErrorType(result: SessionResult): string | undefined {
  if (!result.isError) return undefined;
  return result.subtype === 'success' ? 'api_error' : result.subtype;
}

/** The same for a metric, whose attributes must stay few: a subtype claude adds later is `_OTHER` until it is listed. */
export function resultErrorMetricType(result: SessionResult): string | undefined {
  const type = resultErrorType(result);
  return type === undefined || KNOWN_RESULT_ERROR_TYPES.has(type) ? type : '_OTHER';
}

export function resultAttributes(result: SessionResult): Attributes {
  const attributes: Attributes = {
    [ATTR_CLAUDE_RESULT_SUBTYPE]: result.subtype,
    [ATTR_CLAUDE_RESULT_IS_ERROR]: result.isError,
    [ATTR_CLAUDE_PERMISSION_DENIALS]: result.permissionDenials,
  };
  if (result.numTurns !== undefined) attributes[ATTR_CLAUDE_NUM_TURNS] = result.numTurns;
  if (result.durationApiMs !== undefined) attributes[ATTR_CLAUDE_DURATION_API_MS] = result.durationApiMs;
  if (result.thinkingTokens !== undefined) attributes[ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] = result.thinkingTokens;
  return attributes;
}

/** The session span adds what holds for the whole session. */
export function sessionResultAttributes(result: SessionResult): Attributes {
  const attributes = resultAttributes(result);
  if (result.contextWindow !== undefined) attributes[ATTR_CLAUDE_CONTEXT_WINDOW] = result.contextWindow;
  return attributes;
}
