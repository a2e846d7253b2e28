import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startScenario, waitForSession, intAttr, WRAPPER_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { runCommand } from '../support/claude-run.ts';

// Claude here is a script in its place, so these run against one CLI only (scripts/test-matrix.ts).
// What claude's output can be that the real CLI cannot be made to produce on demand: a pipe cut
// in the middle of the last line, bytes that are not UTF-8 inside a stream-json line, and more
// output than whoever reads ours takes. Each is played by a small script in claude's place.

const RECORDED = readFileSync(new URL('../fixtures/streams/formats/three-tools.stream-json-verbose.jsonl', import.meta.url), 'utf8')
  .trimEnd()
  .split('\n');
const ANSWER = readFileSync(new URL('../fixtures/streams/formats/three-tools.text.txt', import.meta.url), 'utf8');

async function fakeClaude(s: Scenario, name: string, script: string): Promise<string> {
  const path = join(s.sandbox.home, name);
  await writeFile(path, `#!/bin/bash\n${script}\n`);
  await chmod(path, 0o755);
  return path;
}

test("claude's output cut in the middle of its result line: text prints the answer, never JSON; stream-json the bytes that came", async () => {
  const s = await startScenario([]);
  try {
    const result = RECORDED.at(-1) ?? '';
    assert.match(result, /^\{"type":"result"/);
    const data = join(s.sandbox.home, 'cut.jsonl');
    // Everything up to the result line, then half of it and no newline: the pipe was cut there.
    const cut = Buffer.from(`${RECORDED.slice(0, -1).join('\n')}\n${result.slice(0, Math.floor(result.length / 2))}`);
    await writeFile(data, cut);
    const fake = await fakeClaude(s, 'fake-claude', `cat '${data}'`);
    const text = await s.wrapper(['-p', 'go'], { env: { CLAUDE_OTEL_CLAUDE_BIN: fake } });
    assert.equal(text.exitCode, 0);
    assert.equal(text.stdout.toString(), ANSWER);
    const streamed = await s.wrapper(['-p', 'go', '--output-format', 'stream-json', '--verbose'], { env: { CLAUDE_OTEL_CLAUDE_BIN: fake } });
    assert.ok(streamed.stdout.equals(cut), 'stream-json: the bytes that came, cut line included');
    const root = await waitForSession(s.receiver);
    assert.equal(intAttr(root, 'process.exit.code'), 0);
  } finally {
    await s.close();
  }
});

test('a 1 MB answer whose result line is cut short: text prints the whole answer from the assistant line that came', async () => {
  const s = await startScenario([]);
  try {
    const answer = `${'The answer, at length. '.repeat(45_600)}End.`;
    assert.ok(Buffer.byteLength(answer) > 1_000_000);
    const lastAssistant = RECORDED.findLast((line) => line.startsWith('{"type":"assistant"')) ?? '';
    const assistant = JSON.parse(lastAssistant) as { message: { content: unknown[] } };
    assistant.message.content = [{ type: 'text', text: answer }];
    const result = JSON.parse(RECORDED.at(-1) ?? '{}') as Record<string, unknown>;
    result.result = answer;
    const resultLine = JSON.stringify(result);
    const data = join(s.sandbox.home, 'cut-large.jsonl');
    const lines = RECORDED.slice(0, -1).filter((line) => line !== lastAssistant);
    await writeFile(data, `${[...lines, JSON.stringify(assistant)].join('\n')}\n${resultLine.slice(0, Math.floor(resultLine.length / 2))}`);
    const fake = await fakeClaude(s, 'fake-claude', `cat '${data}'`);
    const text = await s.wrapper(['-p', 'go'], { env: { CLAUDE_OTEL_CLAUDE_BIN: fake } });
    assert.equal(text.exitCode, 0);
    assert.ok(
      text.stdout.equals(Buffer.from(`${answer}\n`)),
      `the answer, whole: ${text.stdout.length} bytes, starting ${text.stdout.subarray(0, 40).toString()}`,
    );
  } finally {
    await s.close();
  }
});

test('bytes that are not UTF-8 inside a stream-json line pass through as they came when the wrapper rewrote the arguments', async () => {
  const s = await startScenario([]);
  try {
    // An assistant text with a lone 0xff and a cut three-byte sequence in it: still a JSON line.
    const line = RECORDED.findIndex((l) => l.includes('"text":"All done."'));
    assert.ok(line > 0);
    const [before, after] = (RECORDED[line] ?? '').split('All done.');
    const bad = Buffer.concat([Buffer.from(`${before}All`), Buffer.from([0xff, 0xe2, 0x82]), Buffer.from(`done.${after}`)]);
    const data = join(s.sandbox.home, 'bad.jsonl');
    await writeFile(
      data,
      Buffer.concat([Buffer.from(`${RECORDED.slice(0, line).join('\n')}\n`), bad, Buffer.from(`\n${RECORDED.slice(line + 1).join('\n')}\n`)]),
    );
    const fake = await fakeClaude(s, 'fake-claude', `cat '${data}'`);
    const bare = await runCommand(fake, [], { sandbox: s.sandbox });
    // Without --include-partial-messages the wrapper asks for it: every line is read and written again.
    const wrapped = await s.wrapper(['-p', 'go', '--output-format', 'stream-json', '--verbose'], { env: { CLAUDE_OTEL_CLAUDE_BIN: fake } });
    assert.equal(wrapped.exitCode, 0);
    assert.ok(wrapped.stdout.equals(bare.stdout), 'every byte as claude wrote it');
    await waitForSession(s.receiver);
  } finally {
    await s.close();
  }
});

/**
 * Runs the wrapper with a heap far too small for claude's output and reads the wrapper's stdout
 * slowly, a chunk per timer tick (a pager, a slow pipe): a wrapper that read claude on regardless
 * would hold the difference and run out of memory.
 */
function readSlowly(s: Scenario, args: string[], fake: string, stdin: string): Promise<{ code: number | null; stdout: number; stderr: string }> {
  const child = spawn(process.execPath, ['--max-old-space-size=40', WRAPPER_BIN, ...args], {
    cwd: s.sandbox.cwd,
    env: { ...s.sandbox.env, ...s.env({ CLAUDE_OTEL_CLAUDE_BIN: fake }) } as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end(stdin);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  let stdout = 0;
  let closed = false;
  const tick = () => {
    if (closed) return;
    const chunk: Buffer | null = child.stdout.read(64 * 1024) ?? child.stdout.read();
    if (chunk) stdout += chunk.length;
    setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      closed = true;
      for (let rest: Buffer | null = child.stdout.read(); rest; rest = child.stdout.read()) stdout += rest.length;
      resolve({ code, stdout, stderr });
    }),
  );
}

/** A claude that writes the recorded session with `lines` lines of 64 KB in the middle: output the reader takes slowly. */
async function copiousClaude(s: Scenario, lines: number): Promise<{ path: string; bytes: number }> {
  const head = join(s.sandbox.home, 'head.jsonl');
  const tail = join(s.sandbox.home, 'tail.jsonl');
  await writeFile(head, `${RECORDED.slice(0, 2).join('\n')}\n`);
  await writeFile(tail, `${RECORDED.slice(2).join('\n')}\n`);
  const big = `{"type":"system","subtype":"volume_test","data":"${'x'.repeat(64 * 1024)}"}`;
  const bytes = Buffer.byteLength(`${RECORDED.join('\n')}\n`) + lines * (big.length + 1);
  const path = await fakeClaude(s, 'copious-claude', `cat '${head}'\nyes '${big}' | head -n ${lines}\ncat '${tail}'`);
  return { path, bytes };
}

test("a slow reader of the wrapper's output slows claude down instead of filling the wrapper's memory (print and SDK mode)", async () => {
  const s = await startScenario([]);
  try {
    // 256 MB of output against a 40 MB heap.
    const { path, bytes } = await copiousClaude(s, 4000);
    const print = await readSlowly(s, ['-p', 'go', '--output-format', 'stream-json', '--verbose'], path, '');
    assert.equal(print.code, 0, print.stderr.slice(-2000));
    assert.equal(print.stdout, bytes);
    const sdk = await readSlowly(
      s,
      ['-p', '--input-format', 'stream-json', '--output-format', 'stream-json', '--verbose'],
      path,
      `${JSON.stringify({ type: 'user', message: { role: 'user', content: 'go' } })}\n`,
    );
    assert.equal(sdk.code, 0, sdk.stderr.slice(-2000));
    assert.equal(sdk.stdout, bytes);
  } finally {
    await s.close();
  }
});
