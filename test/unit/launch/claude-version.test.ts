import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claudeVersionOf } from '../../../src/launch/claude-version.ts';
import { CLAUDE_BIN, CLAUDE_CLI_VERSION } from '../../support/claude-run.ts';

test('the npm package: the version in its package.json', () => {
  assert.equal(claudeVersionOf(CLAUDE_BIN), CLAUDE_CLI_VERSION);
  assert.match(CLAUDE_CLI_VERSION, /^2\.1\.\d+$/);
});

test('the native installer: the version is the name of the file the link points to', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claude-otel-version-'));
  try {
    mkdirSync(join(dir, 'versions'));
    writeFileSync(join(dir, 'versions', '2.1.300'), '');
    symlinkSync(join(dir, 'versions', '2.1.300'), join(dir, 'claude'));
    assert.equal(claudeVersionOf(join(dir, 'claude')), '2.1.300');
    writeFileSync(join(dir, 'other'), '');
    assert.equal(claudeVersionOf(join(dir, 'other')), 'unknown');
    assert.equal(claudeVersionOf(join(dir, 'missing')), 'unknown');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the platform package: its package.json's version; another package's is not taken", () => {
  const dir = mkdtempSync(join(tmpdir(), 'claude-otel-version-'));
  try {
    for (const [name, version] of [
      ['@anthropic-ai/claude-code-linux-x64', '2.1.197'],
      ['@anthropic-ai/claude-agent-sdk-linux-x64', '0.3.337'],
    ] as const) {
      const pkg = join(dir, name.replace('/', '+'));
      mkdirSync(pkg);
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name, version }));
      writeFileSync(join(pkg, 'claude'), '');
    }
    assert.equal(claudeVersionOf(join(dir, '@anthropic-ai+claude-code-linux-x64', 'claude')), '2.1.197');
    assert.equal(claudeVersionOf(join(dir, '@anthropic-ai+claude-agent-sdk-linux-x64', 'claude')), 'unknown');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
