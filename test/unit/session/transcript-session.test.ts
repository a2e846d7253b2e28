import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import { TranscriptSessionReader } from '../../../src/session/from-transcript.ts';
import type { RunStart, SubagentTranscripts } from '../../../src/session/from-transcript.ts';
import type { SessionEvent } from '../../../src/session/events.ts';
import { listSessionTranscripts, readTranscript, subagentFiles, writesCostState } from '../../../src/sources/transcript/transcript-files.ts';

// Real transcripts of both supported CLIs (test/fixtures/transcripts/), read as `import` reads
// them: runs, prompts, calls, tools, exit codes and subagents, checked against the files.

const FIXTURES = fileURLToPath(new URL('../../fixtures/transcripts/', import.meta.url));

interface Run {
  start: RunStart;
  events: SessionEvent[];
  ended: boolean;
}

/** Every run of the one session in a fixture directory (laid out as `<config dir>/projects/<project>/`). */
function readFixture(name: string, root = FIXTURES): { runs: Run[]; skipped: number; sessionId: string; dir: string } {
  const dir = join(root, name);
  const [transcript] = listSessionTranscripts(root, [name]);
  assert.ok(transcript, `a transcript in ${name}`);
  const files = subagentFiles(transcript.path);
  let skipped = 0;
  const subagents: SubagentTranscripts = {
    byToolUse: (id) => {
      const file = files.find((f) => f.toolUseId === id);
      return file && { agentId: file.agentId, background: file.background, read: (onLine) => readTranscript(file.path, onLine, () => skipped++) };
    },
    byAgentId: () => undefined,
  };
  const runs: Run[] = [];
  const reader = new TranscriptSessionReader({
    sessionId: transcript.sessionId,
    subagents,
    writesCostState: writesCostState(transcript.path),
    captureContent: false,
    startRun: (start) => {
      const run: Run = { start, events: [], ended: false };
      runs.push(run);
      return { handle: (event) => run.events.push(event), end: () => (run.ended = true) };
    },
  });
  readTranscript(
    transcript.path,
    (line) => reader.push(line),
    () => skipped++,
  );
  reader.finish();
  return { runs, skipped, sessionId: transcript.sessionId, dir };
}

function ofKind<K extends SessionEvent['kind']>(events: SessionEvent[], kind: K): Extract<SessionEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<SessionEvent, { kind: K }> => e.kind === kind);
}

/** Output tokens per message id as the files say (the largest figure of a call's lines), summed. */
function fileOutputTokens(dir: string): number {
  const byId = new Map<string, number>();
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.jsonl')) {
        for (const text of readFileSync(full, 'utf8').split('\n')) {
          if (!text) continue;
          const line = JSON.parse(text) as { type?: string; message?: { id?: string; model?: string; usage?: { output_tokens?: number } } };
          const id = line.message?.id;
          if (line.type !== 'assistant' || !id || line.message?.model === '<synthetic>' || !line.message?.usage) continue;
          byId.set(id, Math.max(byId.get(id) ?? 0, line.message.usage.output_tokens ?? 0));
        }
      }
    }
  };
  walk(dir);
  return [...byId.values()].reduce((a, b) => a + b, 0);
}

function chatOutput(runs: Run[]): number {
  return runs.flatMap((r) => ofKind(r.events, 'chat')).reduce((n, c) => n + c.usage.output, 0);
}

