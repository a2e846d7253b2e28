import type { Attributes, Link, SpanContext } from '@opentelemetry/api';
import { ATTR_CLAUDE_LINK_TYPE, ATTR_CLAUDE_SESSION_RESUMED_FROM } from './names.ts';

// A resumed session's span: which session it continues, and a link to that session's earlier
// root span (another trace, as each run of claude is its own process).

export type EarlierSessionLookup = (sessionId: string) => SpanContext | undefined;

export function resumedFromAttributes(resumedFrom: string | undefined): Attributes {
  return resumedFrom !== undefined ? { [ATTR_CLAUDE_SESSION_RESUMED_FROM]: resumedFrom } : {};
}

export function resumesLink(resumedFrom: string | undefined, lookup: EarlierSessionLookup | undefined): Link[] {
  const earlier = resumedFrom !== undefined ? lookup?.(resumedFrom) : undefined;
  return earlier ? [{ context: earlier, attributes: { [ATTR_CLAUDE_LINK_TYPE]: 'resumes' } }] : [];
}
