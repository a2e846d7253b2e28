/**
 * A scripted stand-in for the Anthropic Messages API, listening on 127.0.0.1.
 *
 * Point the Claude CLI at it with `ANTHROPIC_BASE_URL=<stub.url>` (see `makeSandbox` in
 * `claude-run.ts`). It answers:
 *
 * - `HEAD /` (and any other HEAD): 200, empty body. The CLI sends one at start-up.
 * - `POST /v1/messages/count_tokens`: `{"input_tokens": N}`.
 * - `POST /v1/messages` (any query string; the CLI uses `?beta=true`): with `"stream": true` as
 *   server-sent events in the real API's order (`message_start`, then per content block
 *   `content_block_start` / `content_block_delta` (`text_delta` or `input_json_delta`) /
 *   `content_block_stop`, a `ping` after the first block start, `message_delta` with `stop_reason`
 *   and the final `usage.output_tokens`, `message_stop`); without it as one JSON message.
 *
 * Requests whose body has a non-empty `tools` array are agent-loop calls (the main agent and its
 * subagents): each consumes the next step of the script, in order. Once the script is exhausted
 * they get a plain `"done"` text answer. All other requests (session titles, summaries, ...) get
 * `sideText` and do not consume steps.
 *
 * Subagents that run beside the main agent (background agents, CLI 2.1.332) make the order of
 * calls depend on timing, so their calls can have scripts of their own: `options.agents` maps a
 * text to steps, and an agent-loop call whose first user message contains that text (the
 * subagent's prompt) consumes that script instead of the main one (`"done"` once it is used up).
 * `until` holds any answer until a promise settles and `onAnswer` runs once an answer is sent,
 * so a test can make a subagent's call wait for the main agent's next call.
 *
 * Usage figures: `message_start` carries `input_tokens`, `cache_creation_input_tokens`,
 * `cache_read_input_tokens` and `output_tokens: 1` (as the real API does); `message_delta` carries
 * the call's final `output_tokens`. Defaults for scripted steps: input 120, cache read 50, cache
 * creation 7, final output 12 for a text step and `20 + 10 * tools.length` for a tools step (so the
 * final figure always differs from the `1` of `message_start`). Side calls: input 30, output 5, no
 * cache tokens.
 *
 * Error steps answer `status` with `body` (default
 * `{"type":"error","error":{"type":<by status>,"message":...},"request_id":...}`; 400 →
 * `invalid_request_error`, 529 → `overloaded_error`, 5xx → `api_error`, ...).
 *
 * How Claude CLI 2.1.197 treats error answers (read from its bundled code and checked against
 * this stub):
 * - 400/401/403/404/413 are not retried: the run ends at once (`-p` exits 1, prints
 *   `API Error: 400 <message>` in text mode, a `result` with `is_error: true` otherwise).
 * - 5xx, 529 and 429 are retried, and each retry is a new request that consumes the next script
 *   step. Each retry is announced in stream-json as a `system`/`api_retry` line (`attempt`,
 *   `max_retries`, `retry_delay_ms`, `error_status`, `error`: "server_error", "overloaded",
 *   "rate_limit"). At most `CLAUDE_CODE_MAX_RETRIES` retries (default 10).
 * - The delay before retry n is `min(500 * 2^(n-1), 32000)` ms plus up to 25 % random jitter
 *   (0.5–0.63 s for the first retry, 1–1.25 s for the second). A `retry-after` header (seconds)
 *   can only lengthen it (`max(retry-after * 1000, computed)`); no environment variable shortens
 *   it. So one 5xx/529 followed by success adds about 0.6 s to a run.
 * - 529 on the main model: after 3 consecutive 529s (2 `api_retry` lines) the CLI gives up with
 *   `API Error: Repeated 529 Overloaded errors. ...` (`api_error_status: null`, exit 1), unless
 *   `IS_SANDBOX` is set or a `--fallback-model` is given. Background calls (titles, summaries...)
 *   are given up on their first 529.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
  /** Which cache writes were 5-minute and which 1-hour ones, as the API breaks them down. */
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

interface StepTiming {
  delayMs?: number;
  /** The answer waits for this too: a test holds claude at this call until it is ready. */
  until?: Promise<void>;
  /** Called once the answer has been sent in full. */
  onAnswer?: () => void;
}

