import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALLOW_TOOLS, spansNamed, startScenario, waitForSession } from '../support/scenario.ts';
import { GLOBAL_INSTALL_LOG, INSTALLED_BIN, runInstalled } from '../support/installed-package.ts';
import { httpRequest, startServe } from '../support/serve-process.ts';

// The commands as `npm install -g` of the packed package installs them, run from a login
// shell's environment against the real claude CLI: one session, then claude-otel-ctl on it.

test('installing the package prints no warning: no install script of its own or of a dependency', () => {
  const warnings = GLOBAL_INSTALL_LOG.split('\n').filter((line) => /^npm (warn|error)/i.test(line));
  assert.deepEqual(warnings, [], GLOBAL_INSTALL_LOG);
});

test('the installed claude-otel records a session from a login shell; claude-otel-ctl lists it', async (t) => {
  // The file's path is known once the sandbox exists; the API stand-in asks for it after that.
  let file = '';
  const s = await startScenario([
    { kind: 'tools', tools: [{ name: 'Write', input: () => ({ file_path: file, content: 'kept\n' }) }] },
    { kind: 'tools', tools: [{ name: 'Read', input: () => ({ file_path: file }) }] },
    { kind: 'text', text: 'Written and read.' },
  ]);
  file = `${s.sandbox.cwd}/notes/today.txt`;
  try {
    const run = await runInstalled(s, INSTALLED_BIN.wrapper, ['-p', 'write a note and read it back', ...ALLOW_TOOLS]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout.toString(), 'Written and read.\n');
    const root = await waitForSession(s.receiver);
    const sessionId = String(root.attributes['session.id']);
    assert.match(sessionId, /^[0-9a-f-]{36}$/);

    await t.test('tool input summaries keep the paths under the working directory', () => {
      // The paths a user's tools touched are what a trace is read for: exported as they were.
      const summaries = spansNamed(s.receiver.spans, 'execute_tool').map((span) => [span.name, span.attributes['claude.tool.input_summary']]);
      assert.deepEqual(summaries.sort(), [
        ['execute_tool Read', file],
        ['execute_tool Write', file],
      ]);
    });

    await t.test('claude-otel-ctl sessions lists the session', async () => {
      const listed = await runInstalled(s, INSTALLED_BIN.ctl, ['sessions']);
      assert.equal(listed.exitCode, 0, listed.stderr);
      assert.match(listed.stdout.toString(), new RegExp(`\\b${sessionId.slice(0, 8)}\\b`));
    });

    await t.test('claude-otel-ctl serve answers the API with the token, 401 without it', async () => {
      const serve = await startServe(s.stateDir, s.sandbox.env, [], INSTALLED_BIN.ctl);
      try {
        const listed = await httpRequest(serve.base, '/api/traces', { headers: { authorization: `Bearer ${serve.token}` } });
        assert.equal(listed.status, 200, listed.body);
        const traces = (JSON.parse(listed.body) as { traces: { sessionId: string; traceId: string }[] }).traces;
        assert.deepEqual(
          traces.map((x) => [x.sessionId, x.traceId]),
          [[sessionId, root.traceId]],
        );
        const page = await httpRequest(serve.base, `/?token=${serve.token}`);
        assert.equal(page.status, 200);
        assert.match(page.body, /<script nonce="/);
        assert.equal((await httpRequest(serve.base, '/api/traces')).status, 401);
      } finally {
        assert.equal(await serve.stop(), 0, serve.stderr());
      }
    });
  } finally {
    await s.close();
  }
});
