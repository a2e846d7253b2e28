import type { Span, SpanContext } from '@opentelemetry/api';
import { ATTR_CLAUDE_LINK_TYPE, ATTR_CLAUDE_SESSION_RESUMED_FROM } from './names.ts';

// A resumed session's span: which session it continues, and a link to that session's earlier
// root span (another trace, as each run of claude is its own process). The earlier run is
// looked up in the local store, which is read only for a resumed session: the link is added
// once the lookup is done, and the session span waits for it before it ends.

export type EarlierSessionLookup = (sessionId: string) => Promise<SpanContext | undefined>;

/**
 * Names the earlier session on the session span and links to its root span; nothing for a
 * new session. The returned promise settles (never rejects) once the link is on the span.
 */
export function markResumed(span: Span, resumedFrom: string | undefined, lookup: EarlierSessionLookup | undefined): Promise<void> | undefined {
  if (resumedFrom === undefined) return undefined;
  span.setAttribute(ATTR_CLAUDE_SESSION_RESUMED_FROM, resumedFrom);
  if (!lookup) return undefined;
  return lookup(resumedFrom).then(
    (earlier) => {
      if (earlier) span.addLink({ context: earlier, attributes: { [ATTR_CLAUDE_LINK_TYPE]: 'resumes' } });
    },
    // A store that cannot be read leaves the session without its link, nothing more.
    () => {},
  );
}
