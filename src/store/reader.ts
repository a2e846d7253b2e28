import { existsSync, opendirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { START_FILE, listRuns, sessionsDir } from './local-store.ts';
import { chunkDeliveredFile, IMPORTED_RUN_FILE, isSignalDelivered, readDeliveryFailure } from './flush-protocol.ts';
import type { RunListing } from './local-store.ts';
import { parseMeta } from './meta-schema.ts';
import type { StoredMeta } from './meta-schema.ts';
import { parseStart } from './start-schema.ts';
import type { StoredStart } from './start-schema.ts';
import { checkStoredChunk, StoredChunkError } from './stored-chunk.ts';
import type { StoredRequests } from './stored-chunk.ts';
import { parseChunk, STATUS_ERROR } from './stored-spans.ts';
import { MAX_CHUNK_FILE_BYTES, MAX_SMALL_FILE_BYTES, readStoreFile } from './store-file.ts';
import type { AttributeValue, ParsedChunk, StoredSpan, StoredSpanEvent } from './stored-spans.ts';

// The one way into the local store for the viewing commands and replay. Other wrappers may be
// writing to it at the same time, and a file may be damaged (a full disk, a crash): a read says
// why a file cannot be used, so that the caller skips it with a one-line warning and goes on.

export type { AttributeValue, ParsedChunk, RunListing, StoredMeta, StoredRequests, StoredSpan, StoredSpanEvent, StoredStart };
export { isSignalDelivered, listRuns, readDeliveryFailure, STATUS_ERROR };

export type Warn = (message: string) => void;

export type FileRead<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Applied to every parsed file before it is checked (the viewing commands strip control characters). */
export type Clean = (value: unknown) => unknown;

const asIs: Clean = (value) => value;

function readJson(path: string, clean: Clean, maxBytes = MAX_SMALL_FILE_BYTES): FileRead<unknown> {
  const read = readStoreFile(path, maxBytes);
  if (!read.ok) return read;
  const { text } = read;
  try {
    return { ok: true, value: clean(JSON.parse(text)) };
  } catch {
    return { ok: false, reason: text.trim() === '' ? 'it is empty' : 'it is not valid JSON (truncated or corrupt)' };
  }
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Why the store cannot be read at all, or undefined when it can (a state dir or sessions/ that is
 * not there yet is an empty store). A state dir or sessions/ that is a file, a FIFO or a directory
 * that cannot be listed is no empty store: listing it would say nothing was recorded.
 */
export function storeReadProblem(stateDir: string): string | undefined {
  const sessions = sessionsDir(stateDir);
  for (const dir of [stateDir, sessions]) {
    try {
      if (!statSync(dir).isDirectory()) return `cannot read the store: ${dir} is not a directory`;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      return `cannot read the store: ${dir} (${errorCode(error) ?? String(error)})`;
    }
  }
  try {
    opendirSync(sessions).closeSync();
  } catch (error) {
    return `cannot read the store: ${sessions} (${errorCode(error) ?? String(error)})`;
  }
  return undefined;
}

/** The store's runs newest first (run ids begin with their start time), without reading them; none without a store. */
export function runsNewestFirst(stateDir: string): { runId: string; dir: string }[] {
  const root = sessionsDir(stateDir);
  try {
    return readdirSync(root)
      .sort()
      .reverse()
      .map((runId) => ({ runId, dir: join(root, runId) }));
  } catch {
    return [];
  }
}

export function metaPath(runDir: string): string {
  return join(runDir, 'meta.json');
}

export function chunkPath(runDir: string, chunk: string): string {
  return join(runDir, `${chunk}.json`);
}

/** The wrapper writes meta.json last, when the session has ended. */
export function hasMeta(runDir: string): boolean {
  return existsSync(metaPath(runDir));
}

/** The run's meta.json checked against the schema; undefined when there is none (yet). */
export function readMeta(runDir: string, clean: Clean = asIs): FileRead<StoredMeta> | undefined {
  if (!hasMeta(runDir)) return undefined;
  const read = readJson(metaPath(runDir), clean);
  if (!read.ok) return read;
  const parsed = parseMeta(read.value);
  return parsed.ok ? { ok: true, value: parsed.meta } : parsed;
}

export function startPath(runDir: string): string {
  return join(runDir, START_FILE);
}

/** The run's started.json (what is known of a running session) checked; undefined when there is none. */
export function readStart(runDir: string, clean: Clean = asIs): FileRead<StoredStart> | undefined {
  if (!existsSync(startPath(runDir))) return undefined;
  const read = readJson(startPath(runDir), clean);
  if (!read.ok) return read;
  const parsed = parseStart(read.value);
  return parsed.ok ? { ok: true, value: parsed.start } : parsed;
}

/** One chunk's export requests, checked. */
export function readChunk(runDir: string, chunk: string, clean: Clean = asIs): FileRead<StoredRequests> {
  const read = readJson(chunkPath(runDir, chunk), clean, MAX_CHUNK_FILE_BYTES);
  if (!read.ok) return read;
  try {
    return { ok: true, value: checkStoredChunk(read.value) };
  } catch (error) {
    return { ok: false, reason: error instanceof StoredChunkError ? error.message : String(error) };
  }
}

/** One chunk's spans, and the session ids of its log records; malformed spans in a well-formed chunk are passed over. */
export function readChunkSpans(runDir: string, chunk: string, clean: Clean = asIs): FileRead<ParsedChunk> {
  const read = readChunk(runDir, chunk, clean);
  if (!read.ok) return read;
  return { ok: true, value: parseChunk({ traces: read.value.traces?.parsed, logs: read.value.logs?.parsed }) };
}

/** A session `claude-otel-ctl import` read from its transcript (its mark or meta.json says so); the wrapper's own otherwise. */
export function isImportedRun(runDir: string): boolean {
  if (existsSync(join(runDir, IMPORTED_RUN_FILE))) return true;
  const read = readMeta(runDir);
  return read?.ok === true && read.value.source === 'transcript';
}

/** The run's chunks without a delivery mark, oldest first. */
export function undeliveredChunks(runDir: string): string[] {
  try {
    const files = readdirSync(runDir);
    return files
      .filter((f) => /^chunk-\d+\.json$/.test(f))
      .sort()
      .map((f) => f.slice(0, -'.json'.length))
      .filter((name) => !files.includes(chunkDeliveredFile(name)));
  } catch {
    return [];
  }
}

/** When a chunk of the run was last written; 0 for an unreadable run (it counts as old). */
export function newestChunkTime(runDir: string): number {
  let newest = 0;
  try {
    for (const file of readdirSync(runDir)) {
      if (/^chunk-\d+\.json$/.test(file)) newest = Math.max(newest, statSync(join(runDir, file)).mtimeMs);
    }
  } catch {
    // an unreadable run counts as old
  }
  return newest;
}

/** When the wrapper started the run: from the run id (`20260131T080509Z-...`), else the directory's time. */
export function runStartTime(run: Pick<RunListing, 'runId' | 'mtimeMs'>): number {
  const stamp = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(run.runId);
  if (!stamp) return run.mtimeMs;
  const [year, month, day, hour, minute, second] = stamp.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(year, month - 1, day, hour, minute, second);
}
