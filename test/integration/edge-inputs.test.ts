import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startScenario, waitForSession, intAttr, WRAPPER_BIN, CLAUDE_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { runCommand } from '../support/claude-run.ts';

// Inputs at the edges: bytes that are not UTF-8, a line larger than anything worth parsing, and a
// claude that dies of a signal. In each case the wrapper's caller sees what bare claude gives it.

async function fakeClaude(s: Scenario, name: string, script: string): Promise<string> {
  const path = join(s.sandbox.home, name);
  await writeFile(path, `#!/bin/bash\n${script}\n`);
  await chmod(path, 0o755);
  return path;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test("bytes that are not UTF-8 on claude's stdout reach the user's stdout byte for byte", async () => {
  const s = await startScenario([]);
  try {
    const recorded = readFileSync(new URL('../fixtures/streams/formats/three-tools.stream-json-verbose.jsonl', import.meta.url), 'utf8')
      .trimEnd()
      .split('\n');
    const data = join(s.sandbox.home, 'out.bin');
    // Not UTF-8: a lone continuation byte, 0xff, a cut multi-byte sequence, between valid stream-json lines.
    const noise = Buffer.from([0x6a, 0x75, 0x6e, 0x6b, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0xe2, 0x82, 0x0a]);
    await writeFile(
      data,
      Buffer.concat([Buffer.from(`${recorded[0]}\n`), noise, Buffer.from(`${recorded.slice(1).join('\n')}\n`), Buffer.from([0xf0, 0x9f, 0x98])]),
    );
    const fake = await fakeClaude(s, 'fake-claude', `cat '${data}'\nexit 2`);
    const bare = await runCommand(fake, [], { sandbox: s.sandbox });
    const wrapped = await s.wrapper(['-p', 'go', '--output-format', 'stream-json', '--verbose', '--include-partial-messages'], {
      env: { CLAUDE_OTEL_CLAUDE_BIN: fake },
    });
    assert.equal(wrapped.exitCode, 2);
    assert.ok(wrapped.stdout.equals(bare.stdout), 'stream-json: every byte as claude wrote it');
    const text = await s.wrapper(['-p', 'go'], { env: { CLAUDE_OTEL_CLAUDE_BIN: fake } });
    assert.equal(text.exitCode, 2);
    assert.ok(text.stdout.subarray(0, noise.length).equals(noise), 'text: a line that is not stream-json keeps its bytes');
    const root = await waitForSession(s.receiver);
    assert.equal(intAttr(root, 'process.exit.code'), 2);
  } finally {
    await s.close();
  }
});

test("a line over 64 MB passes through byte for byte, unparsed, and the exit status is claude's", async () => {
  const s = await startScenario([]);
  try {
    const recorded = readFileSync(new URL('../fixtures/streams/formats/three-tools.stream-json-verbose.jsonl', import.meta.url), 'utf8')
      .trimEnd()
      .split('\n');
    const head = join(s.sandbox.home, 'head.jsonl');
    const tail = join(s.sandbox.home, 'tail.jsonl');
    await writeFile(head, `${recorded.slice(0, 2).join('\n')}\n`);
    await writeFile(tail, `\n${recorded.slice(2).join('\n')}\n`);
    // A 70 MB line in the middle (as a tool result that large would be), written in pieces.
    const fake = await fakeClaude(
      s,
      'fake-claude',
      `cat '${head}'\nprintf '{"type":"user","big":"'\nhead -c 70000000 /dev/zero | tr '\\0' 'x'\nprintf '"}'\ncat '${tail}'\nexit 3`,
    );
    const bare = await runCommand(fake, [], { sandbox: s.sandbox });
    assert.ok(bare.stdout.length > 70_000_000);
    for (const args of [
      ['--output-format', 'stream-json', '--verbose'],
      ['--output-format', 'stream-json', '--verbose', '--include-partial-messages'],
    ]) {
      const wrapped = await s.wrapper(['-p', 'go', ...args], { env: { CLAUDE_OTEL_CLAUDE_BIN: fake } });
      assert.equal(wrapped.exitCode, 3, wrapped.stderr.slice(0, 500));
      assert.equal(wrapped.stderr, '');
      assert.equal(wrapped.stdout.length, bare.stdout.length);
      assert.equal(sha(wrapped.stdout), sha(bare.stdout));
    }
    // The lines around it are still read: the session and its tools are recorded.
    const root = await waitForSession(s.receiver);
    assert.equal(intAttr(root, 'process.exit.code'), 3);
  } finally {
    await s.close();
  }
});

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Whether `atExit` (given to endedBy) held when the command exited. */
  atExit: boolean;
}

/**
 * Starts `file`, lets `kill` end it (or its claude), and reports how a Node caller saw it end.
 * `kill` gets the pid and a wait for a pattern on the command's stderr.
 */