for (const [fixture, version, agentTool, background] of [
  ['print-2.1.197-resumed', '2.1.197', 'Task', false],
  ['print-2.1.337-resumed-background-agent', '2.1.337', 'Agent', true],
] as const) {
  test(`${fixture}: three runs, the first with the failing command and the subagent nested under its call`, () => {
    const { runs, skipped, sessionId, dir } = readFixture(fixture);
    assert.equal(skipped, 0, 'every line is one the CLI writes');
    assert.deepEqual(
      runs.map((r) => ofKind(r.events, 'prompt_start').map((p) => p.text)),
      [['do things'], ['again'], ['third']],
    );
    assert.deepEqual(
      runs.map((r) => r.start.resumed),
      [false, true, true],
    );
    for (const run of runs) {
      assert.ok(run.ended);
      const [start] = ofKind(run.events, 'session_start');
      assert.equal(start?.version, version);
      assert.equal(start?.mode, 'print');
      assert.equal(start?.source, 'transcript');
      assert.equal(start?.sessionId, sessionId);
      assert.equal(start?.resumedFrom, run.start.resumed ? sessionId : undefined);
      const [end] = ofKind(run.events, 'session_end');
      assert.equal(end?.exitCode, undefined, 'no exit status in a transcript');
      assert.equal(run.events[0]?.kind, 'session_start');
      assert.equal(run.events.at(-1)?.kind, 'session_end');
    }
    const first = runs[0]?.events ?? [];
    const tools = ofKind(first, 'tool_start');
    assert.deepEqual(
      tools.map((t) => [t.name, t.agent === null ? 'main' : 'sub']),
      [
        ['Bash', 'main'],
        [agentTool, 'main'],
        ['Bash', 'sub'],
      ],
    );
    const ends = ofKind(first, 'tool_end');
    const bash = ends.find((e) => e.toolUseId === tools[0]?.toolUseId);
    assert.equal(bash?.outcome.exitCode, 3);
    assert.equal(bash?.outcome.isError, true);
    // A failed command's result is its text alone: stdout and stderr sizes are not told apart, and stay absent.
    assert.equal(bash?.outcome.stdoutBytes, undefined);
    assert.equal(bash?.outcome.outputBytes, 'out\nerr'.length);
    const agentCall = tools[1];
    const [subagent] = ofKind(first, 'subagent_start');
    assert.equal(subagent?.toolUseId, agentCall?.toolUseId, 'under the call that started it');
    assert.equal(subagent?.background, background ? true : undefined);
    assert.equal(tools[2]?.agent, agentCall?.toolUseId);
    const subChats = ofKind(first, 'chat').filter((c) => c.agent === agentCall?.toolUseId);
    assert.equal(subChats.length, 2);
    assert.equal(ofKind(first, 'subagent_end')[0]?.toolUseId, agentCall?.toolUseId);
    // Every call once, with its largest figure: as the files say.
    assert.equal(chatOutput(runs), fileOutputTokens(dir));
    // Times are the transcript's, in order.
    for (const run of runs) for (const chat of ofKind(run.events, 'chat')) assert.ok(chat.start <= chat.end);
  });
}

for (const fixture of ['interactive-2.1.197-resumed', 'interactive-2.1.337-resumed']) {
  test(`${fixture}: two runs (two prompts, then the resumed one), the failing command's exit code`, () => {
    const { runs, skipped, dir } = readFixture(fixture);
    assert.equal(skipped, 0);
    assert.deepEqual(
      runs.map((r) => ofKind(r.events, 'prompt_start').map((p) => p.text)),
      [['run echo hi', 'second question'], ['resumed question']],
    );
    for (const run of runs) assert.equal(ofKind(run.events, 'session_start')[0]?.mode, 'interactive');
    const [bash] = ofKind(runs[0]?.events ?? [], 'tool_end');
    assert.equal(bash?.outcome.exitCode, 5);
    // The turn ends where claude says (turn_duration), not at the next prompt.
    const [firstEnd] = ofKind(runs[0]?.events ?? [], 'prompt_end');
    const [, secondStart] = ofKind(runs[0]?.events ?? [], 'prompt_start');
    assert.ok(firstEnd && secondStart && firstEnd.time <= secondStart.time);
    assert.equal(chatOutput(runs), fileOutputTokens(dir));
  });
}

