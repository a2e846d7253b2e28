import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { commonJsExports } from './commonjs-exports.ts';

// The wrapper's own diagnostics, as pino JSON lines. Warnings and failures always go to a
// log file in the state dir; with CLAUDE_OTEL_DEBUG=1 everything also goes to stderr.
// Nothing reaches the terminal otherwise. pino is loaded on the first record, so a quiet
// run never pays for it.

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

const RANK: Record<Level, number> = { debug: 20, info: 30, warn: 40, error: 50 };

export function createDebugLog(options: DebugLogOptions): DebugLog {
  let pending: Promise<Logger | undefined> | undefined;
  const minRank = options.enabled ? RANK.debug : RANK.warn;

  const load = async (): Promise<Logger | undefined> => {
    try {
      const { pino, destination, multistream } = commonJsExports(await import('pino'));
      const streams: { level: Level; stream: NodeJS.WritableStream | ReturnType<typeof destination> }[] = [];
      if (options.stateDir) {
        mkdirSync(options.stateDir, { recursive: true });
        streams.push({ level: options.enabled ? 'debug' : 'warn', stream: destination({ dest: join(options.stateDir, DEBUG_LOG_FILE), sync: true, append: true }) });
      }
      if (options.enabled && options.stderr !== false) streams.push({ level: 'debug', stream: destination({ fd: 2, sync: true }) });
      if (streams.length === 0) return undefined;
      return pino({ level: 'debug', base: { pid: process.pid, name: 'claude-otel' } }, multistream(streams));
    } catch {
      return undefined;
    }
  };

  const scrub = (fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined => {
    if (!fields) return undefined;
    return JSON.parse(options.redact(JSON.stringify(fields))) as Record<string, unknown>;
  };

  return {
    log(level, message, fields) {
      if (RANK[level] < minRank) return;
      pending ??= load();
      const clean = scrub(fields);
      const text = options.redact(message);
      void pending.then((logger) => {
        try {
          logger?.[level](clean ?? {}, text);
        } catch {
          // a broken log must not break the wrapper
        }
      });
    },
    async close() {
      if (pending) await pending.catch(() => undefined);
    },
  };
}
