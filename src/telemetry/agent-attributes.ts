import type { Attributes, Link, SpanContext } from '@opentelemetry/api';
import type { SessionEvent } from '../session/events.ts';
import {
  ATTR_CLAUDE_AGENT_BACKGROUND,
  ATTR_CLAUDE_AGENT_DURATION_MS,
  ATTR_CLAUDE_AGENT_ID,
  ATTR_CLAUDE_AGENT_STATUS,
  ATTR_CLAUDE_AGENT_TOOL_USES,
  ATTR_CLAUDE_AGENT_TOTAL_TOKENS,
  ATTR_CLAUDE_AGENT_UNFINISHED,
  ATTR_CLAUDE_LINK_TYPE,
  ATTR_GEN_AI_AGENT_DESCRIPTION,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  OPERATION_INVOKE_AGENT,
  PROVIDER_ANTHROPIC,
} from './names.ts';

// A subagent's invoke_agent span: what is known when it starts, its link to the agent's earlier
// run (SendMessage continues an agent: linked, not nested), and the figures claude reports at its end.

export function agentStartAttributes(event: Extract<SessionEvent, { kind: 'subagent_start' }>, redact: (text: string) => string): Attributes {
  const attributes: Attributes = {
    [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_INVOKE_AGENT,
    [ATTR_GEN_AI_AGENT_NAME]: event.agentType,
    [ATTR_GEN_AI_PROVIDER_NAME]: PROVIDER_ANTHROPIC,
  };
  if (event.agentId) attributes[ATTR_CLAUDE_AGENT_ID] = event.agentId;
  if (event.description) attributes[ATTR_GEN_AI_AGENT_DESCRIPTION] = redact(event.description);
  if (event.background) attributes[ATTR_CLAUDE_AGENT_BACKGROUND] = true;
  return attributes;
}

export function continuesLink(earlier: SpanContext | undefined): Link[] {
  return earlier ? [{ context: earlier, attributes: { [ATTR_CLAUDE_LINK_TYPE]: 'continues' } }] : [];
}

export function agentEndAttributes(event: Extract<SessionEvent, { kind: 'subagent_end' }>): Attributes {
  const attributes: Attributes = {};
  if (event.totalTokens !== undefined) attributes[ATTR_CLAUDE_AGENT_TOTAL_TOKENS] = event.totalTokens;
  if (event.toolUses !== undefined) attributes[ATTR_CLAUDE_AGENT_TOOL_USES] = event.toolUses;
  if (event.durationMs !== undefined) attributes[ATTR_CLAUDE_AGENT_DURATION_MS] = event.durationMs;
  if (event.status !== undefined) attributes[ATTR_CLAUDE_AGENT_STATUS] = event.status;
  if (event.unfinished) attributes[ATTR_CLAUDE_AGENT_UNFINISHED] = true;
  return attributes;
}
