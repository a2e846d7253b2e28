import type { Link, Span, SpanContext } from '@opentelemetry/api';
import { ATTR_CLAUDE_LINK_TYPE, ATTR_CLAUDE_SESSION_RESUMED_FROM } from './names.ts';

// A resumed session's span: which session it continues, and a link to that session's earlier
// root span (another trace, as each run of claude is its own process).

export type EarlierSessionLookup = (sessionId: string) => SpanContext | undefined;

/** Names the earlier session on the session span and links to its root span; nothing for a new session. */
export function markResumed(span: Span, resumedFrom: string | undefined, lookup: EarlierSessionLookup | undefined): void {
  if (resumedFrom === undefined) return;
  span.setAttribute(ATTR_CLAUDE_SESSION_RESUMED_FROM, resumedFrom);
  for (const link of resumesLink(resumedFrom, lookup)) span.addLink(link);
}

function resumesLink(resumedFrom: string | undefined, lookup: EarlierSessionLookup | undefined): Link[] {
  const earlier = resumedFrom !== undefined ? lookup?.(resumedFrom) : undefined;
  return earlier ? [{ context: earlier, attributes: { [ATTR_CLAUDE_LINK_TYPE]: 'resumes' } }] : [];
}