function endedBy(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  kill: (pid: number, stderrMatch: (pattern: RegExp) => Promise<RegExpExecArray>) => void | Promise<void>,
  atExit: () => boolean = () => true,
): Promise<Ended> {
  const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.resume();
  let heldAtExit = false;
  child.once('exit', () => (heldAtExit = atExit()));
  const closed = new Promise<Ended>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr, atExit: heldAtExit })));
  const stderrMatch = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stderr);
        if (!match) return;
        child.stderr.off('data', check);
        resolve(match);
      };
      child.stderr.on('data', check);
      child.once('close', () => reject(new Error(`ended before writing ${pattern} on stderr: ${stderr}`)));
      check();
    });
  void Promise.resolve(kill(child.pid ?? 0, stderrMatch));
  return closed;
}

/** The pid of `parent`'s child process (called once claude has shown it runs: it is the wrapper's child). */
function childOf(parent: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no child of ${parent}`);
}

test('claude killed by SIGKILL: a Node caller sees the wrapper end by SIGKILL too, as with bare claude; the session is recorded', async () => {
  const slow = { kind: 'text' as const, text: 'never', delayMs: 30_000 };
  const s = await startScenario([slow, slow]);
  try {
    const waitForModel = (seen: number) => s.stub.waitForRequests((requests) => requests.filter((r) => r.agentLoop).length > seen);
    let seen = s.stub.requests.filter((r) => r.agentLoop).length;
    const bare = await endedBy(CLAUDE_BIN, ['-p', 'slow'], s.sandbox.env, s.sandbox.cwd, async (pid) => {
      await waitForModel(seen);
      process.kill(pid, 'SIGKILL');
    });
    assert.equal(bare.signal, 'SIGKILL');
    seen = s.stub.requests.filter((r) => r.agentLoop).length;
    const wrapped = await endedBy(WRAPPER_BIN, ['-p', 'slow'], { ...s.sandbox.env, ...s.env() } as NodeJS.ProcessEnv, s.sandbox.cwd, async (pid) => {
      // claude's call to the API shows that it runs.
      await waitForModel(seen);
      process.kill(childOf(pid), 'SIGKILL');
    });
    assert.equal(wrapped.signal, bare.signal, wrapped.stderr);
    assert.equal(wrapped.code, bare.code);
    const root = await waitForSession(s.receiver);
    assert.equal(root.attributes['claude.signal'], 'SIGKILL');
    assert.equal(intAttr(root, 'process.exit.code'), 137, 'the recorded figure stays 128+N');
  } finally {
    await s.close();
  }
});

for (const [signal, argSets] of [
  ['SIGTERM', [['-p', 'go', '--output-format', 'stream-json', '--verbose'], ['-p', 'go'], ['--version']]],
  // Once passed on by no one: SIGUSR1 opened Node's inspector, SIGUSR2 and SIGALRM left claude running alone.
  ['SIGUSR1', [['-p', 'go', '--output-format', 'stream-json', '--verbose'], ['--version']]],
  ['SIGUSR2', [['-p', 'go'], ['--version']]],
  ['SIGALRM', [['-p', 'go', '--input-format', 'stream-json', '--output-format', 'stream-json', '--verbose']]],
] as const) {
  test(`${signal} sent to the wrapper reaches claude; claude dies of it, and so does the wrapper (its own handlers removed first)`, async () => {
    const s = await startScenario([]);
    try {
      // A claude that does not handle SIGTERM: it dies of it. The signal is sent as soon as claude
      // has started (its stderr reaches the caller as it is written), the wrapper being at its
      // busiest then; claude must be gone when the wrapper ends.
      const fake = await fakeClaude(s, 'fake-claude', 'echo "started $$" >&2\nexec sleep 30');
      const killed = () => {
        let claudePid = 0;
        const kill = async (pid: number, stderrMatch: (pattern: RegExp) => Promise<RegExpExecArray>) => {
          claudePid = Number((await stderrMatch(/started (\d+)/))[1]);
          process.kill(pid, signal);
        };
        return { kill, claudeGone: () => claudePid > 0 && !existsSync(`/proc/${claudePid}`) };
      };
      const bareKill = killed();
      const bare = await endedBy(fake, [], s.sandbox.env, s.sandbox.cwd, bareKill.kill, bareKill.claudeGone);
      assert.equal(bare.signal, signal);
      assert.ok(bare.atExit);
      const env = { ...s.sandbox.env, ...s.env({ CLAUDE_OTEL_CLAUDE_BIN: fake }) } as NodeJS.ProcessEnv;
      for (const args of argSets) {
        const wrappedKill = killed();
        const wrapped = await endedBy(WRAPPER_BIN, [...args], env, s.sandbox.cwd, wrappedKill.kill, wrappedKill.claudeGone);
        assert.equal(wrapped.signal, signal, `${args.join(' ')}: ${wrapped.stderr}`);
        assert.doesNotMatch(wrapped.stderr, /Debugger listening/);
        assert.equal(wrapped.code, null);
        assert.ok(wrapped.atExit, `${args.join(' ')}: claude had ended when the wrapper did`);
      }
    } finally {
      await s.close();
    }
  });
}

test("a SIGUSR1 before claude is started ends the wrapper by it; Node's inspector never opens", async () => {
  const s = await startScenario([]);
  try {
    // --otel-version asks claude for its version before any session: this claude signals the wrapper then.
    const fake = await fakeClaude(s, 'fake-claude', 'kill -USR1 $PPID\necho "9.9.9 (Claude Code)"');
    const env = { ...s.sandbox.env, ...s.env({ CLAUDE_OTEL_CLAUDE_BIN: fake }) } as NodeJS.ProcessEnv;
    const wrapped = await endedBy(WRAPPER_BIN, ['--otel-version'], env, s.sandbox.cwd, () => {});
    assert.doesNotMatch(wrapped.stderr, /Debugger listening/);
    assert.deepEqual({ code: wrapped.code, signal: wrapped.signal }, { code: null, signal: 'SIGUSR1' });
  } finally {
    await s.close();
  }
});

test('a claude whose #! interpreter is missing: one line saying so, exit 127, in every mode', async () => {
  const s = await startScenario([]);
  try {
    const broken = join(s.sandbox.home, 'broken-claude');
    await writeFile(broken, '#!/nonexistent/interp\necho hi\n');
    await chmod(broken, 0o755);
    for (const args of [['-p', 'hi'], ['-p', 'hi', '--output-format', 'json'], ['--version']]) {
      const run = await s.wrapper(args, { env: { CLAUDE_OTEL_CLAUDE_BIN: broken } });
      assert.equal(run.exitCode, 127, args.join(' '));
      assert.equal(run.stdout.length, 0);
      assert.equal(run.stderr, `claude-otel: cannot run claude (${broken}): its interpreter /nonexistent/interp is not found\n`);
    }
  } finally {
    await s.close();
  }
});

test('runClaude() reports the signal that ended claude and never signals its host program', async () => {
  const s = await startScenario([]);
  try {
    const fake = await fakeClaude(s, 'fake-claude', 'kill -TERM $$');
    const host = fileURLToPath(new URL('../support/host-program.ts', import.meta.url));
    const run = await runCommand(process.execPath, ['--import', import.meta.resolve('tsx'), host], {
      sandbox: s.sandbox,
      env: s.env({ HOST_PROVIDERS: 'none', CLAUDE_OTEL_CLAUDE_BIN: fake }),
    });
    assert.equal(run.signal, undefined, 'the host was not signalled');
    assert.equal(run.exitCode, 0, run.stderr);
    const out = JSON.parse(run.stdout.toString()) as { result: { exitCode: number; signal: string } };
    assert.equal(out.result.signal, 'SIGTERM');
    assert.equal(out.result.exitCode, 143);
  } finally {
    await s.close();
  }
});

test('under `ulimit -f`, a claude that dies of SIGXFSZ ends the wrapper by SIGXFSZ too (a signal Node ignores)', async () => {
  const s = await startScenario([]);
  try {
    // A file-size limit of 1 block, set by the shell that then runs the command; the claude
    // writes past it and the kernel ends it with SIGXFSZ. Node itself ignores SIGXFSZ.
    const fake = await fakeClaude(s, 'fake-claude', `exec head -c 65536 /dev/zero > '${s.sandbox.home}/too-big'`);
    const limited = (file: string, args: string[], env: NodeJS.ProcessEnv) =>
      endedBy('/bin/bash', ['-c', 'ulimit -f 1; exec "$0" "$@"', file, ...args], env, s.sandbox.cwd, () => {});
    const bare = await limited(fake, [], s.sandbox.env);
    assert.equal(bare.signal, 'SIGXFSZ', bare.stderr);
    const env = { ...s.sandbox.env, ...s.env({ CLAUDE_OTEL_CLAUDE_BIN: fake }) } as NodeJS.ProcessEnv;
    for (const args of [['-p', 'go'], ['--version']]) {
      const wrapped = await limited(WRAPPER_BIN, args, env);
      assert.equal(wrapped.signal, 'SIGXFSZ', `${args.join(' ')}: ${wrapped.stderr}`);
      assert.equal(wrapped.code, null);
    }
  } finally {
    await s.close();
  }
});

test('a claude that dies of SIGPIPE (which Node ignores) ends the wrapper by SIGPIPE too', async () => {
  const s = await startScenario([]);
  try {
    const fake = await fakeClaude(s, 'fake-claude', 'kill -PIPE $$');
    const bare = await endedBy(fake, [], s.sandbox.env, s.sandbox.cwd, () => {});
    assert.equal(bare.signal, 'SIGPIPE', bare.stderr);
    const env = { ...s.sandbox.env, ...s.env({ CLAUDE_OTEL_CLAUDE_BIN: fake }) } as NodeJS.ProcessEnv;
    const wrapped = await endedBy(WRAPPER_BIN, ['-p', 'go'], env, s.sandbox.cwd, () => {});
    assert.equal(wrapped.signal, 'SIGPIPE', wrapped.stderr);
  } finally {
    await s.close();
  }
});
