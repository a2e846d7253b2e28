import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hookSettings, shellQuote, spoolHookCommand } from '../../../../src/sources/hooks/hook-settings.ts';
import { argsWithHookSettings } from '../../../../src/sources/hooks/settings-args.ts';
import { HOOK_EVENTS } from '../../../../src/sources/hooks/hook-events.ts';

// The hook command runs under /bin/sh, as claude runs it (`/bin/sh -c <command>`).

function runHook(command: string, stdin: string | Buffer): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(stdin);
  });
}

function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `claude-otel-test-${name}-`));
}

test('the hook writes the payload, byte for byte, to a file of its own, silently, and exits 0', async () => {
  const dir = tempDir("it's a dir with spaces");
  try {
    const payload = JSON.stringify({ hook_event_name: 'PreToolUse', text: 'ünïcode \'quotes\' "double" $HOME `x`' });
    const result = await runHook(spoolHookCommand(dir), payload);
    assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
    const files = readdirSync(dir);
    assert.equal(files.length, 1);
    assert.match(files[0] ?? '', /^\d+\.json$/);
    assert.equal(readFileSync(join(dir, files[0] ?? ''), 'utf8'), payload);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without its spool (the wrapper is gone) the hook still exits 0 and says nothing: exit 2 would block the tool', async () => {
  const parent = tempDir('gone');
  try {
    const result = await runHook(spoolHookCommand(join(parent, 'missing')), '{"a":1}');
    assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});

test('concurrent hooks with payloads larger than a pipe buffer never mix', async () => {
  const dir = tempDir('concurrent');
  try {
    const payloads = Array.from({ length: 12 }, (_, i) => JSON.stringify({ i, data: String(i % 10).repeat(300_000) }));
    const results = await Promise.all(payloads.map((p) => runHook(spoolHookCommand(dir), p)));
    assert.ok(results.every((r) => r.code === 0));
    const written = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8'));
    assert.deepEqual(written.sort(), [...payloads].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('shellQuote survives sh', () => {
  for (const text of ['plain', "it's", 'a b\tc', '$(rm -rf /)', "'''", '"\\']) {
    const out = spawnSync('/bin/sh', ['-c', `printf %s ${shellQuote(text)}`], { encoding: 'utf8' });
    assert.equal(out.stdout, text);
  }
});

test('hook settings: one command hook on every event the wrapper reads', () => {
  const settings = hookSettings('/tmp/spool');
  assert.deepEqual(Object.keys(settings.hooks).sort(), [...HOOK_EVENTS].sort());
  for (const matchers of Object.values(settings.hooks)) {
    assert.deepEqual(matchers, [{ hooks: [{ type: 'command', command: spoolHookCommand('/tmp/spool') }] }]);
  }
});

const ours = hookSettings('/tmp/spool');
const noFile = (): string => {
  throw new Error('no file');
};

test('settings args: ours go in front when the user gave none', () => {
  const args = argsWithHookSettings(['--allowedTools', 'Bash', 'Read', '--', 'a prompt'], ours, noFile);
  assert.deepEqual(args, ['--settings', JSON.stringify(ours), '--allowedTools', 'Bash', 'Read', '--', 'a prompt']);
});

test('settings args: the user’s inline --settings is merged (claude keeps only the last one)', () => {
  const user = { model: 'sonnet', hooks: { UserPromptSubmit: [{ hooks: [{ type: 'command', command: 'echo mine' }] }], Notification: [] } };
  const args = argsWithHookSettings(['--model', 'x', '--settings', JSON.stringify(user), 'hi'], ours, noFile);
  assert.ok(args);
  assert.deepEqual(args.slice(2), ['--model', 'x', 'hi']);
  const merged = JSON.parse(args[1] ?? '') as { model: string; hooks: Record<string, unknown[]> };
  assert.equal(merged.model, 'sonnet');
  assert.deepEqual(merged.hooks.Notification, []);
  assert.deepEqual(merged.hooks.UserPromptSubmit, [...user.hooks.UserPromptSubmit, ...(ours.hooks.UserPromptSubmit ?? [])]);
  assert.deepEqual(merged.hooks.Stop, ours.hooks.Stop);
});

test('settings args: a settings file (also as --settings=path) is read and merged', () => {
  const read = (path: string) => {
    assert.equal(path, 'my settings.json');
    return JSON.stringify({ env: { A: '1' } });
  };
  const args = argsWithHookSettings(['--settings=my settings.json'], ours, read);
  assert.ok(args);
  assert.deepEqual(JSON.parse(args[1] ?? ''), { env: { A: '1' }, ...ours });
});

test('settings args: settings that cannot be read or merged leave the arguments to claude', () => {
  assert.equal(argsWithHookSettings(['--settings', 'missing.json'], ours, noFile), undefined);
  assert.equal(argsWithHookSettings(['--settings', '{not json'], ours, noFile), undefined);
  assert.equal(argsWithHookSettings(['--settings', '{"hooks": []}'], ours, noFile), undefined);
  assert.equal(argsWithHookSettings(['--settings'], ours, noFile), undefined);
});

test('settings args: after --, nothing is an option', () => {
  const args = argsWithHookSettings(['--', '--settings', 'x'], ours, noFile);
  assert.deepEqual(args, ['--settings', JSON.stringify(ours), '--', '--settings', 'x']);
});
