import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenUsage } from '../model-call.ts';
import { parseTranscriptLine } from './transcript-lines.ts';
import { forEachLine } from './regular-file.ts';

// Print mode's stream-json shows a subagent's calls only through their first chunk's usage
// (claude streams no API events for subagents). Their transcripts, written as they go, hold
// each call's final usage: read once when the prompt ends, keyed by message id.

export function subagentUsage(configDir: string, sessionId: string): Map<string, TokenUsage> {
  const usage = new Map<string, TokenUsage>();
  const projects = join(configDir, 'projects');
  if (!sessionId || !existsSync(projects)) return usage;
  for (const project of readdirSync(projects)) {
    const dir = join(projects, project, sessionId, 'subagents');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.jsonl')) continue;
      forEachLine(join(dir, file), (text) => {
        if (!text) return;
        const line = parseTranscriptLine(text);
        if (line.kind === 'assistant' && line.usage) usage.set(line.messageId, line.usage);
      });
    }
  }
  return usage;
}
