// A one-line summary of what a tool was asked to do: the command, path, pattern or URL.

import { boundText, REDACTION_MARGIN } from '../privacy/bounded-redaction.ts';

export const INPUT_SUMMARY_LIMIT = 200;

const FIELDS_BY_TOOL: Record<string, readonly string[]> = {
  Bash: ['command'],
  Read: ['file_path'],
  Write: ['file_path'],
  Edit: ['file_path'],
  MultiEdit: ['file_path'],
  NotebookEdit: ['notebook_path'],
  Glob: ['pattern', 'path'],
  Grep: ['pattern', 'path'],
  WebFetch: ['url'],
  WebSearch: ['query'],
  Task: ['subagent_type', 'description'],
  Agent: ['subagent_type', 'description'],
};

const FALLBACK_FIELDS = ['command', 'file_path', 'path', 'pattern', 'url', 'query', 'description'];

/** Bound → redact → cut: a long command is read only as far as its summary can show. */
function clip(text: string, redact: (text: string) => string): string {
  const bounded = boundText(text, INPUT_SUMMARY_LIMIT + REDACTION_MARGIN);
  const oneLine = redact(bounded).replace(/\s+/g, ' ').trim();
  if (oneLine.length <= INPUT_SUMMARY_LIMIT && bounded.length === text.length) return oneLine;
  return `${oneLine.slice(0, INPUT_SUMMARY_LIMIT - 1)}…`;
}

export function toolInputSummary(toolName: string, input: Record<string, unknown>, redact: (text: string) => string = (t) => t): string {
  const fields = FIELDS_BY_TOOL[toolName] ?? FALLBACK_FIELDS;
  const parts: string[] = [];
  for (const field of fields) {
    const value = input[field];
    if (typeof value === 'string' && value.length > 0) parts.push(value);
  }
  if (parts.length > 0) return clip(parts.join(' '), redact);
  return clip(JSON.stringify(input), redact);
}
