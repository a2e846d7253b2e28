import type { Attributes, Context } from '@opentelemetry/api';
import type { GenAiConfig } from '../config/genai-config.ts';
import type { TokenUsage } from '../session/events.ts';
import type { ChatEvent } from './event-attributes.ts';
import type { CostParts } from './pricing.ts';
import type { EarlierSessionLookup } from './resume-link.ts';
import type { ToolInputSummaries } from './tool-input-summaries.ts';

// What the span mapper is given, and the totals it keeps for the session.

export interface SpanMapperOptions {
  /** The parent of the session span (an inbound TRACEPARENT or a host program's active span). */
  parentContext?: Context;
  /** Prompt text in span attributes: 'preview' (first 120 characters) or 'off'. */
  promptPreview: boolean;
  /** Called when a chat span is written (they wait for their prompt's end). */
  onChat?: (chat: ChatEvent, cost: CostParts | undefined, rebuild: boolean) => void;
  /** Called for each wait on the person (interactive mode): before a prompt, or on a permission prompt. */
  onUserWait?: (ms: number, kind: 'prompt' | 'permission') => void;
  /** Names, content and cache lifetime (see GenAiConfig). */
  genAi: GenAiConfig;
  /** Text that may carry secrets passes through here before it becomes an attribute. */
  redact: (text: string) => string;
  /** Tool input summaries, shared with the log mapper. */
  toolSummaries: ToolInputSummaries;
  /** Extra attributes of the session span (inbound baggage). */
  sessionAttributes?: Attributes;
  /** The root span of a session's earlier run, when the local store has it: a resumed session links to it. */
  earlierSession?: EarlierSessionLookup;
  /**
   * Chat spans waiting for their prompt's end at most: beyond, those waiting are written at once
   * with list prices, so that a prompt of a million model calls is never held in memory.
   */
  maxPendingChats?: number;
}

export interface SessionTotals {
  usage: TokenUsage;
  toolCount: number;
  toolErrors: number;
  costUsd: number;
  prompts: number;
}
