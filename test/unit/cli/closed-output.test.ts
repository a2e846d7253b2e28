import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The reader of the wrapper's output goes away (`| head -c1`): claude's next write fails as it
// would bare, claude dies of SIGPIPE, the wrapper ends by it too, and the session is stored.

const CLI = fileURLToPath(new URL('../../../src/cli/claude-otel.ts', import.meta.url));

// As bin/claude-otel.js does it.
const WRAPPER = `
const { main, endLikeClaude } = await import(${JSON.stringify(CLI)});
main(process.argv.slice(1), process.env, []).then((exit) =>
  process.stdout.destroyed ? endLikeClaude(exit) : process.stdout.write('', () => endLikeClaude(exit)),
);
`;

// Writes a line every 10 ms for 30 s, unless a write kills it: a claude that keeps talking.
const FAKE = `#!/bin/bash
line='{"type":"system","subtype":"init","session_id":"11111111-2222-3333-4444-555555555555"}'
for i in $(seq 1 3000); do printf '%s\\n' "$line"; sleep 0.01; done
`;

for (const [mode, args] of [
  ['print', ['-p', 'hi', '--output-format', 'stream-json', '--verbose']],
  ['SDK', ['-p', '--input-format', 'stream-json', '--output-format', 'stream-json', '--verbose']],
] as const) {
  test(`${mode} mode: a reader that goes away ends claude by SIGPIPE, and the wrapper the same way; the session is stored`, { timeout: 20_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claude-otel-closed-'));
    const fake = join(dir, 'claude');
    writeFileSync(fake, FAKE);
    chmodSync(fake, 0o755);
    const stateDir = join(dir, 'state');
    try {
      const env = {
        ...process.env,
        CLAUDE_OTEL_CLAUDE_BIN: fake,
        CLAUDE_OTEL_STATE_DIR: stateDir,
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'none',
        // Room to load the telemetry on a busy machine (SDK mode allows it 500 ms beyond the budget).
        CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '15000',
      };
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', WRAPPER, '--', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      child.stdin.end();
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('close', (code, signal) => resolve({ code, signal })),
      );
      // The first bytes read, the reader goes, as `head -c1` does.
      child.stdout.once('data', () => child.stdout.destroy());
      const how = await ended;
      assert.deepEqual(how, { code: null, signal: 'SIGPIPE' }, err);
      assert.equal(err, '');
      const sessions = readdirSync(join(stateDir, 'sessions'), { recursive: true, encoding: 'utf8' });
      assert.equal(sessions.filter((name) => name.endsWith('meta.json')).length, 1, sessions.join(', '));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
