import { closeSync, fstatSync, lstatSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, openPrivateAppend } from './private-files.ts';
import { withoutUserinfo } from './privacy/url-userinfo.ts';

// The wrapper's own diagnostics, as JSON lines (`level` by name, `time`, `pid`, `name`, the
// fields, `msg`). Warnings and failures always go to a log file in the state
// dir; with CLAUDE_OTEL_DEBUG=1 everything also goes to stderr. Nothing reaches the terminal
// otherwise.
//
// Diagnostics must never hurt the run they describe: every string VALUE is redacted and
// loses URL userinfo on its own (never the serialised line, which a pattern could break),
// and nothing here throws, whatever the fields, the patterns or the file system do.

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface DebugLog {
  log(level: Level, message: string, fields?: Record<string, unknown>): void;
  close(): Promise<void>;
}

export interface DebugLogOptions {
  enabled: boolean;
  stateDir: string | undefined;
  redact: (text: string) => string;
  /** false: never on stderr, which the interactive terminal UI owns (default true). */
  stderr?: boolean;
}

export const DEBUG_LOG_FILE = 'claude-otel.log';
/** The log file is moved to `claude-otel.log.1` (replacing the previous one) once it reaches this size. */
export const DEBUG_LOG_MAX_BYTES = 5 * 1024 * 1024;

const RANK: Record<Level, number> = { debug: 20, info: 30, warn: 40, error: 50 };
/** Deeper structures are cut (and a cycle cannot recurse forever). */
const MAX_DEPTH = 6;
const MAX_STRING = 16 * 1024;
const MAX_KEYS = 200;

export function createDebugLog(options: DebugLogOptions): DebugLog {
  const minRank = options.enabled ? RANK.debug : RANK.warn;
  const toStderr = options.enabled && options.stderr !== false;
  const path = options.stateDir ? join(options.stateDir, DEBUG_LOG_FILE) : undefined;
  let fd: number | undefined;
  let opened = false;
  /** The file's size as far as this process knows (other wrappers may append too). */
  let size = 0;

  const clean = (text: string): string => {
    let out: string;
    try {
      out = withoutUserinfo(options.redact(text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text));
    } catch {
      return '[unloggable text]';
    }
    return out;
  };

  const scrub = (value: unknown, depth: number): unknown => {
    switch (typeof value) {
      case 'string':
        return clean(value);
      case 'number':
      case 'boolean':
        return value;
      case 'bigint':
        return value.toString();
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (value === null) return null;
    if (depth >= MAX_DEPTH) return '[nested too deep]';
    if (value instanceof Error) return clean(value.stack ?? value.message);
    if (Array.isArray(value)) return value.slice(0, MAX_KEYS).map((v) => scrub(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>).slice(0, MAX_KEYS)) out[clean(key)] = scrub(v, depth + 1);
    return out;
  };

  const openFile = (): void => {
    opened = true;
    if (!path || !options.stateDir) return;
    try {
      ensurePrivateDir(options.stateDir);
      rotateIfFull(path);
      fd = openPrivateAppend(path);
      size = fstatSync(fd).size;
    } catch {
      fd = undefined;
    }
  };

  const writeFile = (line: Buffer): void => {
    if (fd === undefined || !path) return;
    try {
      if (size >= DEBUG_LOG_MAX_BYTES && rotateIfFull(path)) {
        closeSync(fd);
        fd = undefined;
        fd = openPrivateAppend(path);
        size = 0;
      }
      writeSync(fd, line);
      size += line.length;
    } catch {
      // a full disk or a removed directory: the log goes quiet, the run goes on
    }
  };

  return {
    log(level, message, fields) {
      try {
        if (RANK[level] < minRank) return;
        if (!opened) openFile();
        const scrubbed = fields ? scrub(fields, 0) : {};
        const record = {
          level,
          time: Date.now(),
          pid: process.pid,
          name: 'claude-otel',
          ...(scrubbed as Record<string, unknown>),
          msg: clean(message),
        };
        const line = Buffer.from(`${JSON.stringify(record)}\n`);
        writeFile(line);
        if (toStderr) writeSync(2, line);
      } catch {
        // a broken log must not break the wrapper
      }
    },
    async close() {
      try {
        if (fd !== undefined) closeSync(fd);
      } catch {
        // already closed
      }
      fd = undefined;
    },
  };
}

/** Moves a full log aside; true when it did. Only a regular file is moved (a link is left alone and refused on open). */
function rotateIfFull(path: string): boolean {
  let size: number;
  try {
    const stat = lstatSync(path);
    if (!stat.isFile()) return false;
    size = stat.size;
  } catch {
    return false;
  }
  if (size < DEBUG_LOG_MAX_BYTES) return false;
  renameSync(path, `${path}.1`);
  return true;
}
