/**
 * Harness to run the real Claude CLI (or any command) offline, against `anthropic-stub.ts`,
 * in a throwaway HOME and project directory with a clean environment.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { constants as osConstants, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface Sandbox {
  /** Throwaway HOME (`<tmp>/home`); `~/.claude` and `~/.claude.json` live here. */
  home: string;
  /** Project directory (`<home>/project`), the working directory of every run. */
  cwd: string;
  /** The complete environment of a run (nothing else is inherited). */
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

export interface SandboxOptions {
  /** Base URL of the stand-in API, e.g. `stub.url`. */
  apiUrl: string;
  extraEnv?: Record<string, string>;
}

/** A fake key; its last 20 characters are what `~/.claude.json` approves. */
export const TEST_API_KEY = 'sk-ant-test-0123456789abcdefghijklmnopqrstuv';

export { CLAUDE_BIN, CLAUDE_CLI, CLAUDE_CLI_VERSION, CLI_DEFAULTS, cliAtLeast } from './claude-cli.ts';

/** The variables a login shell sets, for a shell whose working directory is `cwd`. */
export function LOGIN_SHELL_ENV(cwd: string, home: string): Record<string, string> {
  return {
    PWD: cwd,
    OLDPWD: home,
    USER: userInfo().username,
    LOGNAME: userInfo().username,
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
    SHLVL: '1',
  };
}

export async function makeSandbox(options: SandboxOptions): Promise<Sandbox> {
  // realpath: on some systems tmpdir() is behind a symlink, and the CLI reports the resolved cwd.
  const root = await realpath(await mkdtemp(join(tmpdir(), 'claude-otel-sandbox-')));
  const home = join(root, 'home');
  const cwd = join(home, 'project');
  await mkdir(cwd, { recursive: true });
  await mkdir(join(home, '.claude'), { recursive: true });
  // Lets interactive (TUI) runs start offline: no onboarding screen, no trust dialog, key approved.
  const claudeJson = {
    hasCompletedOnboarding: true,
    projects: { [cwd]: { hasTrustDialogAccepted: true } },
    customApiKeyResponses: { approved: [TEST_API_KEY.slice(-20)], rejected: [] },
  };
  await writeFile(join(home, '.claude.json'), `${JSON.stringify(claudeJson, null, 2)}\n`);

  const env: NodeJS.ProcessEnv = {
    HOME: home,
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    ANTHROPIC_BASE_URL: options.apiUrl,
    ANTHROPIC_API_KEY: TEST_API_KEY,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
  };
  // The Bash tool needs a POSIX shell; name one explicitly rather than inheriting the caller's SHELL.
  if (existsSync('/bin/bash')) env.SHELL = '/bin/bash';
  // The shape of a login shell's environment, as users run the wrapper: every interactive shell
  // and CI runner sets these, and a test without them would miss what they change (PWD is not a
  // password). TERM is what a terminal emulator sets, even when stdout is a pipe.
  Object.assign(env, LOGIN_SHELL_ENV(cwd, home));
  Object.assign(env, options.extraEnv ?? {});

  return {
    home,
    cwd,
    env,
    // Retried: a process claude left behind (2.1.332) may still be writing under HOME for a moment.
    cleanup: () => rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }),
  };
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
  signal?: string;
  durationMs: number;
}

export interface RunOptions {
  sandbox: Sandbox;
  /** Written to the child's stdin, which is then closed. Without it stdin is closed at once. */
  stdin?: string | Buffer;
  /** Added to (or, with `undefined`, removed from) the sandbox environment for this run. */
  env?: Record<string, string | undefined>;
  /** Kill the child's process group with SIGKILL after this long (default 60 s). */
  timeoutMs?: number;
}

export function runCommand(file: string, args: string[], options: RunOptions): Promise<RunResult> {
  return startChild(file, args, options, () => {});
}

export interface StartedCommand {
  /** Sends a signal to the command itself (not to its process group). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves once the command's stdout so far holds `count` matches of `pattern` (a /g one); rejects if it ends first. */
  stdoutMatches(pattern: RegExp, count: number): Promise<void>;
  result: Promise<RunResult>;
}

/** Like runCommand, for a test that signals the command or reads its output while it runs. */
export function startCommand(file: string, args: string[], options: RunOptions): StartedCommand {
  let kill: (signal: NodeJS.Signals) => void = () => {};
  let stdout = '';
  const readers = new Set<() => void>();
  const result = startChild(
    file,
    args,
    options,
    (k) => (kill = k),
    (chunk) => {
      stdout += chunk.toString();
      for (const read of [...readers]) read();
    },
  );
  const stdoutMatches = (pattern: RegExp, count: number) =>
    new Promise<void>((resolve, reject) => {
      const read = () => {
        if ((stdout.match(pattern) ?? []).length < count) return;
        readers.delete(read);
        resolve();
      };
      readers.add(read);
      void result.then(
        () => {
          read();
          if (readers.delete(read)) reject(new Error(`the command ended with ${count} × ${pattern} not on its stdout: ${stdout}`));
        },
        (error: unknown) => {
          readers.delete(read);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
      read();
    });
  return { kill: (signal) => kill(signal), stdoutMatches, result };
}

function startChild(
  file: string,
  args: string[],
  options: RunOptions,
  onSpawn: (kill: (signal: NodeJS.Signals) => void) => void,
  onStdout: (chunk: Buffer) => void = () => {},
): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...options.sandbox.env };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const started = performance.now();
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.sandbox.cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Own process group, so a timeout can end the CLI together with the tools it started.
      detached: true,
    });
    onSpawn((signal) => child.kill(signal));
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      onStdout(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => {
      // The child may exit before reading its stdin (EPIPE); that is not a harness failure.
    });
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();

    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, options.timeoutMs ?? 60_000);

    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result: RunResult = {
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr).toString('utf8') + (timedOut ? `\n[harness: killed after ${options.timeoutMs ?? 60_000} ms]\n` : ''),
        // Like a shell: a child ended by a signal reports 128 + the signal's number.
        exitCode: code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : -1),
        durationMs: performance.now() - started,
      };
      if (signal) result.signal = signal;
      resolve(result);
    });
  });
}
