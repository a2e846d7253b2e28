import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { CTL_BIN } from './scenario.ts';

// `claude-otel-ctl serve` as a user starts it, on a free port, and plain HTTP requests to it
// with full control of the method and headers (Host and Origin included, which fetch() will
// not let a caller set).

export interface ServeProcess {
  /** `http://127.0.0.1:<port>` */
  base: string;
  token: string;
  /** The URL serve printed, token included. */
  url: string;
  child: ChildProcessWithoutNullStreams;
  stderr(): string;
  /** Stops it with SIGTERM; its exit code. */
  stop(): Promise<number | null>;
}

/** `bin`: the claude-otel-ctl to run (default: the clone's; the e2e tier runs the installed one). */
export function startServe(stateDir: string, env: Record<string, string | undefined>, args: string[] = [], bin = CTL_BIN): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--state-dir', stateDir, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`serve exited (${code}) before it printed its URL: ${stderr}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /at (http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)\n/.exec(stdout);
      if (!match?.[1] || !match[2]) return;
      resolve({
        base: match[1],
        token: match[2],
        url: `${match[1]}/?token=${match[2]}`,
        child,
        stderr: () => stderr,
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request; `path` is sent exactly as given (no normalisation of `..`). */
export function httpRequest(base: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
