import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claudeVersionOf } from '../../../src/launch/claude-version.ts';
import { CLAUDE_BIN, CLAUDE_CLI_VERSION } from '../../support/claude-run.ts';

test('the CLI under test (the npm package, or the Agent SDK platform package for the newest build)', () => {
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

test('the Agent SDK platform package: the CLI version its SDK of the same release names', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claude-otel-version-'));
  try {
    const platform = join(dir, 'node_modules', '@anthropic-ai', 'claude-agent-sdk-linux-x64');
    const sdk = join(dir, 'node_modules', '@anthropic-ai', 'claude-agent-sdk');
    mkdirSync(platform, { recursive: true });
    mkdirSync(sdk, { recursive: true });
    writeFileSync(join(platform, 'claude'), '');
    writeFileSync(join(platform, 'package.json'), JSON.stringify({ name: '@anthropic-ai/claude-agent-sdk-linux-x64', version: '0.3.400' }));
    writeFileSync(join(sdk, 'package.json'), JSON.stringify({ name: '@anthropic-ai/claude-agent-sdk', version: '0.3.400', claudeCodeVersion: '2.1.400' }));
    assert.equal(claudeVersionOf(join(platform, 'claude')), '2.1.400');
    // An SDK of another release says nothing about this binary.
    writeFileSync(join(sdk, 'package.json'), JSON.stringify({ name: '@anthropic-ai/claude-agent-sdk', version: '0.3.401', claudeCodeVersion: '2.1.401' }));
    assert.equal(claudeVersionOf(join(platform, 'claude')), 'unknown');
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
