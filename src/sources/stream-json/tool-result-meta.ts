import { isJsonObject as isObject, type JsonObject as Json } from '../../untrusted-json.ts';

// A user line's tool_result_meta (2.1.332): for each tool result, how the call was allowed or
// refused, validated at the edge.

/** tool_result_meta (2.1.332): how the call was allowed or refused. */
export interface ToolPermission {
  decision: string;
  source?: string;
}

function obj(value: unknown): Json {
  return isObject(value) ? value : {};
}

export function parsePermissions(value: unknown): Map<string, ToolPermission> {
  const out = new Map<string, ToolPermission>();
  if (!Array.isArray(value)) return out;
  for (const entry of value) {
    if (!isObject(entry) || typeof entry.id !== 'string') continue;
    const decision = obj(entry.permission_decision);
    if (typeof decision.decision !== 'string') continue;
    const permission: ToolPermission = { decision: decision.decision };
    if (typeof decision.source === 'string') permission.source = decision.source;
    out.set(entry.id, permission);
  }
  return out;
}
