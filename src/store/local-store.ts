import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import type { Signal } from '../config/otlp-config.ts';
import { ensurePrivateDir, writePrivateFile } from '../private-files.ts';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { SessionMeta, SessionStart } from './session-meta.ts';

// The local store: every session's telemetry as OTLP JSON, so nothing is lost when the
// collector is down and a user with no collector can still look at their sessions.
//
//   <state dir>/sessions/<run id>/
//     meta.json                 what the session was (written when it ends)
//     started.json              what is known of it while it runs (mode, model, git, first prompt)
//     chunk-0001.json           { traces, logs, metrics }: OTLP JSON export requests
//     chunk-0001.delivered      present once the collector accepted that chunk
//     claude-otel-run           written first: says the store made this directory (prune
//                               removes nothing else)
//     delivery-failure          why the last attempt to send a chunk of the run failed (one line)
//
// Files are written to a temporary name and renamed, so a reader never sees half a file,
// and each wrapper process writes only under its own run id.

export interface StoredChunk {
  traces?: unknown;
  logs?: unknown;
  metrics?: unknown;
}

/** A running session's start: see SessionStart. */
export const START_FILE = 'started.json';

export function sessionsDir(stateDir: string): string {
  return join(stateDir, 'sessions');
}

/** The file in each run directory that marks it as the store's own. */
export const RUN_MARKER_FILE = 'claude-otel-run';

/** A run id as newRunId makes it: start time (UTC, to the second), pid, 6 hex digits. */
export const RUN_ID_PATTERN = /^\d{8}T\d{6}Z-\d+-[0-9a-f]{6}$/;

export function newRunId(startTime: number): string {
  const stamp = new Date(startTime)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export function writeFileAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  writePrivateFile(path, data);
}

export class RunStore {
  readonly dir: string;
  private chunkCount = 0;
  private marked = false;

  constructor(
    stateDir: string,
    readonly runId: string,
  ) {
    this.dir = join(sessionsDir(stateDir), runId);
  }

  private ensureDir(): void {
    ensurePrivateDir(this.dir);
    if (this.marked) return;
    writeFileAtomic(join(this.dir, RUN_MARKER_FILE), this.runId);
    this.marked = true;
  }

  writeMeta(meta: SessionMeta): void {
    this.ensureDir();
    writeFileAtomic(join(this.dir, 'meta.json'), JSON.stringify(meta));
  }

  /** What is known of the running session; meta.json supersedes it once the session ends. */
  writeStart(start: SessionStart): void {
    this.ensureDir();
    writeFileAtomic(join(this.dir, START_FILE), JSON.stringify(start));
  }

  /** Writes one chunk (or the JSON bytes of one, maybe in pieces) and returns its name, for marking it delivered later. */
  writeChunk(chunk: StoredChunk | Uint8Array | readonly Uint8Array[]): string {
    this.ensureDir();
    this.chunkCount += 1;
    const name = `chunk-${String(this.chunkCount).padStart(4, '0')}`;
    writeFileAtomic(join(this.dir, `${name}.json`), chunk instanceof Uint8Array || Array.isArray(chunk) ? chunk : JSON.stringify(chunk));
    return name;
  }

  markDelivered(chunkName: string): void {
    markChunkDelivered(this.dir, chunkName);
  }
}

export function markChunkDelivered(runDir: string, chunkName: string): void {
  writeFileAtomic(join(runDir, `${chunkName}.delivered`), new Date().toISOString());
}

/** Why the last attempt to send a chunk of a run failed: one line of text, its time the file's. */
export const DELIVERY_FAILURE_FILE = 'delivery-failure';

/** Longer reasons are cut: the file is read by every listing of the store. */
const MAX_REASON = 500;

/** Keeps why the collector did not take a chunk of the run, for the viewing commands to say. */
export function recordDeliveryFailure(runDir: string, reason: string): void {
  const line = reason.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON);
  writeFileAtomic(join(runDir, DELIVERY_FAILURE_FILE), `${line}\n`);
}

/** Where the collector's acceptance of one signal of a chunk is recorded. */
export function signalMarker(runDir: string, chunk: string, signal: Signal): string {
  return join(runDir, `${chunk}.${signal}.delivered`);
}

/** Records that the collector accepted one signal of a chunk, so no replay sends it again. */
export function markSignalDelivered(runDir: string, chunk: string, signal: Signal): void {
  writeFileAtomic(signalMarker(runDir, chunk, signal), new Date().toISOString());
}

// The undelivered mark: a file in the state dir that says the store may hold sessions the
// collector has not accepted, so that runs do not look through the whole store on every exit.

export const UNDELIVERED_MARK_FILE = 'undelivered';

export function markUndelivered(stateDir: string): void {
  writePrivateFile(join(stateDir, UNDELIVERED_MARK_FILE), new Date().toISOString());
}

/** Whether the store may hold sessions the collector has not accepted (a stat, no reading). */
export function hasUndeliveredMark(stateDir: string): boolean {
  return fileMtimeMs(join(stateDir, UNDELIVERED_MARK_FILE)) !== undefined;
}

/**
 * Sets the mark before a session is sent, so that a wrapper killed while sending leaves it
 * behind; returns a token when this run set it, for `clearOwnMark` once the session was
 * delivered. A mark that was there already belongs to earlier sessions and stays.
 */
export function markBeforeSending(stateDir: string): string | undefined {
  const token = `${new Date().toISOString()} ${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(join(stateDir, UNDELIVERED_MARK_FILE), token, { flag: 'wx', mode: 0o600 });
    return token;
  } catch {
    return undefined;
  }
}

/** Removes the mark this run set before sending, unless another run has written it since. */
export function clearOwnMark(stateDir: string, token: string): void {
  const path = join(stateDir, UNDELIVERED_MARK_FILE);
  try {
    // Opened without following a link or waiting on a FIFO: only our own regular file is read.
    const fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    try {
      if (fstatSync(fd).isFile() && readFileSync(fd, 'utf8') === token) unlinkSync(path);
    } finally {
      closeSync(fd);
    }
  } catch {
    // gone already, or not a file of ours
  }
}

export interface RunListing {
  runId: string;
  dir: string;
  chunks: { name: string; delivered: boolean; bytes: number }[];
  mtimeMs: number;
}

/** Every run in the store, oldest first. Unreadable entries are skipped. */
export function listRuns(stateDir: string): RunListing[] {
  const root = sessionsDir(stateDir);
  if (!existsSync(root)) return [];
  const runs: RunListing[] = [];
  for (const runId of readdirSync(root).sort()) {
    // Run ids are ours (time, pid, hex); a name with control characters is not, and is never printed.
    if (/[\u0000-\u001f\u007f-\u009f]/.test(runId)) continue;
    const dir = join(root, runId);
    try {
      // Never through a link: the store only ever makes real directories here.
      const stat = lstatSync(dir);
      if (!stat.isDirectory()) continue;
      const files = readdirSync(dir);
      const chunks = files
        .filter((f) => /^chunk-\d+\.json$/.test(f))
        .sort()
        .map((f) => {
          const name = f.slice(0, -'.json'.length);
          return { name, delivered: files.includes(`${name}.delivered`), bytes: statSync(join(dir, f)).size };
        });
      runs.push({ runId, dir, chunks, mtimeMs: stat.mtimeMs });
    } catch {}
  }
  return runs;
}

/** When a file was last written, or undefined when it is not there (stamp and mark files). */
export function fileMtimeMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

export function removeRun(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
