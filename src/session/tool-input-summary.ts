// A one-line summary of what a tool was asked to do: the command, path, pattern or URL.

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

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= INPUT_SUMMARY_LIMIT ? oneLine : `${oneLine.slice(0, INPUT_SUMMARY_LIMIT - 1)}…`;
}

export function toolInputSummary(toolName: string, input: Record<string, unknown>, redact: (text: string) => string = (t) => t): string {
  const fields = FIELDS_BY_TOOL[toolName] ?? FALLBACK_FIELDS;
  const parts: string[] = [];
  for (const field of fields) {
    const value = input[field];
    if (typeof value === 'string' && value.length > 0) parts.push(value);
  }
  if (parts.length > 0) return clip(redact(parts.join(' ')));
  return clip(redact(JSON.stringify(input)));
}
