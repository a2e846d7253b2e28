import * as v from 'valibot';
import type { SessionMeta } from './session-meta.ts';
import { MAX_TIME_MS } from './stored-spans.ts';

// The schema of meta.json, checked where the store is read. Only the reader imports it (at run
// time), so the schema library is never loaded before claude spawns. Fields a summary cannot do
// without are required; the rest fall back to what an older or partial meta.json means.

/** Epoch milliseconds a Date can hold; before 1970 is no time the wrapper writes. */
export const TIME = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(MAX_TIME_MS));
/** Counts, tokens and dollars: never negative, and whole counts stay exact. */
const amount = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const count = v.optional(amount, 0);
const label = v.optional(v.string(), 'unknown');

export const GIT_SCHEMA = v.object({
  repositoryUrl: v.optional(v.string()),
  repositoryName: v.optional(v.string()),
  branch: v.optional(v.string()),
  revision: v.optional(v.string()),
  revisionEnd: v.optional(v.string()),
  commits: v.optional(amount),
  dirty: v.optional(v.boolean()),
  worktree: v.optional(v.boolean(), false),
});

export const SESSION_META_SCHEMA = v.object({
  runId: v.optional(v.string(), ''),
  traceId: v.optional(v.string(), ''),
  spanId: v.optional(v.string()),
  sessionId: v.string(),
  mode: label,
  model: label,
  version: label,
  startTime: TIME,
  /** 0 when the wrapper never saw the end. */
  endTime: v.optional(TIME, 0),
  /** Absent in a meta.json written without one: shown as no exit code, not as 0. */
  exitCode: v.optional(v.pipe(v.number(), v.safeInteger())),
  prompts: count,
  toolCalls: count,
  toolErrors: count,
  inputTokens: count,
  outputTokens: count,
  cacheReadTokens: count,
  cacheCreationTokens: count,
  costUsd: count,
  isError: v.optional(v.boolean(), false),
  interrupted: v.optional(v.boolean(), false),
  promptPreview: v.optional(v.string()),
  resumedFrom: v.optional(v.string()),
  /** Absent for a session the wrapper ran. */
  source: v.optional(v.picklist(['wrapper', 'transcript'])),
  transcriptRun: v.optional(v.string()),
  git: v.optional(GIT_SCHEMA),
});

/** meta.json as read: what the wrapper writes, with `exitCode` possibly absent. */
export type StoredMeta = v.InferOutput<typeof SESSION_META_SCHEMA>;

// What the wrapper writes must pass the schema, and what the schema passes must be a SessionMeta (but for the exit code).
type Writable = SessionMeta extends v.InferInput<typeof SESSION_META_SCHEMA> ? true : never;
type Readable = StoredMeta extends SessionMeta ? true : never;
export const SCHEMA_MATCHES_WRITER: Writable & Readable = true;

/** The checked meta.json, or why it is not one. */
export function parseMeta(value: unknown): { ok: true; meta: StoredMeta } | { ok: false; reason: string } {
  const result = v.safeParse(SESSION_META_SCHEMA, value);
  if (result.success) return { ok: true, meta: result.output };
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  return { ok: false, reason: `it is not a session summary (${path ? `${path}: ` : ''}${issue.message})` };
}