export type StubStep =
  | (StepTiming & {
      kind: 'text';
      text: string;
      usage?: Usage;
    })
  | (StepTiming & {
      kind: 'tools';
      /** `input` may be made from the request's body, e.g. to name an agent id the CLI chose. */
      tools: { name: string; input: Record<string, unknown> | ((body: unknown) => Record<string, unknown>); id?: string }[];
      text?: string;
      usage?: Usage;
    })
  | (StepTiming & {
      kind: 'error';
      status: number;
      body?: unknown;
      /** Extra response headers, e.g. `{ 'retry-after': '1' }`. */
      headers?: Record<string, string>;
    });

export interface StubRequest {
  /** Request path including the query string, e.g. `/v1/messages?beta=true`. */
  path: string;
  /** Parsed JSON body (or the raw text when it is not JSON, `undefined` when empty). */
  body: unknown;
  /** True when the body carries a non-empty `tools` array (main agent or subagent call). */
  agentLoop: boolean;
  /** The key of `options.agents` whose script answered this call, if any. */
  agent?: string;
}

export interface AnthropicStub {
  /** Base URL to put in ANTHROPIC_BASE_URL, e.g. `http://127.0.0.1:43123`. */
  url: string;
  port: number;
  /** Every non-HEAD request received, in arrival order. */
  requests: StubRequest[];
  /** Script steps not consumed yet (the main script and every agent's). */
  remaining(): number;
  /** Resolves once `holds` is true of the requests received so far (asked again at each new one). */
  waitForRequests(holds: (requests: readonly StubRequest[]) => boolean): Promise<void>;
  close(): Promise<void>;
}

export interface StubOptions {
  /** Answer for requests that are not agent-loop calls (titles, summaries...). */
  sideText?: string;
  /** Scripts of subagents, keyed by a text of their prompt (see the file's comment). */
  agents?: Record<string, StubStep[]>;
  /**
   * Answers chosen by what an agent-loop call ends with instead of by arrival order: a step for it,
   * or undefined to take the next step of the scripts. The same conversation gets the same answer
   * however often claude sends it (a retried request, a call the terminal UI sends beside its own).
   */
  reply?: (call: AgentCall) => StubStep | undefined;
}

/** What an agent-loop call ends with: its last user message. */
export interface AgentCall {
  /** The text blocks of the last user message, joined. */
  lastUserText: string;
  /** How many tool results the last user message carries. */
  toolResults: number;
}

type ContentBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

interface PlannedMessage {
  content: ContentBlock[];
  stopReason: 'end_turn' | 'tool_use';
  usage: PlannedUsage;
  delayMs: number;
  until?: Promise<void>;
  onAnswer?: () => void;
}

const DEFAULT_INPUT = 120;
const DEFAULT_CACHE_READ = 50;
const DEFAULT_CACHE_CREATION = 7;
const DEFAULT_TEXT_OUTPUT = 12;
const SIDE_USAGE: PlannedUsage = {
  input_tokens: 30,
  output_tokens: 5,
  cache_read_input_tokens: 0,
  cache_creation_input_tokens: 0,
};

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const ERROR_MESSAGES: Record<number, string> = {
  400: 'stub: invalid request',
  401: 'invalid x-api-key',
  429: 'Number of request tokens has exceeded your per-minute rate limit',
  529: 'Overloaded',
};

function errorBody(status: number): unknown {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  const message = ERROR_MESSAGES[status] ?? (status >= 500 ? 'Internal server error' : `stub: error ${status}`);
  return { type: 'error', error: { type, message }, request_id: requestId() };
}

