import { closeSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ChatContent, TokenUsage } from '../model-call.ts';
import { PendingContent } from '../pending-content.ts';
import { emptyUsage, mergeUsage } from '../model-call.ts';
import { parseTranscriptLine } from './transcript-lines.ts';
import { openRegularFile, readLines, readSmallRegularFile } from './regular-file.ts';
import { LineSplitter } from '../stream-json/line-splitter.ts';
import type { TranscriptToolResult } from './transcript-lines.ts';

// Follows one session's transcript as claude writes it: the main file and each subagent's
// (`<session>/subagents/agent-<id>.jsonl`, with a `.meta.json` naming the Agent tool call
// that started it). Each poll reads only what was appended since the last one.

export interface TranscriptCall {
  messageId: string;
  /** null for the main agent, else the subagent's agent id. */
  agentId: string | null;
  model: string;
  /** The call's usage; the largest figure any of its lines reported. */
  usage: TokenUsage;
  stopReason?: string;
  text: string;
  /** When the call was made: the transcript entry it answers (the prompt or the tool results). */
  start: number;
  /** Its first and last content blocks. */
  firstSeen: number;
  end: number;
  /** With content recording: the messages new to this call, and its answer. */
  content?: ChatContent;
}

export interface TranscriptApiError {
  agentId: string | null;
  time: number;
  status?: number;
  message: string;
}

export interface SubagentInfo {
  agentId: string;
  toolUseId?: string;
  agentType?: string;
  description?: string;
}

export interface TranscriptUpdate {
  /** Calls that are new or grew since the last poll. */
  calls: TranscriptCall[];
  toolResults: TranscriptToolResult[];
  apiErrors: TranscriptApiError[];
  subagents: SubagentInfo[];
  /** When the user interrupted the model or a tool (Esc, Ctrl-C). */
  interrupts: number[];
  /** The main agent's compactions, where claude wrote them (their `compact_boundary` lines). */
  compactions: TranscriptCompaction[];
}

export interface TranscriptCompaction {
  time: number;
  trigger: string;
  preTokens?: number;
  postTokens?: number;
}

/** One transcript file, read from where the last poll stopped. */
class TranscriptFile {
  private offset = 0;
  /** Keeps a line claude is still writing for the next poll; skips lines over its cap. */
  private readonly splitter = new LineSplitter();
  private lastUserTime: number | undefined;
  private readonly calls = new Map<string, TranscriptCall>();
  private readonly pendingInput: PendingContent;

  constructor(
    readonly path: string,
    private readonly agentId: string | null,
    captureContent: boolean,
  ) {
    this.pendingInput = new PendingContent(captureContent);
  }

  /** Reads what was appended; a path that is not a regular file (a FIFO, a device) is never read. */
  poll(update: TranscriptUpdate): void {
    const fd = openRegularFile(this.path);
    if (fd === undefined) return;
    try {
      this.offset = readLines(fd, this.offset, this.splitter, (text) => {
        if (text.trim()) this.line(text, update);
      });
    } catch {
      // a read error: try again on the next poll
    } finally {
      closeSync(fd);
    }
  }

  private line(text: string, update: TranscriptUpdate): void {
    const line = parseTranscriptLine(text);
    switch (line.kind) {
      case 'assistant': {
        let call = this.calls.get(line.messageId);
        if (!call) {
          call = {
            messageId: line.messageId,
            agentId: this.agentId,
            model: line.model,
            usage: emptyUsage(),
            text: '',
            start: Math.min(this.lastUserTime ?? line.time, line.time),
            firstSeen: line.time,
            end: line.time,
          };
          const input = this.pendingInput.take('');
          if (input) call.content = { input, output: [] };
          this.calls.set(line.messageId, call);
        }
        call.content?.output.push(...line.parts);
        mergeUsage(call.usage, line.usage);
        if (line.stopReason !== undefined) call.stopReason = line.stopReason;
        call.text += line.text;
        call.end = Math.max(call.end, line.time);
        if (!update.calls.includes(call)) update.calls.push(call);
        break;
      }
      case 'api_error':
        update.apiErrors.push({ agentId: this.agentId, time: line.time, message: line.message, ...(line.status !== undefined ? { status: line.status } : {}) });
        break;
      case 'user':
        this.lastUserTime = line.time;
        if (line.text) this.pendingInput.add('', { role: 'user', parts: [{ type: 'text', content: line.text }] });
        if (line.toolResults.length > 0)
          this.pendingInput.add('', {
            role: 'tool',
            parts: line.toolResults.map((r) => ({ type: 'tool_call_response' as const, id: r.toolUseId, response: r.content })),
          });
        update.toolResults.push(...line.toolResults);
        if (line.interrupted) update.interrupts.push(line.time);
        break;
      case 'system':
        if (line.compaction && this.agentId === null) update.compactions.push({ time: line.time, ...line.compaction });
        break;
      case 'other':
      case 'run_end':
        break;
    }
  }
}

type Json = Record<string, unknown>;

/** A subagent's metadata is a few hundred bytes; anything far bigger is not it. */
const META_MAX_BYTES = 1 << 20;

function readMeta(path: string): Json | undefined {
  try {
    const text = readSmallRegularFile(path, META_MAX_BYTES);
    if (text === undefined) return undefined;
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

const SUBAGENT_FILE = /^agent-(.+)\.jsonl$/;

export class TranscriptReader {
  private readonly main: TranscriptFile;
  private readonly subagentDir: string;
  private readonly subagents = new Map<string, TranscriptFile>();
  private readonly described = new Set<string>();

  constructor(
    readonly path: string,
    private readonly captureContent = false,
  ) {
    this.main = new TranscriptFile(path, null, captureContent);
    this.subagentDir = join(dirname(path), basename(path, '.jsonl'), 'subagents');
  }

  /** What was appended to the session's transcripts since the last poll. */
  poll(): TranscriptUpdate {
    const update: TranscriptUpdate = { calls: [], toolResults: [], apiErrors: [], subagents: [], interrupts: [], compactions: [] };
    this.main.poll(update);
    let names: string[] = [];
    try {
      names = readdirSync(this.subagentDir);
    } catch {
      // no subagent yet
    }
    for (const name of names) {
      const agentId = SUBAGENT_FILE.exec(name)?.[1];
      if (agentId === undefined) continue;
      let file = this.subagents.get(agentId);
      if (!file) {
        file = new TranscriptFile(join(this.subagentDir, name), agentId, this.captureContent);
        this.subagents.set(agentId, file);
      }
      if (!this.described.has(agentId)) this.describe(agentId, update);
      file.poll(update);
    }
    return update;
  }

  private describe(agentId: string, update: TranscriptUpdate): void {
    const meta = readMeta(join(this.subagentDir, `agent-${agentId}.meta.json`));
    if (!meta) return;
    this.described.add(agentId);
    const info: SubagentInfo = { agentId };
    if (typeof meta.toolUseId === 'string') info.toolUseId = meta.toolUseId;
    if (typeof meta.agentType === 'string') info.agentType = meta.agentType;
    if (typeof meta.description === 'string') info.description = meta.description;
    update.subagents.push(info);
  }
}
