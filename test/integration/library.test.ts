import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startScenario, waitForSession, spansNamed, CTL_BIN } from '../support/scenario.ts';
import type { AgentCall } from '../support/anthropic-stub.ts';
import { runCommand } from '../support/claude-run.ts';

// runClaude() from a host program, through the package's public entry point (dist/lib/).

const HOST = fileURLToPath(new URL('../support/host-program.ts', import.meta.url));
/** tsx, found from here: the host runs in the sandbox's project directory. */
const TSX = import.meta.resolve('tsx');

interface HostOutput {
  result: { exitCode: number; sessionId: string; traceId: string; text: string; result: { subtype: string; session_id: string } };
  hostTraceId: string;
  hostSpanId: string;
  spans: { name: string; traceId: string; spanId: string; parentSpanId: string; attributes: Record<string, unknown> }[];
}

test('a host program with its own provider finds the session under its span', async () => {
  const s = await startScenario([
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'printf %s "$TRACEPARENT" > tp.txt' } }] },
    { kind: 'text', text: 'The answer.' },
  ]);
  try {
    const run = await runCommand(process.execPath, ['--import', TSX, HOST], { sandbox: s.sandbox, env: s.env() });
    assert.equal(run.exitCode, 0, run.stderr);
    const out = JSON.parse(run.stdout.toString()) as HostOutput;
    assert.equal(out.result.exitCode, 0);
    assert.equal(out.result.text, 'The answer.');
    assert.equal(out.result.result.subtype, 'success');
    assert.equal(out.result.sessionId, out.result.result.session_id);
    assert.equal(out.result.traceId, out.hostTraceId);
    const session = out.spans.find((x) => x.name === 'claude.session');
    assert.ok(session, `spans: ${out.spans.map((x) => x.name).join(', ')}`);
    assert.equal(session.traceId, out.hostTraceId);
    assert.equal(session.parentSpanId, out.hostSpanId, 'the session is a child of the host span');
    assert.equal(session.attributes['session.id'], out.result.sessionId);
    assert.ok(out.spans.some((x) => x.name === 'execute_tool Bash' && x.traceId === out.hostTraceId));
    assert.ok(out.spans.some((x) => x.name.startsWith('chat ')));
    const { readFile } = await import('node:fs/promises');
    const tp = await readFile(`${s.sandbox.cwd}/tp.txt`, 'utf8');
    assert.equal(tp, `00-${out.hostTraceId}-${session.spanId}-01`, 'commands claude runs join the same trace');
    // Nothing went to the collector: the host's providers got it all.
    assert.equal(s.receiver.spans.length, 0);
  } finally {
    await s.close();
  }
});

test('without host providers, runClaude sets up its own telemetry from OTEL_*', async () => {
  const s = await startScenario([{ kind: 'text', text: 'Own SDK.' }]);
  try {
    const run = await runCommand(process.execPath, ['--import', TSX, HOST], { sandbox: s.sandbox, env: { ...s.env(), HOST_PROVIDERS: 'none' } });
    assert.equal(run.exitCode, 0, run.stderr);
    const out = JSON.parse(run.stdout.toString()) as HostOutput;
    assert.equal(out.result.text, 'Own SDK.');
    const root = await waitForSession(s.receiver);
    assert.equal(root.traceId, out.result.traceId);
    assert.equal(root.attributes['session.id'], out.result.sessionId);
    assert.equal(spansNamed(s.receiver.spans, 'chat').length, 1);
  } finally {
    await s.close();
  }
});

interface HandledMessages {
  handled: { result: HostOutput['result']; hostTraceId: string; hostSpanId: string }[];
  spans: HostOutput['spans'];
}

/** Each message's answer names it, whatever order claude's calls come in. */
const answerEach = (call: AgentCall) => ({ kind: 'text' as const, text: `Answer to message ${/answer the user (\d)/.exec(call.lastUserText)?.[1] ?? '?'}.` });

test('a bot handles two messages at once: each session whole, under its own span, with its own answer', async () => {
  const s = await startScenario([], { reply: answerEach });
  try {
    const run = await runCommand(process.execPath, ['--import', TSX, HOST], { sandbox: s.sandbox, env: { ...s.env(), HOST_MESSAGES: '2' } });
    assert.equal(run.exitCode, 0, run.stderr);
    const out = JSON.parse(run.stdout.toString()) as HandledMessages;
    assert.deepEqual(
      out.handled.map((h) => h.result.text),
      ['Answer to message 1.', 'Answer to message 2.'],
    );
    const [one, two] = out.handled;
    assert.ok(one && two && one.hostTraceId !== two.hostTraceId, 'two messages, two traces');
    for (const handled of out.handled) {
      const ofTrace = out.spans.filter((x) => x.traceId === handled.hostTraceId);
      const session = ofTrace.find((x) => x.name === 'claude.session');
      assert.ok(session, `a session in trace ${handled.hostTraceId}`);
      assert.equal(session.parentSpanId, handled.hostSpanId, "under its message's span");
      assert.equal(session.attributes['session.id'], handled.result.sessionId);
      assert.equal(handled.result.traceId, handled.hostTraceId);
      assert.equal(ofTrace.filter((x) => x.name === 'claude.session').length, 1, 'one session per trace');
      assert.equal(ofTrace.filter((x) => x.name.startsWith('chat ')).length, 1, 'its own call only');
    }
  } finally {
    await s.close();
  }
});

test('without host providers, two sessions at once each reach the collector and the store in their own trace', async () => {
  const s = await startScenario([], { reply: answerEach });
  try {
    const run = await runCommand(process.execPath, ['--import', TSX, HOST], {
      sandbox: s.sandbox,
      env: { ...s.env(), HOST_PROVIDERS: 'none', HOST_MESSAGES: '2' },
    });
    assert.equal(run.exitCode, 0, run.stderr);
    const out = JSON.parse(run.stdout.toString()) as HandledMessages;
    const traceIds = out.handled.map((h) => h.result.traceId);
    assert.equal(new Set(traceIds).size, 2, 'two traces');
    await s.receiver.waitFor((r) => traceIds.every((id) => r.spans.some((x) => x.traceId === id && x.name === 'claude.session')));
    for (const handled of out.handled) {
      const ofTrace = s.receiver.spans.filter((x) => x.traceId === handled.result.traceId);
      assert.equal(ofTrace.filter((x) => x.name === 'claude.session')[0]?.attributes['session.id'], handled.result.sessionId);
      assert.equal(spansNamed(ofTrace, 'chat').length, 1, 'its own call only');
    }
    const listed = await runCommand(CTL_BIN, ['sessions', '--json'], { sandbox: s.sandbox, env: s.env() });
    assert.equal(listed.exitCode, 0, listed.stderr);
    const stored = (JSON.parse(listed.stdout.toString()) as { sessionId: string; delivered: boolean }[]).map((x) => [x.sessionId, x.delivered]);
    assert.deepEqual(stored.sort(), out.handled.map((h) => [h.result.sessionId, true]).sort(), 'both stored, both delivered');
  } finally {
    await s.close();
  }
});
