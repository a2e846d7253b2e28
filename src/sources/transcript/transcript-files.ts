import { closeSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as v from 'valibot';
import { openRegularFile, READ_SLICE, forEachLine, readSmallRegularFile } from './regular-file.ts';
import { parseTranscriptEntry } from './transcript-lines.ts';
import { ParentOrder } from './parent-order.ts';
import type { TranscriptLine } from './transcript-lines.ts';

// Where claude keeps its transcripts: `<config dir>/projects/<cwd with / replaced by ->/`, one
// `<session id>.jsonl` per session, its subagents in `<session id>/subagents/agent-<id>.jsonl`
// with an `agent-<id>.meta.json` naming the tool call that started each.

export interface SessionTranscript {
  sessionId: string;
  path: string;
  /** The project directory's name (the cwd, with / replaced by -). */
  project: string;
  mtimeMs: number;
  bytes: number;
}

const SESSION_FILE = /^([0-9A-Za-z][0-9A-Za-z._-]*)\.jsonl$/;

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** claude's project directories: `<config dir>/projects`. */
export function projectsDir(configDir: string): string {
  return join(configDir, 'projects');
}

/** Every session transcript in the project directories under `root`, or only in those named. */
export function listSessionTranscripts(root: string, projects?: readonly string[]): SessionTranscript[] {
  const names = projects ?? safeReaddir(root);
  const found: SessionTranscript[] = [];
  for (const project of names) {
    const dir = join(root, project);
    for (const file of safeReaddir(dir)) {
      const sessionId = SESSION_FILE.exec(file)?.[1];
      if (sessionId === undefined) continue;
      const path = join(dir, file);
      try {
        const stat = statSync(path);
        if (stat.isFile()) found.push({ sessionId, path, project, mtimeMs: stat.mtimeMs, bytes: stat.size });
      } catch {
        // gone meanwhile
      }
    }
  }
  return found;
}

/** The project directory claude uses for a working directory: every character but letters and digits becomes `-`. */
export function projectDirName(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

const SUBAGENT_META = v.looseObject({
  toolUseId: v.optional(v.string()),
  agentType: v.optional(v.string()),
  description: v.optional(v.string()),
  requestShape: v.optional(v.string()),
});

export interface SubagentFile {
  agentId: string;
  path: string;
  toolUseId?: string;
  agentType?: string;
  description?: string;
  background: boolean;
}

/** A subagent's metadata is a few hundred bytes; anything far bigger is not it. */
const META_MAX_BYTES = 1 << 20;
const SUBAGENT_FILE = /^agent-(.+)\.jsonl$/;

function readSubagentMeta(path: string): v.InferOutput<typeof SUBAGENT_META> | undefined {
  const text = readSmallRegularFile(path, META_MAX_BYTES);
  if (text === undefined) return undefined;
  try {
    const parsed = v.safeParse(SUBAGENT_META, JSON.parse(text));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}

/** A session's subagent transcripts, with what their metadata says. */
export function subagentFiles(sessionPath: string): SubagentFile[] {
  const dir = join(sessionPath.slice(0, -'.jsonl'.length), 'subagents');
  const files: SubagentFile[] = [];
  for (const name of safeReaddir(dir)) {
    const agentId = SUBAGENT_FILE.exec(name)?.[1];
    if (agentId === undefined) continue;
    const meta = readSubagentMeta(join(dir, `agent-${agentId}.meta.json`));
    const file: SubagentFile = { agentId, path: join(dir, name), background: meta?.requestShape === 'background' };
    if (meta?.toolUseId !== undefined) file.toolUseId = meta.toolUseId;
    if (meta?.agentType !== undefined) file.agentType = meta.agentType;
    if (meta?.description !== undefined) file.description = meta.description;
    files.push(file);
  }
  return files;
}

const COST_STATE = Buffer.from('"type":"cost-state"');

/**
 * Whether the transcript has a `cost-state` line: a CLI that writes one as each process ends
 * (2.1.332 and later) writes `last-prompt` after every turn, an earlier one only as it ends.
 * A search of the bytes, slice by slice, without parsing.
 */
export function writesCostState(path: string): boolean {
  const fd = openRegularFile(path);
  if (fd === undefined) return false;
  try {
    const slice = Buffer.allocUnsafe(READ_SLICE + COST_STATE.length);
    let carry = 0;
    let at = 0;
    for (;;) {
      const n = readSync(fd, slice, carry, READ_SLICE, at);
      if (n <= 0) return false;
      at += n;
      const filled = carry + n;
      if (slice.subarray(0, filled).includes(COST_STATE)) return true;
      // Keep the end of this slice: the marker may straddle two reads.
      carry = Math.min(COST_STATE.length - 1, filled);
      slice.copy(slice, 0, filled - carry, filled);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Each line of a transcript, parsed, in the order of the conversation's chain (see
 * parent-order.ts); `onSkipped` counts the lines that are no conversation line claude writes.
 *
 * Each `last-prompt` line says how many bytes of other lines were written since the one before
 * (`writtenBefore`), counted as claude counts them: claude before 2.1.332 writes the session's
 * settings, `last-prompt` first, as a process ends, but also each time it has appended 32 KiB to
 * the file since it last wrote them (settings lines left out).
 */
export function readTranscript(path: string, onLine: (line: TranscriptLine) => void, onSkipped: () => void): void {
  const order = new ParentOrder<TranscriptLine>(onLine);
  let written = 0;
  forEachLine(path, (text) => {
    if (!text.trim()) return;
    const { line, uuid, parentUuid, setting } = parseTranscriptEntry(text);
    if (line.kind === 'run_end' && line.marker === 'last-prompt' && !line.explicit) {
      line.writtenBefore = written;
      written = 0;
    } else if (!setting || (line.kind === 'run_end' && line.explicit)) {
      // An explicit `last-prompt` goes through claude's queue of lines, which it counts.
      written += Buffer.byteLength(text) + 1;
    }
    if (line.kind === 'other' && line.unreadable) onSkipped();
    order.push({ value: line, ...(uuid !== undefined ? { uuid } : {}), ...(parentUuid !== undefined ? { parentUuid } : {}) });
  });
  order.finish();
}

export function sessionIdOf(path: string): string {
  return basename(path, '.jsonl');
}
