import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startAnthropicStub } from './anthropic-stub.ts';
import type { AnthropicStub, StubOptions, StubStep } from './anthropic-stub.ts';
import { startOtlpReceiver } from './otlp-receiver.ts';
import type { OtlpProtocol, OtlpReceiver, ReceivedSpan, ReceiverBehaviour } from './otlp-receiver.ts';
import { makeSandbox, runCommand, CLAUDE_BIN, CLAUDE_CLI_VERSION, CLI_DEFAULTS, cliAtLeast } from './claude-run.ts';
import type { RunResult, Sandbox } from './claude-run.ts';

// One integration scenario: the scripted API, a real OTLP receiver, a throwaway HOME, and
// ways to run bare claude or the wrapper in it.

export const WRAPPER_BIN = fileURLToPath(new URL('../../bin/claude-otel.js', import.meta.url));
export const CTL_BIN = fileURLToPath(new URL('../../bin/claude-otel-ctl.js', import.meta.url));
export { CLAUDE_BIN, CLAUDE_CLI_VERSION, CLI_DEFAULTS, cliAtLeast };

/** Tools the scripted sessions may use without a permission prompt. */
export const ALLOW_TOOLS = ['--allowedTools', 'Bash', 'Read', 'Write', 'Edit', 'Glob', 'Grep', 'Task', 'Agent'];

export interface Scenario {
  stub: AnthropicStub;
  receiver: OtlpReceiver;
  sandbox: Sandbox;
  stateDir: string;
  /** Environment for the wrapper: the receiver as collector, the real CLI as claude. */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  wrapper(args: string[], options?: { env?: Record<string, string | undefined>; stdin?: string }): Promise<RunResult>;
  claude(args: string[], options?: { env?: Record<string, string | undefined>; stdin?: string }): Promise<RunResult>;
  /** Any program (an installed claude-otel, node running a library user) with the wrapper's environment. */
  run(file: string, args: string[], options?: { env?: Record<string, string | undefined>; stdin?: string }): Promise<RunResult>;
  close(): Promise<void>;
}

export interface ScenarioOptions {
  protocol?: OtlpProtocol;
  behaviour?: ReceiverBehaviour;
  /** Scripts of subagents, keyed by a text of their prompt (see anthropic-stub.ts). */
  agents?: Record<string, StubStep[]>;
  /** Answers by what each call ends with (see anthropic-stub.ts). */
  reply?: StubOptions['reply'];
}

export async function startScenario(script: StubStep[], options: ScenarioOptions = {}): Promise<Scenario> {
  const stub = await startAnthropicStub(script, { ...(options.agents ? { agents: options.agents } : {}), ...(options.reply ? { reply: options.reply } : {}) });
  const receiver = await startOtlpReceiver({ protocol: options.protocol ?? 'grpc', ...(options.behaviour ? { behaviour: options.behaviour } : {}) });
  const sandbox = await makeSandbox({ apiUrl: stub.url });
  const stateDir = join(sandbox.home, 'state');
  const env = (extra: Record<string, string | undefined> = {}) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: receiver.protocol,
    CLAUDE_OTEL_CLAUDE_BIN: CLAUDE_BIN,
    CLAUDE_OTEL_STATE_DIR: stateDir,
    ...extra,
  });
  return {
    stub,
    receiver,
    sandbox,
    stateDir,
    env,
    wrapper: (args, o = {}) => runCommand(WRAPPER_BIN, args, { sandbox, env: env(o.env), ...(o.stdin !== undefined ? { stdin: o.stdin } : {}) }),
    run: (file, args, o = {}) => runCommand(file, args, { sandbox, env: env(o.env), ...(o.stdin !== undefined ? { stdin: o.stdin } : {}) }),
    claude: (args, o = {}) => runCommand(CLAUDE_BIN, args, { sandbox, ...(o.env ? { env: o.env } : {}), ...(o.stdin !== undefined ? { stdin: o.stdin } : {}) }),
    close: async () => {
      await Promise.all([stub.close(), receiver.close()]);
      await sandbox.cleanup();
    },
  };
}

/** Waits until the session's root span has arrived. */
export async function waitForSession(receiver: OtlpReceiver, timeoutMs = 20_000): Promise<ReceivedSpan> {
  await receiver.waitFor((r) => r.spans.some((s) => s.name === 'claude.session'), timeoutMs);
  const root = receiver.spans.find((s) => s.name === 'claude.session');
  if (!root) throw new Error('no claude.session span');
  return root;
}

export function childrenOf(spans: ReceivedSpan[], parent: ReceivedSpan): ReceivedSpan[] {
  return spans.filter((s) => s.parentSpanId === parent.spanId && s.traceId === parent.traceId);
}

export function spansNamed(spans: ReceivedSpan[], prefix: string): ReceivedSpan[] {
  return spans.filter((s) => s.name === prefix || s.name.startsWith(`${prefix} `));
}

export function intAttr(span: ReceivedSpan, key: string): number {
  const value = span.attributes[key];
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new Error(`${span.name}: ${key} is ${String(value)}`);
}
