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
