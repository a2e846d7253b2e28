import * as v from 'valibot';
import { parseDuration } from '../commands/option-values.ts';
import { GROUP_KEYS } from '../views/grouped-stats.ts';

// The query parameters of every route, checked where a request comes in: a parameter that is
// unknown, repeated, or not of its form is refused with a reason (HTTP 400) before any
// store is read.

const MAX_TEXT = 500;

/** A period's end as `--since` takes it: a duration back from now, a date, or a date and time. */
const WHEN = v.pipe(
  v.string(),
  v.maxLength(64, 'expected a duration such as 7d, 24h or 30m, or a date such as 2026-01-31'),
  v.check(
    (text) => parseDuration(text) !== undefined || /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim()),
    'expected a duration such as 7d, 24h or 30m, or a date such as 2026-01-31',
  ),
);

const TEXT = v.pipe(v.string(), v.minLength(1, 'expected a value'), v.maxLength(MAX_TEXT, `expected at most ${MAX_TEXT} characters`));

const wholeNumber = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d{1,9}$/, `expected a whole number from ${min} to ${max}`),
    v.transform(Number),
    v.minValue(min, `expected a whole number from ${min} to ${max}`),
    v.maxValue(max, `expected a whole number from ${min} to ${max}`),
  );

/** The token may ride in the query of any route (a browser's EventSource cannot send a header). */
const TOKEN = { token: v.optional(v.string()) };

export const MAX_PAGE = 10_000;
export const DEFAULT_PAGE = 100;

export const TRACES_QUERY = v.strictObject({
  ...TOKEN,
  since: v.optional(WHEN),
  until: v.optional(WHEN),
  repo: v.optional(TEXT),
  branch: v.optional(TEXT),
  model: v.optional(TEXT),
  mode: v.optional(v.picklist(['print', 'sdk', 'interactive', 'unknown'], 'expected print, sdk, interactive or unknown')),
  status: v.optional(v.picklist(['ok', 'error', 'running'], 'expected ok, error or running')),
  delivered: v.optional(
    v.pipe(
      v.picklist(['true', 'false'], 'expected true or false'),
      v.transform((x) => x === 'true'),
    ),
  ),
  q: v.optional(TEXT),
  limit: v.optional(wholeNumber(1, MAX_PAGE), String(DEFAULT_PAGE)),
  offset: v.optional(wholeNumber(0, 1e9), '0'),
});
export type TracesQuery = v.InferOutput<typeof TRACES_QUERY>;

export const STATS_QUERY = v.strictObject({
  ...TOKEN,
  since: v.optional(WHEN, '7d'),
  until: v.optional(WHEN),
  by: v.optional(v.picklist(GROUP_KEYS, `expected one of ${GROUP_KEYS.join(', ')}`)),
});
export type StatsQuery = v.InferOutput<typeof STATS_QUERY>;

/** Routes that take no parameter but the token. */
export const TOKEN_ONLY_QUERY = v.strictObject({ ...TOKEN });

/** A trace id (32 hex digits), a session id, a prefix of one, a run id, or `last`. */
export const TRACE_KEY = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,100}$/, 'expected a trace id, a session id, a run id or a prefix of one'));

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * The query string as one value per name: a name given twice is refused, since a filter
 * that silently took the first or the last would answer another question than the one asked.
 */
export function checkQuery<S extends v.GenericSchema>(schema: S, params: URLSearchParams): Checked<v.InferOutput<S>> {
  const seen = new Map<string, string>();
  for (const [name, value] of params) {
    if (seen.has(name)) return { ok: false, reason: `parameter ${JSON.stringify(name)} is given more than once` };
    seen.set(name, value);
  }
  // Own properties whatever their names (`__proto__` too), so that the schema sees every one.
  return check(schema, Object.fromEntries(seen));
}

export function check<S extends v.GenericSchema>(schema: S, value: unknown): Checked<v.InferOutput<S>> {
  const result = v.safeParse(schema, value);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  if (issue.type === 'strict_object' && path) return { ok: false, reason: `unknown parameter ${JSON.stringify(path)}` };
  return { ok: false, reason: path ? `${path}: ${issue.message}` : issue.message };
}
