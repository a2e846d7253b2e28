import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenUsage } from '../model-call.ts';
import { parseTranscriptLine } from './transcript-lines.ts';
import { forEachLine } from './regular-file.ts';

// Print mode's stream-json shows a subagent's calls only through their first chunk (claude
// streams no API events for subagents): no final usage, no stop reason. Their transcripts,
// written as they go, hold both: read once when the prompt ends, keyed by message id.

/** What a subagent's transcript says of one of its calls. */
export interface SubagentCall {
  usage: TokenUsage;
  stopReason?: string;
}

export function subagentCalls(configDir: string, sessionId: string): Map<string, SubagentCall> {
  const calls = new Map<string, SubagentCall>();
  const projects = join(configDir, 'projects');
  if (!sessionId || !existsSync(projects)) return calls;
  for (const project of readdirSync(projects)) {
    const dir = join(projects, project, sessionId, 'subagents');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.jsonl')) continue;
      forEachLine(join(dir, file), (text) => {
        if (!text) return;
        const line = parseTranscriptLine(text);
        if (line.kind !== 'assistant' || !line.usage) return;
        // One line per content block: the last usage counts; a stop reason, once given, stays.
        const stopReason = line.stopReason ?? calls.get(line.messageId)?.stopReason;
        calls.set(line.messageId, stopReason !== undefined ? { usage: line.usage, stopReason } : { usage: line.usage });
      });
    }
  }
  return calls;
}
