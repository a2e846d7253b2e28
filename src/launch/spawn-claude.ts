import { execa } from 'execa';
import type { Options, ResultPromise } from 'execa';
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
}

export interface SpawnOptions {
  file: string;
  args: string[];
  env: Record<string, string | undefined>;
  pipeStdout: boolean;
  pipeStdin: boolean;
  cwd?: string;
}

export interface ClaudeProcess {
  pid: number | undefined;
  stdout: NodeJS.ReadableStream | null;
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
  const child: ResultPromise = execa(options.file, options.args, execaOptions);
  const exited = child.then(
    (result) => {
      const signal = result.signal ?? undefined;
      const code = exitCodeOf(result.exitCode, signal);
      const exit: ClaudeExit = { exitCode: code, detail: signal ? `signal ${signal}` : `exit ${code}` };
      if (signal) exit.signal = signal;
      if (result.failed && result.exitCode === undefined && !signal) {
        // It never ran: not found, not executable.
        exit.exitCode = 127;
        exit.detail = result.shortMessage ?? 'failed to start';
      }
      return exit;
    },
    (error: unknown) => ({ exitCode: 127, detail: error instanceof Error ? error.message : String(error) }),
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
