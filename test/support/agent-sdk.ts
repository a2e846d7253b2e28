/**
 * Driving claude (bare, or through claude-otel) with the real Claude Agent SDK, the way a bot
 * does: `query()` with `pathToClaudeCodeExecutable`, in a scenario's sandbox.
 */
import { spawn } from 'node:child_process';
import { query } from '@anthropic-ai/claude-agent-sdk';
import type { Options, Query, SDKMessage, SDKUserMessage, SpawnedProcess, SpawnOptions } from '@anthropic-ai/claude-agent-sdk';
import type { Scenario } from './scenario.ts';
import { CLAUDE_BIN, WRAPPER_BIN } from './scenario.ts';
import { normalizeOutput } from './normalize-output.ts';

export type Target = 'bare' | 'wrapped';

export function userMessage(text: string): SDKUserMessage {
  return { type: 'user', message: { role: 'user', content: text }, parent_tool_use_id: null };
}

/** Streaming input the test feeds as it goes; the SDK closes claude's stdin when it ends. */
export class PromptStream implements AsyncIterable<SDKUserMessage> {
  private readonly queue: SDKUserMessage[] = [];
  private ended = false;
  private wake: (() => void) | undefined;

  push(text: string): void {
    this.queue.push(userMessage(text));
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SDKUserMessage> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Spawns what the SDK asks for, as its own spawner does, and records how the process ended:
 * the SDK sends SIGTERM to a process still running 2 s after the query ended, so a clean
 * exit (code, no signal) means it ended by itself within that grace.
 */
export function observedSpawn(onExit: (exit: ProcessExit) => void): (options: SpawnOptions) => SpawnedProcess {
  return (options) => {
    const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'ignore'], signal: options.signal });
    child.on('exit', (code, signal) => onExit({ code, signal }));
    return child;
  };
}

/** The SDK options that point it at bare claude or at claude-otel, inside the scenario. */
export function sdkOptions(s: Scenario, target: Target, extra: Options = {}): Options {
  const env = target === 'bare' ? { ...s.sandbox.env } : { ...s.sandbox.env, ...s.env() };
  return {
    pathToClaudeCodeExecutable: target === 'bare' ? CLAUDE_BIN : WRAPPER_BIN,
    cwd: s.sandbox.cwd,
    ...extra,
    env: { ...env, ...(extra.env ?? {}) },
  };
}

/** Iterates a query to its end, handing each message to `onMessage` as it comes. */
export async function collect(q: Query, onMessage: (message: SDKMessage) => void = () => {}): Promise<SDKMessage[]> {
  const messages: SDKMessage[] = [];
  for await (const message of q) {
    messages.push(message);
    onMessage(message);
  }
  return messages;
}

/** Iterates a query to its end: after each result, the next of `then` is streamed in, and after the last, the input ends. */
export function collectTurns(q: Query, prompts: PromptStream, then: readonly string[]): Promise<SDKMessage[]> {
  const next = [...then];
  return collect(q, (message) => {
    if (message.type !== 'result') return;
    const text = next.shift();
    if (text === undefined) prompts.end();
    else prompts.push(text);
  });
}

export function startQuery(prompt: string | AsyncIterable<SDKUserMessage>, options: Options): Query {
  return query({ prompt, options });
}

/** What two runs of the same script may differ in (ids, timings, paths) masked; one string per message. */
export function normalizeMessages(messages: SDKMessage[]): string[] {
  return messages.map((message) => normalizeOutput(JSON.stringify(message)));
}
