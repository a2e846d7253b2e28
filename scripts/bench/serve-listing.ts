import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { median } from './stats.ts';

// `claude-otel-ctl serve` listing a store of 3,000 sessions through GET /api/traces, next to
// `claude-otel-ctl sessions --json` on the same store: the API with the store read afresh (a run
// directory touched before each request) and with nothing changed since the last request.

const CTL = fileURLToPath(new URL('../../bin/claude-otel-ctl.js', import.meta.url));
const run = promisify(execFile);

export interface ServeListing {
  sessions: number;
  rounds: number;
  /** `sessions --json`, the whole process. */
  cliMs: number;
  /** One request, the store read again (it changed). */
  apiReadMs: number;
  /** One request, nothing changed since the last. */
  apiCachedMs: number;
}

const nanos = (ms: number) => (BigInt(Math.round(ms)) * 1_000_000n).toString();

/** A store of `count` finished sessions as the wrapper writes them: meta.json and a chunk of three spans. */
function writeStore(stateDir: string, count: number): string[] {
  const dirs: string[] = [];
  const start = Date.now() - count * 60_000;
  for (let i = 0; i < count; i++) {
    const t = start + i * 60_000;
    const runId = `${new Date(t)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}-${1000 + i}-${randomBytes(3).toString('hex')}`;
    const dir = join(stateDir, 'sessions', runId);
    mkdirSync(dir, { recursive: true });
    const traceId = randomBytes(16).toString('hex');
    const ids = [0, 1, 2].map(() => randomBytes(8).toString('hex'));
    const span = (n: number, name: string, parent: string | undefined, from: number, to: number, attributes: Record<string, string | number>) => ({
      traceId,
      spanId: ids[n],
      ...(parent ? { parentSpanId: parent } : {}),
      name,
      kind: 1,
      startTimeUnixNano: nanos(from),
      endTimeUnixNano: nanos(to),
      attributes: Object.entries(attributes).map(([key, value]) => ({
        key,
        value: typeof value === 'string' ? { stringValue: value } : { intValue: String(value) },
      })),
      status: { code: 0 },
    });
    const spans = [
      span(0, 'claude.session', undefined, t, t + 20_000, { 'claude.mode': 'print', 'session.id': `s-${i}` }),
      span(1, 'chat claude-opus-4-8', ids[0], t + 100, t + 5000, {
        'gen_ai.request.model': 'claude-opus-4-8',
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.output_tokens': 80,
      }),
      span(2, 'execute_tool Bash', ids[0], t + 5100, t + 6000, { 'gen_ai.tool.name': 'Bash', 'claude.tool.exit_code': 0 }),
    ];
    writeFileSync(join(dir, 'claude-otel-run'), runId);
    writeFileSync(
      join(dir, 'chunk-0001.json'),
      JSON.stringify({ traces: { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'claude-otel' }, spans }] }] } }),
    );
    writeFileSync(join(dir, 'chunk-0001.delivered'), new Date(t).toISOString());
    writeFileSync(
      join(dir, 'meta.json'),
      JSON.stringify({
        runId,
        traceId,
        sessionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        mode: 'print',
        model: 'claude-opus-4-8',
        version: '2.1.197',
        startTime: t,
        endTime: t + 20_000,
        exitCode: 0,
        prompts: 1,
        toolCalls: 1,
        toolErrors: 0,
        inputTokens: 1200,
        outputTokens: 80,
        cacheReadTokens: 0,
        cacheCreationTokens: 0,
        costUsd: 0.01,
        isError: false,
        interrupted: false,
        promptPreview: `fix issue ${i}`,
        git: { repositoryName: 'widgets', repositoryUrl: 'https://github.com/acme/widgets', branch: 'main', worktree: false },
      }),
    );
    dirs.push(dir);
  }
  return dirs;
}

async function timedGet(url: string, token: string, expected: number): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { total?: number };
  const ms = performance.now() - t;
  if (res.status !== 200 || body.total !== expected) throw new Error(`GET ${url}: ${res.status}, total ${String(body.total)}`);
  return ms;
}

export async function measureServeListing(options: { sessions: number; rounds: number }): Promise<ServeListing> {
  const stateDir = mkdtempSync(join(tmpdir(), 'claude-otel-bench-serve-'));
  try {
    const dirs = writeStore(stateDir, options.sessions);
    const cli: number[] = [];
    for (let i = 0; i < options.rounds; i++) {
      const t = performance.now();
      const { stdout } = await run(process.execPath, [CTL, 'sessions', '--json', '--state-dir', stateDir], { maxBuffer: 256 * 1024 * 1024 });
      cli.push(performance.now() - t);
      const listed: unknown = JSON.parse(stdout);
      if (!Array.isArray(listed) || listed.length !== options.sessions)
        throw new Error(`sessions --json listed ${Array.isArray(listed) ? listed.length : '?'} sessions`);
    }
    const serve = spawn(process.execPath, [CTL, 'serve', '--port', '0', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const printed = await new Promise<RegExpExecArray>((resolve, reject) => {
        let out = '';
        serve.on('exit', (code) => reject(new Error(`serve exited (${code})`)));
        serve.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /at (http:\/\/[^/]+)\/\?token=(\S+)\n/.exec(out);
          if (match) resolve(match);
        });
      });
      const [, base, token] = printed;
      const url = `${base}/api/traces?limit=${options.sessions}`;
      const read: number[] = [];
      const cached: number[] = [];
      for (let i = 0; i < options.rounds; i++) {
        // A run directory with a new time: the next request reads the store again.
        const dir = dirs[i % dirs.length] ?? '';
        const when = new Date(Date.now() + i * 1000);
        utimesSync(dir, when, when);
        read.push(await timedGet(url, token ?? '', options.sessions));
        cached.push(await timedGet(url, token ?? '', options.sessions));
      }
      return { sessions: options.sessions, rounds: options.rounds, cliMs: median(cli), apiReadMs: median(read), apiCachedMs: median(cached) };
    } finally {
      serve.kill('SIGTERM');
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}
