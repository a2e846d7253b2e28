import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

// Runs git for what the files cannot answer cheaply (dirtiness, counting commits), within a
// time limit: on a huge repository, or with no git installed, the answer is "unknown", never
// a wait or an error. Optional locks are off, so git never takes the index lock that claude's
// own git commands may need at the same moment.

export interface GitRunOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  /** Stop at the first byte of output: enough to know that there is some. */
  firstOutputOnly?: boolean;
}

export type GitRun = { ok: true; stdout: string } | { ok: false };

const MAX_OUTPUT_BYTES = 64 * 1024;

export function runGit(args: string[], options: GitRunOptions): Promise<GitRun> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: GitRun): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const env: Record<string, string | undefined> = { ...options.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
    let child: ChildProcessByStdio<null, Readable, null>;
    try {
      child = spawn('git', ['--no-optional-locks', ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    } catch {
      resolve({ ok: false });
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ ok: false });
    }, options.timeoutMs);
    timer.unref();
    const chunks: Buffer[] = [];
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.length;
      if (options.firstOutputOnly || bytes > MAX_OUTPUT_BYTES) {
        child.kill('SIGKILL');
        finish(options.firstOutputOnly ? { ok: true, stdout: Buffer.concat(chunks).toString('utf8') } : { ok: false });
      }
    });
    child.on('error', () => finish({ ok: false }));
    child.on('close', (code) => finish(code === 0 ? { ok: true, stdout: Buffer.concat(chunks).toString('utf8') } : { ok: false }));
  });
}
