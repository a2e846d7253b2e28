import { existsSync, lstatSync, readdirSync, rmSync, statSync } from 'node:fs';
import { ensurePrivateDir, writePrivateFile } from '../private-files.ts';
import { chunkDeliveredFile, writeRunMarker } from './flush-protocol.ts';
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
//     claude-otel-run, imported, chunk-0001.delivered, delivery-failure, ...: the marks of
//                               where each chunk is on its way (flush-protocol.ts)
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
    /** `transcript`: a session `claude-otel-ctl import` reads; the wrapper's own otherwise. */
    private readonly source: 'wrapper' | 'transcript' = 'wrapper',
  ) {
    this.dir = join(sessionsDir(stateDir), runId);
  }

  private ensureDir(): void {
    ensurePrivateDir(this.dir);
    if (this.marked) return;
    writeRunMarker(this.dir, this.runId, this.source);
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
}

/** As big as a small chunk: a file system that is full, or nearly, refuses it. */
const WRITE_CHECK_BYTES = 16 * 1024;

/**
 * Why a session could not be stored now, or undefined when it could: a file of a small chunk's
 * size is written where runs go (the state dir and `sessions/` made as a first run makes them),
 * then removed. A full disk, or something else in the way, would otherwise lose sessions silently:
 * the wrapper never lets a store failure reach claude, and the debug log cannot be written either.
 */
export function storeWriteProblem(stateDir: string): string | undefined {
  const dir = sessionsDir(stateDir);
  const check = join(dir, `.write-check-${process.pid}-${randomBytes(3).toString('hex')}`);
  try {
    ensurePrivateDir(dir);
    writePrivateFile(check, Buffer.alloc(WRITE_CHECK_BYTES));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    try {
      rmSync(check, { force: true });
    } catch {
      // There was no way to it: nothing was written.
    }
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
          return { name, delivered: files.includes(chunkDeliveredFile(name)), bytes: statSync(join(dir, f)).size };
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