/** A fixture's one session transcript: its path, session id and lines. */
function fixtureFile(name: string): { path: string; sessionId: string; lines: string[] } {
  const [transcript] = listSessionTranscripts(FIXTURES, [name]);
  assert.ok(transcript, `a transcript in ${name}`);
  const lines = readFileSync(transcript.path, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  return { path: transcript.path, sessionId: transcript.sessionId, lines };
}

test('a prompt written to the file after the answer to it (a busy terminal UI): the same runs as in order', () => {
  const name = 'interactive-2.1.337-resumed';
  const transcript = fixtureFile(name);
  const lines = transcript.lines;
  const kinds = lines.map((line) => {
    const parsed = JSON.parse(line) as { type?: string; message?: { content?: unknown } };
    return `${parsed.type}${Array.isArray(parsed.message?.content) ? '' : ':text'}`;
  });
  // As seen in a run on a loaded machine: the first prompt and its attachments after the model's first two lines.
  const prompt = kinds.indexOf('user:text');
  const firstAnswer = kinds.indexOf('assistant');
  assert.ok(prompt >= 0 && firstAnswer > prompt && kinds[firstAnswer + 1] === 'assistant');
  const attachments = kinds.slice(prompt + 1).findIndex((kind) => kind !== 'attachment') + 1;
  const moved = lines.splice(prompt, attachments);
  lines.splice(firstAnswer + 2 - moved.length, 0, ...moved);
  const root = mkdtempSync(join(tmpdir(), 'claude-otel-transcript-'));
  try {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, basename(transcript.path)), `${lines.join('\n')}\n`);
    const shuffled = readFixture(name, root);
    const inOrder = readFixture(name);
    assert.deepEqual(
      shuffled.runs.map((r) => r.events),
      inOrder.runs.map((r) => r.events),
    );
    assert.equal(ofKind(shuffled.runs[0]?.events ?? [], 'tool_start').length, 1, 'the first prompt’s tool call');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** A 2.1.197 fixture with `extra` lines put in before its line number `at`: each run's prompts, as `import` reads it. */
function promptsWithLines(name: string, at: number, extra: string[]): (string | undefined)[][] {
  const transcript = fixtureFile(name);
  const lines = transcript.lines;
  lines.splice(at, 0, ...extra);
  const root = mkdtempSync(join(tmpdir(), 'claude-otel-transcript-'));
  try {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, basename(transcript.path)), `${lines.join('\n')}\n`);
    return readFixture(name, root).runs.map((r) => ofKind(r.events, 'prompt_start').map((p) => p.text));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The line number of the first line holding `text`. */
function lineOf(name: string, text: string): number {
  const at = fixtureFile(name).lines.findIndex((line) => line.includes(text));
  assert.ok(at >= 0, `${text} in ${name}`);
  return at;
}

/** A line claude counts, of about `bytes`, and claude's settings written again as it writes them (`last-prompt` first, the rest not counted). */
function bytesThenSettings(sessionId: string, bytes: number): string[] {
  return [
    JSON.stringify({ type: 'attachment', sessionId, attachment: { type: 'x', content: 'x'.repeat(bytes) } }),
    JSON.stringify({ type: 'last-prompt', lastPrompt: 'earlier', sessionId }),
    JSON.stringify({ type: 'mode', mode: 'normal', sessionId }),
    JSON.stringify({ type: 'permission-mode', permissionMode: 'default', sessionId }),
  ];
}

test('before 2.1.332, terminal UI: a `last-prompt` line after 32 KiB, or for /rewind, ends no run; one after less does', () => {
  const name = 'interactive-2.1.197-resumed';
  const session = '0123dc9c-2190-4582-9a8e-9e9866006f3f';
  // The first run holds about 13 kB before its second prompt.
  const second = lineOf(name, '"content":"second question"');
  const oneRunThenResumed = [['run echo hi', 'second question'], ['resumed question']];
  assert.deepEqual(promptsWithLines(name, second, bytesThenSettings(session, 33 * 1024)), oneRunThenResumed);
  const rewind = JSON.stringify({ type: 'last-prompt', lastPrompt: 'run echo hi', leafUuid: 'x', explicit: true, sessionId: session });
  assert.deepEqual(promptsWithLines(name, second, [rewind]), oneRunThenResumed);
  assert.deepEqual(promptsWithLines(name, second, bytesThenSettings(session, 1024)), [['run echo hi'], ['second question'], ['resumed question']]);
});

test('before 2.1.332: a `last-prompt` line with a tool result after it ends no run (claude compacted, or wrote it on the way)', () => {
  const name = 'interactive-2.1.197-resumed';
  const firstResult = lineOf(name, '"type":"tool_result"');
  assert.deepEqual(promptsWithLines(name, firstResult, bytesThenSettings('0123dc9c-2190-4582-9a8e-9e9866006f3f', 1024)), [
    ['run echo hi', 'second question'],
    ['resumed question'],
  ]);
});

test('before 2.1.332, print mode: a `last-prompt` line after a turn ends the run, after any number of bytes (each process answers one prompt)', () => {
  const name = 'print-2.1.197-resumed';
  const transcript = fixtureFile(name);
  // 33 kB more before the line that ends the first process.
  const [bytes] = bytesThenSettings(transcript.sessionId, 33 * 1024);
  assert.ok(bytes);
  assert.deepEqual(promptsWithLines(name, lineOf(name, '"type":"last-prompt"'), [bytes]), [['do things'], ['again'], ['third']]);
});

test('before 2.1.332: a compaction goes on in the same run, and its summary is no prompt; a resumed session compacted at once is a run of its own', () => {
  const name = 'interactive-2.1.197-compacted';
  const { runs, skipped } = readFixture(name);
  assert.equal(skipped, 0);
  assert.deepEqual(
    runs.map((r) => ofKind(r.events, 'prompt_start').map((p) => p.text)),
    [['first question', 'second question', 'after compact']],
  );
  assert.deepEqual(
    ofKind(runs[0]?.events ?? [], 'compaction').map((c) => c.trigger),
    ['manual'],
  );
  // The first process ended after its second prompt; the one that resumed it compacted before its first prompt.
  const transcript = fixtureFile(name);
  const ended = JSON.stringify({ type: 'last-prompt', lastPrompt: 'second question', sessionId: transcript.sessionId });
  assert.deepEqual(promptsWithLines(name, lineOf(name, '"type":"last-prompt"'), [ended]), [['first question', 'second question'], ['after compact']]);
});

test('before 2.1.332, print mode, at the end of the file: a `last-prompt` line after 32 KiB is an end for sure once the model answered, not after a tool result', () => {
  const name = 'print-2.1.197-resumed';
  const transcript = fixtureFile(name);
  const lines = transcript.lines;
  const [bytes, marker] = bytesThenSettings(transcript.sessionId, 33 * 1024);
  assert.ok(bytes && marker);
  /** Whether the reader says the process ended, for a file that ends with these lines. */
  const ended = (head: string[]): boolean => {
    const root = mkdtempSync(join(tmpdir(), 'claude-otel-transcript-'));
    try {
      const path = join(root, basename(transcript.path));
      writeFileSync(path, `${[...head, bytes, marker].join('\n')}\n`);
      const reader = new TranscriptSessionReader({
        sessionId: transcript.sessionId,
        subagents: { byToolUse: () => undefined, byAgentId: () => undefined },
        writesCostState: false,
        captureContent: false,
        startRun: () => ({ handle: () => {}, end: () => {} }),
      });
      readTranscript(
        path,
        (line) => reader.push(line),
        () => {},
      );
      return reader.finish();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
  // The process is still running: the model has a tool result to answer.
  assert.equal(ended(lines.slice(0, lineOf(name, '"type":"tool_result"') + 1)), false);
  // It answered: the line is its end.
  assert.equal(ended(lines.slice(0, lineOf(name, '"type":"last-prompt"'))), true);
});
