import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startScenario, waitForSession, childrenOf, spansNamed, intAttr, WRAPPER_BIN } from '../support/scenario.ts';
import type { ReceivedSpan } from '../support/otlp-receiver.ts';
import { DEFAULT_PERMISSION_MODE_ARGS, TmuxTerminal, promptReady } from '../support/tmux-terminal.ts';

// Where an interactive session's time went, on the real terminal UI in tmux: the person's
// wait before each prompt and on a permission prompt, claude's active time, a /compact,
// and the conversation content read from the transcript.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SECRET = 'ghp_PLANTEDsecret0123456789abcdefghijklmnopq';

function durationMs(span: ReceivedSpan): number {
  return Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6;
}

test('interactive: the person’s wait before a prompt and on a permission prompt, active time, a /compact, content from the transcript', async () => {
  const s = await startScenario([
    // A write always asks for permission.
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: `printf ${SECRET} > f.txt` } }] },
    { kind: 'text', text: 'Wrote it.' },
    { kind: 'text', text: 'Second answer.' },
    // /compact's own model call: the summary.
    { kind: 'text', text: '<summary>Wrote a file.</summary>' },
  ]);
  const tmp = join(s.sandbox.home, 'tmp');
  mkdirSync(tmp, { recursive: true });
  // 2.1.332 starts in auto mode, which would decide the write itself: the default mode asks the person.
  const terminal = TmuxTerminal.start(WRAPPER_BIN, [...DEFAULT_PERMISSION_MODE_ARGS], {
    cwd: s.sandbox.cwd,
    env: { ...s.sandbox.env, ...s.env(), TMPDIR: tmp, OTEL_METRICS_EXPORTER: 'otlp', CLAUDE_OTEL_LOG_CONTENT: 'on' },
    dir: s.sandbox.home,
  });
  try {
    await terminal.waitForScreen(promptReady, 15_000, 'the prompt');
    await terminal.type('write the file');
    await terminal.waitForScreen((x) => /Do you want to proceed\?/.test(x), 20_000, 'the permission prompt');
    // The person takes their time before allowing it: their think time is what this test measures,
    // not a wait for something to happen.
    await sleep(1500);
    terminal.keys('Enter');
    await terminal.waitForScreen((x) => x.includes('Wrote it.'), 20_000, 'the first answer');
    // ... and before the next prompt.
    await sleep(3000);
    await terminal.type('second question');
    await terminal.waitForScreen((x) => x.includes('Second answer.'), 20_000, 'the second answer');
    await terminal.type('/compact');
    const compacted = await terminal.waitForScreen((x) => x.includes('Compacted') && promptReady(x), 20_000, 'the compaction');
    // As bare claude shows it: no hook of the wrapper's is named.
    assert.doesNotMatch(compacted, /claude-otel-hooks|PreCompact/);
    await terminal.type('/exit');
    assert.equal(await terminal.waitForExit(), 0);

    const root = await waitForSession(s.receiver);
    const spans = s.receiver.spans.filter((x) => x.traceId === root.traceId);
    const prompts = childrenOf(spans, root).filter((x) => x.name === 'invoke_agent claude-code');
    prompts.sort((a, b) => intAttr(a, 'claude.prompt.index') - intAttr(b, 'claude.prompt.index'));
    assert.equal(prompts.length, 2);
    const [first, second] = prompts;
    assert.ok(first && second);

    // The waits: at least what the test itself waited.
    const firstWait = intAttr(first, 'claude.turn.user_wait_ms');
    const secondWait = intAttr(second, 'claude.turn.user_wait_ms');
    assert.ok(firstWait >= 0);
    // The turn ends at claude's Stop hook, which may run a moment after the answer is on the
    // screen (longer on a loaded machine): most of the person's 3 s, never none.
    assert.ok(secondWait >= 2000, `the second prompt came ${secondWait} ms after the first turn ended`);
    assert.ok(secondWait <= Number(second.startTimeUnixNano - first.endTimeUnixNano) / 1e6 + 1, 'no more than the gap between the turns');
    const [bash] = spansNamed(childrenOf(spans, first), 'execute_tool');
    assert.ok(bash);
    const permissionWait = intAttr(bash, 'claude.tool.permission_wait_ms');
    // Measured from claude's PermissionRequest hook, whose process starts a moment after the
    // dialog is on the screen (longer on a loaded machine): most of the person's 1.5 s, never none.
    assert.ok(
      permissionWait >= 1000 && permissionWait <= Number(bash.endTimeUnixNano - bash.startTimeUnixNano) / 1e6 + 1,
      `the tool waited ${permissionWait} ms for the person`,
    );
    assert.equal(intAttr(root, 'claude.session.user_wait_ms'), firstWait + secondWait + permissionWait);
    const active = intAttr(root, 'claude.session.active_ms');
    assert.ok(Math.abs(active - (durationMs(first) + durationMs(second) - permissionWait)) <= 2, `active ${active} ms`);

    // /compact between the turns: an event on the session, a log record, the count.
    assert.equal(intAttr(root, 'claude.compactions'), 1);
    const compaction = root.events.find((e) => e.name === 'claude.compaction');
    assert.equal(compaction?.attributes['claude.compaction.trigger'], 'manual');
    // From the transcript's compact_boundary line, as in print mode.
    assert.equal(typeof compaction?.attributes['claude.compaction.pre_tokens'], 'number');
    assert.equal(typeof compaction?.attributes['claude.compaction.post_tokens'], 'number');
    await s.receiver.waitFor((r) => r.metrics.some((m) => m.name === 'claude.user.wait'), 15_000);
    const log = s.receiver.logs.find((l) => l.eventName === 'claude.compaction');
    assert.equal(log?.spanId, root.spanId);

    // The person's waits as a histogram: two prompts, one permission prompt.
    const waits = s.receiver.metrics.find((m) => m.name === 'claude.user.wait');
    const byKind = Object.fromEntries((waits?.dataPoints ?? []).map((p) => [String(p.attributes['claude.wait.kind']), p]));
    assert.equal(byKind.prompt?.count, 2);
    assert.equal(byKind.permission?.count, 1);
    assert.ok(Math.abs((byKind.permission?.sum ?? 0) - permissionWait / 1000) < 1e-9);

    // Content, from the transcript: what each call was sent and answered, scrubbed.
    const chats = spansNamed(childrenOf(spans, first), 'chat').sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
    assert.equal(chats.length, 2);
    const input = JSON.parse(String(chats[0]?.attributes['gen_ai.input.messages'])) as { role: string; parts: { type: string; content?: string }[] }[];
    assert.ok(
      input.some((m) => m.role === 'user' && m.parts.some((p) => p.content === 'write the file')),
      JSON.stringify(input),
    );
    const output = JSON.parse(String(chats[0]?.attributes['gen_ai.output.messages'])) as {
      parts: { type: string; name?: string; arguments?: { command?: string } }[];
    }[];
    assert.equal(output[0]?.parts[0]?.type, 'tool_call');
    assert.equal(output[0]?.parts[0]?.arguments?.command, 'printf [REDACTED] > f.txt');
    const secondInput = JSON.parse(String(chats[1]?.attributes['gen_ai.input.messages'])) as { role: string; parts: { type: string; id?: string }[] }[];
    assert.ok(secondInput.some((m) => m.role === 'tool' && m.parts[0]?.type === 'tool_call_response'));
    assert.deepEqual(JSON.parse(String(bash.attributes['gen_ai.tool.call.arguments'])), { command: 'printf [REDACTED] > f.txt' });
    assert.ok(typeof bash.attributes['gen_ai.tool.call.result'] === 'string');
    assert.ok(!JSON.stringify(spans, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).includes('PLANTEDsecret'), 'the secret is nowhere');
  } finally {
    terminal.close();
    await s.close();
  }
});
