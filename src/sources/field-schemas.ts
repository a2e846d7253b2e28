import * as v from 'valibot';
import { isJsonObject, type JsonObject } from '../untrusted-json.ts';

// How the schemas of what claude writes (stream-json, hook payloads, transcripts) read a field
// they do not need to identify the line: one missing, null or of another type reads as absent (or
// as its default), as claude leaving it out would. Only the fields that say what a line is are
// required; a line without them is no message of its kind.

export const finiteNumber = v.pipe(v.number(), v.finite());

/** An optional field: absent when missing or of another type. */
export function maybe<TSchema extends v.GenericSchema>(schema: TSchema) {
  return v.fallback(v.optional(schema), undefined);
}

/** A field the CLI may write as null: null, missing or of another type read as absent. */
export function maybeNull<TSchema extends v.GenericSchema>(schema: TSchema) {
  return v.fallback(v.nullish(schema), undefined);
}

/** A string that falls back to a default. */
export function stringOr<const TDefault extends string>(fallback: TDefault) {
  return v.fallback(v.nullish(v.string(), fallback), fallback);
}

/** A count that falls back to 0. */
export const countOrZero = v.fallback(v.nullish(finiteNumber, 0), 0);

export const maybeString = maybe(v.string());
export const maybeNumber = maybe(finiteNumber);
export const maybeNullString = maybeNull(v.string());
export const maybeNullNumber = maybeNull(finiteNumber);
/** `parent_tool_use_id`: set on a subagent's lines. */
export const parentToolUseId = maybeNullString;

/** A tool's input: the object as it came (not copied: the wrapper only passes it on); anything else reads as `{}`. */
export const toolInput = v.optional(
  v.pipe(
    v.unknown(),
    v.transform((value): JsonObject => (isJsonObject(value) ? value : {})),
  ),
  () => ({}),
);
