import * as v from 'valibot';
import type { SessionStart } from './session-meta.ts';
import { GIT_SCHEMA, TIME } from './meta-schema.ts';

// The schema of started.json (what is known of a running session), checked where the store is
// read. Only the reader imports it, like meta.json's schema.

const label = v.optional(v.string(), 'unknown');

export const SESSION_START_SCHEMA = v.object({
  runId: v.optional(v.string(), ''),
  traceId: v.optional(v.string(), ''),
  sessionId: v.optional(v.string(), ''),
  mode: label,
  model: label,
  version: label,
  startTime: TIME,
  promptPreview: v.optional(v.string()),
  resumedFrom: v.optional(v.string()),
  git: v.optional(GIT_SCHEMA),
});

export type StoredStart = v.InferOutput<typeof SESSION_START_SCHEMA>;

// What the wrapper writes must pass the schema.
type Writable = SessionStart extends v.InferInput<typeof SESSION_START_SCHEMA> ? true : never;
export const START_SCHEMA_MATCHES_WRITER: Writable = true;

/** The checked started.json, or why it is not one. */
export function parseStart(value: unknown): { ok: true; start: StoredStart } | { ok: false; reason: string } {
  const result = v.safeParse(SESSION_START_SCHEMA, value);
  if (result.success) return { ok: true, start: result.output };
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  return { ok: false, reason: `it is not a session start (${path ? `${path}: ` : ''}${issue.message})` };
}
