import { execa } from 'execa';
import type { Options, ResultPromise } from 'execa';
import type { Readable } from 'node:stream';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { exitCodeOf } from './exit-code.ts';
import { withLoopMarker } from './wrapper-loop.ts';

// Starts the real claude. stderr always goes straight to the user's terminal; stdout is
// piped only in print mode, where the wrapper reads stream-json and writes what the user
// asked for; stdin is piped only when it is not a terminal, so that the prompt can be seen.

export interface ClaudeExit {
  exitCode: number;
  signal?: string;
  /** How the process ended, for the debug log. */
  detail: string;
  /** It could not be started at all: why, in one line. */
  notStarted?: string;
}

/** claude's exit status when it could not be started at all, as for a claude not found (and as a shell reports it). */
export const EXIT_NOT_STARTED = 127;

export interface SpawnOptions {
  file: string;
  args: string[];
  env: Record<string, string | undefined>;
  pipeStdout: boolean;
  pipeStdin: boolean;
  cwd?: string;
  /** Whether a claude that cannot be started is reported on stderr (the command); the library tells its caller instead. */
  reportNotStarted?: boolean;
}

export interface ClaudeProcess {
  pid: number | undefined;
  stdout: Readable | null;
  stdin: NodeJS.WritableStream | null;
  exited: Promise<ClaudeExit>;
  kill(signal: NodeJS.Signals): void;
}

export function spawnClaude(options: SpawnOptions): ClaudeProcess {
  // Typed before the call: execa infers its result type from an inline options literal, which
  // cost the type check about five seconds.
  const execaOptions: Options = {
    // Marked, so that a claude that turns out to be this wrapper again stops at once.
    env: withLoopMarker(options.env),
    extendEnv: false,
    cwd: options.cwd,
    stdin: options.pipeStdin ? 'pipe' : 'inherit',
    stdout: options.pipeStdout ? 'pipe' : 'inherit',
    stderr: 'inherit',
    reject: false,
    buffer: false,
    stripFinalNewline: false,
    // claude is the user's program: our signals are forwarded by hand, never on our exit.
    cleanup: false,
    forceKillAfterDelay: false,
  };
  const report = (reason: string) => {
    if (options.reportNotStarted !== false) process.stderr.write(`claude-otel: ${reason}\n`);
  };
  const child: ResultPromise = execa(options.file, options.args, execaOptions);
  const exited = child.then(
    (result) => {
      const signal = result.signal ?? undefined;
      const code = exitCodeOf(result.exitCode, signal);
      const exit: ClaudeExit = { exitCode: code, detail: signal ? `signal ${signal}` : `exit ${code}` };
      if (signal) exit.signal = signal;
      if (result.failed && result.exitCode === undefined && !signal) {
        // It never ran: not found, not executable, its interpreter missing. A shell says so; so do we.
        exit.exitCode = EXIT_NOT_STARTED;
        exit.detail = result.shortMessage ?? 'failed to start';
        exit.notStarted = notStartedReason(options, result.cause);
        report(exit.notStarted);
      }
      return exit;
    },
    (error: unknown) => {
      const notStarted = notStartedReason(options, error);
      report(notStarted);
      return { exitCode: EXIT_NOT_STARTED, detail: error instanceof Error ? error.message : String(error), notStarted };
    },
  );
  return {
    pid: child.pid,
    stdout: child.stdout,
    stdin: child.stdin,
    exited,
    kill: (signal) => {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    },
  };
}

/** One line on why `options.file` could not be started. */
export function notStartedReason(options: Pick<SpawnOptions, 'file' | 'cwd'>, cause: unknown): string {
  const code = cause instanceof Error ? (cause as NodeJS.ErrnoException).code : undefined;
  const what = `cannot run claude (${printable(options.file)})`;
  if (code === 'ENOENT') {
    if (options.cwd !== undefined && !existsSync(options.cwd)) return `${what}: the directory ${printable(options.cwd)} does not exist`;
    if (!existsSync(options.file)) return `${what}: no such file`;
    // The file is there: what is missing is the interpreter its first line names.
    const interpreter = interpreterOf(options.file);
    return interpreter ? `${what}: its interpreter ${printable(interpreter)} is not found` : `${what}: a file it needs is not found`;
  }
  if (code === 'EACCES') return `${what}: permission denied`;
  const message = cause instanceof Error ? cause.message : String(cause);
  return `${what}: ${printable(message.split('\n')[0] ?? '')}`;
}

/** Control characters from a file name or a file's first line never reach the terminal as they are. */
function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, '?');
}

/** The interpreter a `#!` line names, if the file starts with one. */
function interpreterOf(file: string): string | undefined {
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(256);
      const head = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
      const match = /^#!\s*(\S+)/.exec(head);
      return match?.[1];
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}
