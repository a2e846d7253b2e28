import * as v from 'valibot';
import { toolInput } from '../field-schemas.ts';

// A message's content as claude writes it (assistant and user lines, stdin prompts, transcripts):
// a string, or a list of blocks of which the wrapper reads text, tool calls and tool results.
// Any other block (thinking, images...) or one of these without what it needs is 'other'.

export const TEXT_BLOCK = v.object({ type: v.literal('text'), text: v.string() });
export const TOOL_USE_BLOCK = v.object({
  type: v.literal('tool_use'),
  id: v.string(),
  name: v.string(),
  input: toolInput,
});
export const TOOL_RESULT_BLOCK = v.object({
  type: v.literal('tool_result'),
  tool_use_id: v.string(),
  content: v.optional(v.unknown()),
  is_error: v.fallback(v.optional(v.boolean(), false), false),
});
const OTHER_BLOCK = v.pipe(
  v.unknown(),
  v.transform(() => ({ type: 'other' as const })),
);

export const CONTENT_BLOCK = v.union([v.variant('type', [TEXT_BLOCK, TOOL_USE_BLOCK, TOOL_RESULT_BLOCK]), OTHER_BLOCK]);

/** `message.content`: anything but a string or a list reads as no content. */
export const CONTENT = v.pipe(
  v.fallback(v.optional(v.union([v.array(CONTENT_BLOCK), v.string()]), []), () => []),
  v.transform((content): ContentBlock[] => (typeof content === 'string' ? [{ type: 'text', text: content }] : content)),
);

export type TextBlock = v.InferOutput<typeof TEXT_BLOCK>;
export type ToolUseBlock = v.InferOutput<typeof TOOL_USE_BLOCK>;
export type ToolResultBlock = v.InferOutput<typeof TOOL_RESULT_BLOCK>;
export type ContentBlock = v.InferOutput<typeof CONTENT_BLOCK>;

export function parseContent(value: unknown): ContentBlock[] {
  const result = v.safeParse(CONTENT, value);
  return result.success ? result.output : [];
}
