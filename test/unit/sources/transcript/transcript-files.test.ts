import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectDirName, readTranscript, writesCostState } from '../../../../src/sources/transcript/transcript-files.ts';
import type { TranscriptLine } from '../../../../src/sources/transcript/transcript-lines.ts';

// Reading a transcript for `import`: damaged and unknown lines are counted, never an error;
// claude's own bookkeeping lines are neither read nor counted.

function withFile(text: string, check: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'transcript-files-'));
  try {
    const path = join(dir, 's.jsonl');
    writeFileSync(path, text);
    check(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const prompt = JSON.stringify({ type: 'user', timestamp: '2026-12-06T10:00:00.000Z', sessionId: 's', uuid: 'u1', message: { role: 'user', content: 'hi' } });

test('a damaged line and a line of an unknown kind are skipped and counted; bookkeeping lines are not counted', () => {
  const text = [
    prompt,
    '{"type":"user","timestamp":"2026-12-06T10:00:01.000Z","message":',
    JSON.stringify({ type: 'something-new', sessionId: 's' }),
    JSON.stringify({ type: 'queue-operation', operation: 'enqueue', sessionId: 's' }),
    JSON.stringify({ type: 'user', timestamp: 7, message: {} }),
    JSON.stringify({ type: 'last-prompt', lastPrompt: 'hi', sessionId: 's' }),
    '',
  ].join('\n');
  withFile(text, (path) => {
    const lines: TranscriptLine[] = [];
    let skipped = 0;
    readTranscript(
      path,
      (line) => lines.push(line),
      () => skipped++,
    );
    assert.equal(skipped, 3);
    assert.deepEqual(
      lines.map((l) => l.kind),
      ['user', 'other', 'other', 'other', 'other', 'run_end'],
    );
  });
});

test('writesCostState finds the line anywhere, across the reads of a large file', () => {
  withFile(`${prompt}\n`.repeat(3), (path) => assert.equal(writesCostState(path), false));
  const filler = `${JSON.stringify({ type: 'attachment', data: 'x'.repeat((1 << 20) - 40) })}\n`;
  withFile(`${filler}{"type":"cost-state","sessionId":"s"}\n`, (path) => assert.equal(writesCostState(path), true));
});

test('the project directory of a working directory, as claude names it', () => {
  assert.equal(projectDirName('/home/user/my.project_x'), '-home-user-my-project-x');
});
