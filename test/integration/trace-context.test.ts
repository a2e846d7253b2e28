import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startScenario, waitForSession, childrenOf, ALLOW_TOOLS } from '../support/scenario.ts';

// Trace context in (TRACEPARENT, TRACESTATE, BAGGAGE) and out (claude's TRACEPARENT), the
// trace link for scripts, and CI attributes.

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const CALLER = `00-${CALLER_TRACE}-${CALLER_SPAN}-01`;

test('an inbound TRACEPARENT makes the session a child of the caller; claude gets its own TRACEPARENT inside the trace; outside CI there are no CI attributes', async () => {
  const s = await startScenario([
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'printf %s "$TRACEPARENT" > traceparent.txt' } }] },
    { kind: 'text', text: 'ok' },
  ]);
  try {
    const run = await s.wrapper(['-p', 'go', ...ALLOW_TOOLS], {
      // CI variables without GITHUB_ACTIONS or GITLAB_CI are not taken for CI.
      env: { TRACEPARENT: CALLER, TRACESTATE: 'vendor=abc', BAGGAGE: 'tenant=acme,request.id=r-42', GITHUB_RUN_ID: '1', CI_PIPELINE_ID: '2' },
    });
    assert.equal(run.exitCode, 0, run.stderr);
    const root = await waitForSession(s.receiver);
    assert.equal(root.traceId, CALLER_TRACE);
    assert.equal(root.parentSpanId, CALLER_SPAN);
    assert.ok(
      s.receiver.spans.every((x) => x.traceId === CALLER_TRACE),
      'every span in the given trace',
    );
    assert.equal(root.attributes.tenant, 'acme');
    assert.equal(root.attributes['request.id'], 'r-42');
    assert.ok(!Object.keys(root.resource).some((k) => k.startsWith('cicd.') || k.startsWith('vcs.')));
    assert.equal(childrenOf(s.receiver.spans, root).length, 1);
    const seen = await readFile(join(s.sandbox.cwd, 'traceparent.txt'), 'utf8');
    const [, traceId, spanId, flags] = seen.split('-');
    assert.equal(traceId, CALLER_TRACE, 'the command joined the session trace');
    assert.notEqual(spanId, CALLER_SPAN, "not the caller's span");
    assert.equal(spanId, root.spanId, 'the session span, which was exported');
    assert.equal(flags, '01');
  } finally {
    await s.close();
  }
});

test('the trace id and link for scripts; in GitHub Actions the link goes to the job summary too, with cicd attributes; with no inbound TRACEPARENT, claude’s names the session span of a new trace', async () => {
  const s = await startScenario([
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'printf %s "$TRACEPARENT" > traceparent.txt' } }] },
    { kind: 'text', text: 'ok' },
  ]);
  try {
    const summary = join(s.sandbox.home, 'summary.md');
    await writeFile(summary, '');
    const run = await s.wrapper(['-p', 'go', '--otel-print-trace-id', ...ALLOW_TOOLS], {
      env: {
        CLAUDE_OTEL_TRACE_URL: 'https://jaeger.example/trace/{trace_id}',
        GITHUB_ACTIONS: 'true',
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_WORKFLOW: 'CI',
        GITHUB_RUN_ID: '123456',
        GITHUB_RUN_ATTEMPT: '2',
        GITHUB_JOB: 'review',
        GITHUB_REPOSITORY: 'acme/widgets',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_SHA: 'abc123def456',
        GITHUB_REF_NAME: 'main',
      },
    });
    assert.equal(run.exitCode, 0);
    assert.equal(run.stdout.toString(), 'ok\n', 'stdout untouched');
    const root = await waitForSession(s.receiver);
    assert.match(run.stderr, new RegExp(`^claude-otel: trace_id=${root.traceId}\\n`, 'm'));
    assert.match(run.stderr, new RegExp(`claude-otel: trace https://jaeger\\.example/trace/${root.traceId}\\n`));
    assert.match(await readFile(summary, 'utf8'), new RegExp(`\\[${root.traceId}\\]\\(https://jaeger\\.example/trace/${root.traceId}\\)`));
    assert.equal(root.resource['cicd.pipeline.name'], 'CI');
    assert.equal(root.resource['cicd.pipeline.run.id'], '123456');
    assert.equal(root.resource['cicd.pipeline.task.name'], 'review');
    assert.equal(root.resource['cicd.pipeline.run.url.full'], 'https://github.com/acme/widgets/actions/runs/123456/attempts/2');
    assert.equal(root.resource['vcs.repository.url.full'], 'https://github.com/acme/widgets');
    assert.equal(root.resource['vcs.ref.head.revision'], 'abc123def456');
    assert.equal(root.resource['vcs.ref.head.name'], 'main');
    // No inbound context: claude's TRACEPARENT names the session span of a new trace.
    assert.equal(root.parentSpanId, '');
    const seen = await readFile(join(s.sandbox.cwd, 'traceparent.txt'), 'utf8');
    assert.equal(seen, `00-${root.traceId}-${root.spanId}-01`);
  } finally {
    await s.close();
  }
});

test('GitLab CI variables give the same attributes, and a malformed TRACEPARENT is ignored (a fresh trace, noted in the debug log)', async () => {
  const s = await startScenario([{ kind: 'text', text: 'ok' }]);
  try {
    const gitlab = await s.wrapper(['-p', 'go'], {
      env: {
        GITLAB_CI: 'true',
        CI_PIPELINE_ID: '77',
        CI_PIPELINE_URL: 'https://gitlab.example/g/p/-/pipelines/77',
        CI_JOB_NAME: 'test',
        CI_PROJECT_URL: 'https://gitlab.example/g/p',
        CI_COMMIT_SHA: 'fedcba',
        CI_PROJECT_PATH: 'g/p',
        TRACEPARENT: '00-not-a-trace-01',
      },
    });
    assert.equal(gitlab.exitCode, 0);
    assert.equal(gitlab.stderr, '');
    const root = await waitForSession(s.receiver);
    assert.equal(root.resource['cicd.pipeline.run.id'], '77');
    assert.equal(root.resource['cicd.pipeline.task.name'], 'test');
    assert.equal(root.resource['cicd.pipeline.name'], 'g/p');
    assert.equal(root.resource['vcs.repository.url.full'], 'https://gitlab.example/g/p');
    assert.equal(root.resource['vcs.ref.head.revision'], 'fedcba');
    // The malformed TRACEPARENT: a fresh trace, and a line in the debug log.
    assert.equal(root.parentSpanId, '');
    assert.match(root.traceId, /^[0-9a-f]{32}$/);
    const log = await readFile(join(s.stateDir, 'claude-otel.log'), 'utf8');
    assert.match(log, /TRACEPARENT=00-not-a-trace-01 is not a W3C traceparent/);
  } finally {
    await s.close();
  }
});
