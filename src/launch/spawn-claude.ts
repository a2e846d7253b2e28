import { spawn } from 'node:child_process';
import { exitCodeOf } from './exit-code.ts';

// Starts the real claude. stderr always goes straight to the user's terminal; stdout is
// piped only in print mode, where the wrapper reads stream-json and writes what the user
// asked for; stdin is piped only when it is not a terminal, so that the prompt can be seen.
// node:child_process itself, not a process library: this runs before claude starts, while
// the user waits, and claude is found on PATH by resolve-claude.ts (POSIX executables only).

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

/** What a shell reports for a program it could not run. */
const NOT_STARTED = 127;

export function spawnClaude(options: SpawnOptions): ClaudeProcess {
  const child = spawn(options.file, options.args, {
    env: options.env,
    cwd: options.cwd,
    stdio: [options.pipeStdin ? 'pipe' : 'inherit', options.pipeStdout ? 'pipe' : 'inherit', 'inherit'],
  });
  // claude may close its stdin before reading all of it: that is claude's business, not a crash of ours.
  child.stdin?.on('error', () => {});
  const exited = new Promise<ClaudeExit>((resolve) => {
    child.on('error', (error) => {
      // It never ran (not found, not executable, a missing interpreter); later errors (a
      // failed kill) change nothing about how it ends.
      if (child.pid === undefined) resolve({ exitCode: NOT_STARTED, detail: error.message });
    });
    child.on('exit', (code, signal) => {
      const exit: ClaudeExit = { exitCode: exitCodeOf(code, signal), detail: signal ? `signal ${signal}` : `exit ${code}` };
      if (signal) exit.signal = signal;
      resolve(exit);
    });
  });
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