function randomId(len: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(len);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

function requestId(): string {
  return `req_stub${randomId(20)}`;
}

type PlannedUsage = Required<Omit<Usage, 'cache_creation'>> & Pick<Usage, 'cache_creation'>;

function fullUsage(usage: Usage | undefined, defaultOutput: number): PlannedUsage {
  return {
    input_tokens: usage?.input_tokens ?? DEFAULT_INPUT,
    output_tokens: usage?.output_tokens ?? defaultOutput,
    cache_read_input_tokens: usage?.cache_read_input_tokens ?? DEFAULT_CACHE_READ,
    cache_creation_input_tokens: usage?.cache_creation_input_tokens ?? DEFAULT_CACHE_CREATION,
    ...(usage?.cache_creation ? { cache_creation: usage.cache_creation } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Splits a string into at most `parts` pieces of near-equal length (at least one piece). */
function splitString(s: string, parts: number): string[] {
  if (s.length === 0) return [''];
  const size = Math.max(1, Math.ceil(s.length / parts));
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

function sseEvent(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

function usageStart(u: PlannedUsage): Record<string, unknown> {
  return {
    input_tokens: u.input_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens,
    cache_read_input_tokens: u.cache_read_input_tokens,
    ...(u.cache_creation ? { cache_creation: u.cache_creation } : {}),
    output_tokens: 1,
    service_tier: 'standard',
  };
}

function streamEvents(msg: PlannedMessage, id: string, model: string): string[] {
  const events: string[] = [];
  events.push(
    sseEvent('message_start', {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: usageStart(msg.usage),
      },
    }),
  );
  msg.content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(sseEvent('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
      if (index === 0) events.push(sseEvent('ping', { type: 'ping' }));
      for (const piece of splitString(block.text, 2)) {
        events.push(sseEvent('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }));
      }
    } else {
      events.push(
        sseEvent('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        }),
      );
      if (index === 0) events.push(sseEvent('ping', { type: 'ping' }));
      // The real API starts a tool_use block with an empty partial_json, then sends the JSON in pieces.
      for (const piece of ['', ...splitString(JSON.stringify(block.input), 3)]) {
        events.push(
          sseEvent('content_block_delta', {
            type: 'content_block_delta',
            index,
            delta: { type: 'input_json_delta', partial_json: piece },
          }),
        );
      }
    }
    events.push(sseEvent('content_block_stop', { type: 'content_block_stop', index }));
  });
  events.push(
    sseEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: msg.stopReason, stop_sequence: null },
      usage: { output_tokens: msg.usage.output_tokens },
    }),
  );
  events.push(sseEvent('message_stop', { type: 'message_stop' }));
  return events;
}

function jsonMessage(msg: PlannedMessage, id: string, model: string): Record<string, unknown> {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: msg.content,
    stop_reason: msg.stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: msg.usage.input_tokens,
      cache_creation_input_tokens: msg.usage.cache_creation_input_tokens,
      cache_read_input_tokens: msg.usage.cache_read_input_tokens,
      output_tokens: msg.usage.output_tokens,
      service_tier: 'standard',
    },
  };
}

/** The text of a request's first user message, where a subagent's prompt is. */
function lastUserMessage(body: unknown): AgentCall {
  const messages = isRecord(body) && Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
  const last: unknown = messages.findLast((m) => isRecord(m) && m.role === 'user');
  if (!isRecord(last)) return { lastUserText: '', toolResults: 0 };
  if (typeof last.content === 'string') return { lastUserText: last.content, toolResults: 0 };
  const blocks = Array.isArray(last.content) ? (last.content as unknown[]) : [];
  return {
    lastUserText: blocks.map((block) => (isRecord(block) && block.type === 'text' && typeof block.text === 'string' ? block.text : '')).join('\n'),
    toolResults: blocks.filter((block) => isRecord(block) && block.type === 'tool_result').length,
  };
}

function firstUserText(body: unknown): string {
  if (!isRecord(body) || !Array.isArray(body.messages)) return '';
  const first: unknown = body.messages.find((m) => isRecord(m) && m.role === 'user');
  if (!isRecord(first)) return '';
  if (typeof first.content === 'string') return first.content;
  if (!Array.isArray(first.content)) return '';
  return first.content.map((block) => (isRecord(block) && typeof block.text === 'string' ? block.text : '')).join('\n');
}

export function startAnthropicStub(script: StubStep[], options: StubOptions = {}): Promise<AnthropicStub> {
  const main = { steps: [...script], next: 0 };
  const agents = Object.entries(options.agents ?? {}).map(([key, steps]) => ({ key, steps: [...steps], next: 0 }));
  let toolCounter = 0;
  const requests: StubRequest[] = [];
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  // A delayed answer still pending when the stub closes is dropped with it: its timer would keep
  // the test's process alive until it fired.
  const delays = new Set<NodeJS.Timeout>();
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        delays.delete(timer);
        resolve();
      }, ms);
      delays.add(timer);
    });
  const sideText = options.sideText ?? 'Stub title';

  function planStep(step: Exclude<StubStep, { kind: 'error' }>, body: unknown): PlannedMessage {
    if (step.kind === 'text') {
      return {
        content: [{ type: 'text', text: step.text }],
        stopReason: 'end_turn',
        usage: fullUsage(step.usage, DEFAULT_TEXT_OUTPUT),
        delayMs: step.delayMs ?? 0,
        ...(step.until ? { until: step.until } : {}),
        ...(step.onAnswer ? { onAnswer: step.onAnswer } : {}),
      };
    }
    const content: ContentBlock[] = [];
    if (step.text !== undefined) content.push({ type: 'text', text: step.text });
    for (const tool of step.tools) {
      toolCounter += 1;
      const input = typeof tool.input === 'function' ? tool.input(body) : tool.input;
      content.push({ type: 'tool_use', id: tool.id ?? `toolu_${toolCounter}`, name: tool.name, input });
    }
    return {
      content,
      stopReason: 'tool_use',
      usage: fullUsage(step.usage, 20 + 10 * step.tools.length),
      delayMs: step.delayMs ?? 0,
      ...(step.until ? { until: step.until } : {}),
      ...(step.onAnswer ? { onAnswer: step.onAnswer } : {}),
    };
  }

  async function handleMessages(body: unknown, request: StubRequest, res: ServerResponse): Promise<void> {
    const model = isRecord(body) && typeof body.model === 'string' ? body.model : 'claude-sonnet-4-5';
    const stream = isRecord(body) && body.stream === true;
    let planned: PlannedMessage;
    if (request.agentLoop) {
      const userText = firstUserText(body);
      const agent = agents.find((a) => userText.includes(a.key));
      if (agent) request.agent = agent.key;
      const lane = agent ?? main;
      const replied = options.reply?.(lastUserMessage(body));
      const step = replied ?? lane.steps[lane.next];
      if (replied === undefined && step !== undefined) lane.next += 1;
      if (step?.kind === 'error') {
        if (step.delayMs) await sleep(step.delayMs);
        if (step.until) await step.until;
        const payload = step.body ?? errorBody(step.status);
        res.writeHead(step.status, {
          'content-type': 'application/json',
          'request-id': requestId(),
          ...(step.headers ?? {}),
        });
        res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
        step.onAnswer?.();
        return;
      }
      planned = step
        ? planStep(step, body)
        : {
            content: [{ type: 'text', text: 'done' }],
            stopReason: 'end_turn',
            usage: fullUsage(undefined, DEFAULT_TEXT_OUTPUT),
            delayMs: 0,
          };
    } else {
      planned = { content: [{ type: 'text', text: sideText }], stopReason: 'end_turn', usage: SIDE_USAGE, delayMs: 0 };
    }
    if (planned.delayMs > 0) await sleep(planned.delayMs);
    if (planned.until) await planned.until;
    const id = `msg_stub${randomId(20)}`;
    if (!stream) {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId() });
      res.end(JSON.stringify(jsonMessage(planned, id, model)));
      planned.onAnswer?.();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': requestId(),
    });
    for (const event of streamEvents(planned, id, model)) res.write(event);
    res.end(() => planned.onAnswer?.());
  }

  const server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? '/';
      const pathname = path.split('?')[0] ?? '/';
      if (req.method === 'HEAD') {
        res.writeHead(200);
        res.end();
        return;
      }
      const raw = await readBody(req);
      let body: unknown;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw) as unknown;
        } catch {
          body = raw;
        }
      }
      const agentLoop = pathname === '/v1/messages' && isRecord(body) && Array.isArray(body.tools) && body.tools.length > 0;
      const request: StubRequest = { path, body, agentLoop };
      requests.push(request);
      for (const check of [...waiters]) check();
      if (req.method === 'POST' && pathname === '/v1/messages/count_tokens') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ input_tokens: DEFAULT_INPUT }));
        return;
      }
      if (req.method === 'POST' && pathname === '/v1/messages') {
        await handleMessages(body, request, res);
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `stub: no route ${req.method} ${pathname}` } }));
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: String(err) } }));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        requests,
        remaining: () => [main, ...agents].reduce((left, lane) => left + lane.steps.length - lane.next, 0),
        waitForRequests: (holds) =>
          new Promise<void>((resolve) => {
            const check = () => {
              if (!holds(requests)) return;
              waiters.delete(check);
              resolve();
            };
            waiters.add(check);
            check();
          }),
        close: () =>
          new Promise<void>((done) => {
            for (const timer of delays) clearTimeout(timer);
            delays.clear();
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
