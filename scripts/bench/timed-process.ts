import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';

// Runs one command and notes when it was launched and when it exited, on the same clock the
// stamping shim writes (wall-clock milliseconds with sub-millisecond precision).

export interface TimedRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  launchedAtMs: number;
  /** When the process ended (its exit, not the later close of its pipes). */
  exitedAtMs: number;
  wallMs: number;
  timedOut: boolean;
}

export interface TimedRunOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
}

/** Wall-clock time in ms; monotonic between calls, unlike Date.now(), and finer than it. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

export function runTimed(file: string, args: readonly string[], options: TimedRunOptions): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const launchedAtMs = epochMs();
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let exitedAtMs = Number.NaN;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // The child may exit before reading its stdin; that is not the bench's failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // Its own process group: the tools claude started go too.
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, options.timeoutMs);
    child.on('exit', () => {
      exitedAtMs = epochMs();
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        exitCode: code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : -1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        launchedAtMs,
        exitedAtMs,
        wallMs: exitedAtMs - launchedAtMs,
        timedOut,
      });
    });
  });
}
