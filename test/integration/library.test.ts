import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startScenario, waitForSession, spansNamed } from '../support/scenario.ts';
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
