import * as v from 'valibot';
import { maybe, maybeString } from '../field-schemas.ts';

// A user line's tool_result_meta (2.1.332): for each tool result, how the call was allowed or
// refused. An entry without an id or a decision is skipped.

const PERMISSION_ENTRY = v.object({
  id: v.string(),
  permission_decision: v.object({ decision: v.string(), source: maybeString }),
});

export const TOOL_RESULT_META = maybe(v.array(v.fallback(v.nullish(PERMISSION_ENTRY), undefined)));

/** tool_result_meta (2.1.332): how the call was allowed or refused. */
export interface ToolPermission {
  decision: string;
  source?: string;
}

/** The checked entries, by tool_use id. */
export function permissionsOf(entries: v.InferOutput<typeof TOOL_RESULT_META>): Map<string, ToolPermission> {
  const out = new Map<string, ToolPermission>();
  if (entries === undefined) return out;
  for (const entry of entries) {
    if (!entry) continue;
    const { decision, source } = entry.permission_decision;
    out.set(entry.id, source === undefined ? { decision } : { decision, source });
  }
  return out;
}
