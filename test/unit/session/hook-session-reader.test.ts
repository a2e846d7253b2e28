import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HookSessionReader } from '../../../src/session/from-hooks.ts';
import type { SpooledHook } from '../../../src/session/from-hooks.ts';
import { parseHookPayload } from '../../../src/sources/hooks/hook-payloads.ts';
import type { HookPayload } from '../../../src/sources/hooks/hook-payloads.ts';
import { TranscriptReader } from '../../../src/sources/transcript/transcript-reader.ts';
import type { TranscriptCall, TranscriptUpdate } from '../../../src/sources/transcript/transcript-reader.ts';
import type { SessionEvent } from '../../../src/session/events.ts';

// Interactive mode's producer: hook payloads + transcript → the session events print mode
// produces from stream-json.

const FIXTURE = fileURLToPath(new URL('../../fixtures/transcripts/subagent-session/', import.meta.url));
const SESSION = '88e41e4f-c656-4b8f-9482-8f0ff3fdbeef';
const AGENT = 'a996928050fc27fe1';

function payload(value: Record<string, unknown>): HookPayload {
  const parsed = parseHookPayload({ session_id: 's1', transcript_path: '/t/s1.jsonl', cwd: '/p', ...value });
  assert.ok(parsed, JSON.stringify(value));
  return parsed;
}

function of<K extends SessionEvent['kind']>(events: SessionEvent[], kind: K): Extract<SessionEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<SessionEvent, { kind: K }> => e.kind === kind);
}

test('a real session replayed as it happened: transcript lines appear when claude wrote them, hooks when they fired', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claude-otel-replay-'));
  try {
    const hooks = readFileSync(join(FIXTURE, 'hooks.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { time: number; payload: unknown });
    const sources = [
      { from: join(FIXTURE, `${SESSION}.jsonl`), to: join(dir, `${SESSION}.jsonl`) },
      { from: join(FIXTURE, SESSION, 'subagents', `agent-${AGENT}.jsonl`), to: join(dir, SESSION, 'subagents', `agent-${AGENT}.jsonl`) },
    ];
    mkdirSync(join(dir, SESSION, 'subagents'), { recursive: true });
    copyFileSync(join(FIXTURE, SESSION, 'subagents', `agent-${AGENT}.meta.json`), join(dir, SESSION, 'subagents', `agent-${AGENT}.meta.json`));
    const pending = sources.map((s) => ({ ...s, lines: readFileSync(s.from, 'utf8').trim().split('\n') }));
    /** Writes every transcript line stamped at or before `time`. */
    const writeUntil = (time: number) => {
      for (const source of pending) {
        while (source.lines.length > 0) {
          const stamp = (JSON.parse(source.lines[0] ?? '{}') as { timestamp?: string }).timestamp;
          if (stamp !== undefined && Date.parse(stamp) > time) break;
          appendFileSync(source.to, `${source.lines.shift()}\n`);
        }
      }
    };

    const startTime = (hooks[0]?.time ?? 0) - 500;
    const reader = new HookSessionReader({ startTime, version: '2.1.197' });
    const transcript = new TranscriptReader(join(dir, `${SESSION}.jsonl`));
    const events: SessionEvent[] = [];
    for (const { time, payload: raw } of hooks) {
      writeUntil(time);
      const hook: SpooledHook = { payload: parseHookPayload(raw) ?? assert.fail('a hook payload'), time };
      events.push(...reader.pushTranscript(transcript.poll()));
      if (hook.payload.event === 'Stop') assert.equal(reader.readyToClose(hook.payload), true, 'the final answer is in the transcript');
      events.push(...reader.push(hook));
    }
    writeUntil(Infinity);
    events.push(...reader.pushTranscript(transcript.poll()));
    const exitTime = (hooks.at(-1)?.time ?? 0) + 20;
    events.push(...reader.finish({ time: exitTime, exitCode: 0, interrupted: false }));

    assert.deepEqual(
      events.map((e) => e.kind),
      [
        'session_start',
        'prompt_start',
        'tool_start',
        'subagent_start',
        'tool_start',
        'tool_end',
        'tool_end',
        'subagent_end',
        'chat',
        'chat',
        'chat',
        'chat',
        'prompt_end',
        'session_end',
      ],
    );
    const [start] = of(events, 'session_start');
    assert.deepEqual(start, {
      kind: 'session_start',
      time: startTime,
      sessionId: SESSION,
      model: 'unknown',
      version: '2.1.197',
      cwd: '/home/user/project',
      mode: 'interactive',
    });
    const [prompt] = of(events, 'prompt_start');
    assert.equal(prompt?.text, 'delegate');
    assert.equal(prompt?.time, hooks[1]?.time);
    const [agentStart, bashStart] = of(events, 'tool_start');
    assert.equal(agentStart?.name, 'Agent');
    assert.equal(agentStart?.agent, null);
    assert.equal(bashStart?.name, 'Bash');
    assert.equal(bashStart?.agent, 'toolu_1', 'the subagent’s tool belongs to the Agent call');
    assert.deepEqual(of(events, 'subagent_start')[0], {
      kind: 'subagent_start',
      time: hooks[3]?.time,
      toolUseId: 'toolu_1',
      agentType: 'general-purpose',
      agentId: AGENT,
      description: 'sub work',
    });

    const [bashEnd, agentEnd] = of(events, 'tool_end');
    assert.equal(bashEnd?.toolUseId, 'toolu_2');
    assert.equal(bashEnd?.time, hooks[5]?.time, 'a tool ends when its PostToolUse fired');
    assert.deepEqual(bashEnd?.outcome, {
      isError: false,
      outputBytes: 3,
      outputTruncated: false,
      interrupted: false,
      timedOut: false,
      permissionDenied: false,
      durationMs: 71,
      stdoutBytes: 3,
      stderrBytes: 0,
      exitCode: 0,
    });
    assert.equal(agentEnd?.toolUseId, 'toolu_1');
    assert.equal(agentEnd?.outcome.durationMs, 317);
    assert.ok((agentEnd?.outcome.outputBytes ?? 0) > 0, 'the Agent result as the model saw it (from the transcript)');
    assert.deepEqual(of(events, 'subagent_end')[0], {
      kind: 'subagent_end',
      time: hooks[7]?.time,
      toolUseId: 'toolu_1',
      totalTokens: 189,
      toolUses: 1,
      durationMs: 317,
      status: 'completed',
    });

    const chats = of(events, 'chat');
    assert.deepEqual(
      chats.map((c) => [c.agent, c.usage.output, c.finishReason]),
      [
        [null, 30, 'tool_use'],
        ['toolu_1', 30, 'tool_use'],
        ['toolu_1', 12, 'end_turn'],
        [null, 12, 'end_turn'],
      ],
    );
    for (const chat of chats) assert.deepEqual({ ...chat.usage, output: 0 }, { input: 120, output: 0, cacheRead: 50, cacheCreation: 7 });
    assert.equal(chats[0]?.start, prompt?.time, 'no call starts before its prompt');
    assert.equal(chats[1]?.start, hooks[3]?.time, 'no subagent call starts before its subagent');
    assert.equal(chats[3]?.text, 'All done.');

    const [end] = of(events, 'prompt_end');
    assert.equal(end?.time, hooks[8]?.time);
    assert.equal(end?.responseText, 'All done.');
    assert.deepEqual(end?.result, { subtype: 'success', isError: false, permissionDenials: 0, costByModel: {}, text: 'All done.' });
    assert.deepEqual(of(events, 'session_end')[0], { kind: 'session_end', time: exitTime, exitCode: 0, interrupted: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function update(parts: Partial<TranscriptUpdate>): TranscriptUpdate {
  return { calls: [], toolResults: [], apiErrors: [], subagents: [], interrupts: [], compactions: [], ...parts };
}

function call(id: string, firstSeen: number, extra: Partial<TranscriptCall> = {}): TranscriptCall {
  return {
    messageId: id,
    agentId: null,
    model: 'claude-opus-4-8',
    usage: { input: 10, output: 5, cacheRead: 0, cacheCreation: 0 },
    stopReason: 'end_turn',
    text: id,
    start: firstSeen - 50,
    firstSeen,
    end: firstSeen + 5,
    ...extra,
  };
}

test('a resumed session: calls from the earlier run are not counted again; a Stop waits for the final answer', () => {
  const reader = new HookSessionReader({ startTime: 1_000, version: 'x' });
  reader.push({ payload: payload({ hook_event_name: 'SessionStart', source: 'resume', model: 'claude-opus-4-8[1m]' }), time: 1_100 });
  // The resumed transcript, read from the start: one old call.
  reader.pushTranscript(update({ calls: [call('msg_old', 500)] }));
  reader.push({ payload: payload({ hook_event_name: 'UserPromptSubmit', prompt: 'again' }), time: 2_000 });
  const stop = payload({ hook_event_name: 'Stop', last_assistant_message: 'new' });
  assert.equal(reader.readyToClose(stop), false, 'the answer is not in the transcript yet');
  reader.pushTranscript(update({ calls: [call('msg_new', 2_100)] }));
  assert.equal(reader.readyToClose(stop), true);
  const events = reader.push({ payload: stop, time: 2_200 });
  assert.deepEqual(
    of(events, 'chat').map((c) => c.messageId),
    ['msg_new'],
  );
});

test('/clear: the session ends where SessionEnd fired and a new one starts, with the model of the last', () => {
  const reader = new HookSessionReader({ startTime: 1_000, version: 'x' });
  const events: SessionEvent[] = [];
  events.push(...reader.push({ payload: payload({ hook_event_name: 'SessionStart', source: 'startup', model: 'm[1m]' }), time: 1_100 }));
  events.push(...reader.push({ payload: payload({ hook_event_name: 'SessionEnd', reason: 'clear' }), time: 3_000 }));
  events.push(...reader.push({ payload: payload({ hook_event_name: 'SessionStart', source: 'clear', session_id: 's2' }), time: 3_050 }));
  events.push(...reader.finish({ time: 4_000, exitCode: 0, interrupted: false }));
  assert.deepEqual(
    events.map((e) => [e.kind, 'time' in e ? e.time : 0, e.kind === 'session_start' ? `${e.sessionId} ${e.model}` : '']),
    [
      ['session_start', 1_000, 's1 m[1m]'],
      ['session_end', 3_000, ''],
      ['session_start', 3_050, 's2 m[1m]'],
      ['session_end', 4_000, ''],
    ],
  );
});

test("resumed_from: the first session from claude's arguments; a later one only when /resume started it", () => {
  const reader = new HookSessionReader({ startTime: 1_000, version: 'x', resume: { resumeId: 's1', continued: false, fork: false } });
  const events: SessionEvent[] = [];
  events.push(...reader.push({ payload: payload({ hook_event_name: 'SessionStart', source: 'resume' }), time: 1_100 }));
  events.push(...reader.push({ payload: payload({ hook_event_name: 'SessionStart', source: 'clear', session_id: 's2' }), time: 2_000 }));
  events.push(...reader.push({ payload: payload({ hook_event_name: 'SessionStart', source: 'resume', session_id: 's0' }), time: 3_000 }));
  events.push(...reader.finish({ time: 4_000, exitCode: 0, interrupted: false }));
  assert.deepEqual(
    of(events, 'session_start').map((e) => [e.sessionId, e.resumedFrom]),
    [
      ['s1', 's1'],
      ['s2', undefined],
      ['s0', 's0'],
    ],
  );
});

test('an API error ends the turn with StopFailure: an api_error event and an error result', () => {
  const reader = new HookSessionReader({ startTime: 1_000, version: 'x' });
  reader.push({ payload: payload({ hook_event_name: 'UserPromptSubmit', prompt: 'hi' }), time: 2_000 });
  reader.pushTranscript(update({ apiErrors: [{ agentId: null, time: 2_100, status: 400, message: 'API Error: 400 bad' }] }));
  const failure = payload({ hook_event_name: 'StopFailure', error: 'unknown', last_assistant_message: 'API Error: 400 bad' });
  assert.equal(reader.readyToClose(failure), true);
  const events = reader.push({ payload: failure, time: 2_150 });
  assert.deepEqual(of(events, 'api_error'), [{ kind: 'api_error', time: 2_150, message: 'API Error: 400 bad', final: true, status: 400 }]);
  const [end] = of(events, 'prompt_end');
  assert.equal(end?.result?.isError, true);
  assert.equal(end?.result?.apiErrorStatus, 400);
});

test('an interrupted turn (Esc): no Stop; it ends at its last activity when the next prompt comes, its tool as interrupted', () => {
  const reader = new HookSessionReader({ startTime: 1_000, version: 'x' });
  reader.push({ payload: payload({ hook_event_name: 'UserPromptSubmit', prompt: 'run sleep' }), time: 2_000 });
  reader.pushTranscript(update({ calls: [call('msg_1', 2_050, { stopReason: 'tool_use' })] }));
  reader.push({
    payload: payload({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_use_id: 'toolu_1', tool_input: { command: 'sleep 5' } }),
    time: 2_100,
  });
  reader.pushTranscript(
    update({
      toolResults: [
        {
          toolUseId: 'toolu_1',
          time: 4_000,
          content: "The user doesn't want to proceed with this tool use.",
          isError: true,
          toolUseResult: 'User rejected tool use',
        },
      ],
      interrupts: [4_001],
    }),
  );
  const events = reader.push({ payload: payload({ hook_event_name: 'UserPromptSubmit', prompt: 'again' }), time: 9_000 });
  assert.deepEqual(
    events.map((e) => e.kind),
    ['chat', 'tool_end', 'prompt_end', 'prompt_start'],
  );
  const [toolEnd] = of(events, 'tool_end');
  assert.equal(toolEnd?.time, 4_000);
  assert.equal(toolEnd?.outcome.interrupted, true);
  assert.equal(toolEnd?.outcome.permissionDenied, false);
  assert.equal(of(events, 'prompt_end')[0]?.time, 4_001);
  assert.equal(of(events, 'prompt_start')[0]?.time, 9_000);
});

test('a tool whose result never reaches the transcript ends with what its hook said, a moment later', () => {
  const reader = new HookSessionReader({ startTime: 1_000, version: 'x' });
  reader.push({ payload: payload({ hook_event_name: 'UserPromptSubmit', prompt: 'fail' }), time: 2_000 });
  reader.push({
    payload: payload({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_use_id: 'toolu_1', tool_input: { command: 'exit 7' } }),
    time: 2_100,
  });
  const failure = {
    hook_event_name: 'PostToolUseFailure',
    tool_name: 'Bash',
    tool_use_id: 'toolu_1',
    tool_input: {},
    error: 'Exit code 7\nout',
    is_interrupt: false,
    duration_ms: 33,
  };
  assert.deepEqual(reader.push({ payload: payload(failure), time: 2_140 }), [], 'it waits for the transcript');
  const later = reader.push({ payload: payload({ hook_event_name: 'PreToolUse', tool_name: 'Read', tool_use_id: 'toolu_2', tool_input: {} }), time: 5_000 });
  const [end] = of(later, 'tool_end');
  assert.equal(end?.time, 2_140);
  assert.equal(end?.outcome.exitCode, 7);
  assert.equal(end?.outcome.outputBytes, 3);
  assert.equal(end?.outcome.durationMs, 33);
});

test('no hook at all (claude failed early): one session, from start to exit', () => {
  const reader = new HookSessionReader({ startTime: 1_000, version: 'x' });
  assert.deepEqual(reader.finish({ time: 1_500, exitCode: 1, interrupted: false }), [
    { kind: 'session_start', time: 1_000, sessionId: '', model: 'unknown', version: 'x', cwd: '', mode: 'interactive' },
    { kind: 'session_end', time: 1_500, exitCode: 1, interrupted: false },
  ]);
});

/**
 * 2.1.337's order for a background agent: its Agent call returns at once, the turn's Stop
 * fires while the agent's Bash call still runs, and that call's PostToolUse comes after it.
 */
function backgroundAgentUntilStop(reader: HookSessionReader): SessionEvent[] {
  const events: SessionEvent[] = [];
  const hook = (value: Record<string, unknown>, time: number) => events.push(...reader.push({ payload: payload(value), time }));
  const agentInput = { description: 'sub work', prompt: 'run echo sub', subagent_type: 'general-purpose', run_in_background: true };
  hook({ hook_event_name: 'UserPromptSubmit', prompt: 'delegate' }, 2_000);
  events.push(...reader.pushTranscript(update({ calls: [call('msg_1', 2_050, { stopReason: 'tool_use' })] })));
  hook({ hook_event_name: 'PreToolUse', tool_name: 'Agent', tool_use_id: 'toolu_1', tool_input: agentInput }, 2_100);
  hook(
    {
      hook_event_name: 'PostToolUse',
      tool_name: 'Agent',
      tool_use_id: 'toolu_1',
      tool_input: agentInput,
      tool_response: { isAsync: true, status: 'async_launched', agentId: 'agent_a' },
    },
    2_150,
  );
  events.push(
    ...reader.pushTranscript(
      update({
        subagents: [{ agentId: 'agent_a', toolUseId: 'toolu_1', agentType: 'general-purpose' }],
        toolResults: [{ toolUseId: 'toolu_1', time: 2_150, content: 'Async agent launched', isError: false, toolUseResult: {} }],
      }),
    ),
  );
  hook({ hook_event_name: 'SubagentStart', agent_id: 'agent_a', agent_type: 'general-purpose' }, 2_160);
  events.push(...reader.pushTranscript(update({ calls: [call('msg_s1', 2_250, { agentId: 'agent_a', stopReason: 'tool_use' })] })));
  const bash = { tool_name: 'Bash', tool_use_id: 'toolu_2', tool_input: { command: 'echo sub' }, agent_id: 'agent_a', agent_type: 'general-purpose' };
  hook({ hook_event_name: 'PreToolUse', ...bash }, 2_300);
  events.push(...reader.pushTranscript(update({ calls: [call('msg_2', 2_400)] })));
  hook({ hook_event_name: 'Stop', last_assistant_message: 'All done.' }, 2_500);
  return events;
}

test('a background agent outlives the turn (2.1.337): its tool call still running at Stop is one call, ended by its own hook', () => {
  const reader = new HookSessionReader({ startTime: 1_000, version: 'x' });
  const events = backgroundAgentUntilStop(reader);
  const hook = (value: Record<string, unknown>, time: number) => events.push(...reader.push({ payload: payload(value), time }));
  const bash = { tool_name: 'Bash', tool_use_id: 'toolu_2', tool_input: { command: 'echo sub' }, agent_id: 'agent_a', agent_type: 'general-purpose' };
  events.push(
    ...reader.pushTranscript(
      update({
        toolResults: [{ toolUseId: 'toolu_2', time: 2_640, content: 'sub', isError: false, toolUseResult: { stdout: 'sub', stderr: '' } }],
        calls: [call('msg_s2', 2_750, { agentId: 'agent_a' })],
      }),
    ),
  );
  hook({ hook_event_name: 'PostToolUse', ...bash, tool_response: { stdout: 'sub', stderr: '', interrupted: false }, duration_ms: 340 }, 2_650);
  hook({ hook_event_name: 'SubagentStop', agent_id: 'agent_a', agent_type: 'general-purpose', last_assistant_message: 'sub done' }, 2_800);
  // claude hands the agent's result to the model in a turn of its own.
  hook({ hook_event_name: 'UserPromptSubmit', prompt: '<task-notification>…</task-notification>' }, 3_000);
  events.push(...reader.pushTranscript(update({ calls: [call('msg_3', 3_100)] })));
  hook({ hook_event_name: 'Stop', last_assistant_message: 'done' }, 3_200);
  events.push(...reader.finish({ time: 4_000, exitCode: 0, interrupted: false }));

  assert.deepEqual(
    of(events, 'tool_start').map((e) => [e.toolUseId, e.time, e.agent]),
    [
      ['toolu_1', 2_100, null],
      ['toolu_2', 2_300, 'toolu_1'],
    ],
  );
  const bashEnds = of(events, 'tool_end').filter((e) => e.toolUseId === 'toolu_2');
  assert.deepEqual(
    bashEnds.map((e) => [e.time, e.outcome.interrupted, e.outcome.durationMs]),
    [[2_650, false, 340]],
  );
  assert.equal(of(events, 'prompt_start').length, 2, 'the agent’s hooks open no turn of their own');
  const agentChats = of(events, 'chat').filter((c) => c.agent === 'toolu_1');
  assert.deepEqual(
    agentChats.map((c) => [c.messageId, c.start]),
    [
      ['msg_s1', 2_200],
      ['msg_s2', 2_700],
    ],
    'an agent’s call keeps its own time, even when a later turn writes it',
  );
  // Its Agent call returned before SubagentStart: the agent still ends at SubagentStop, with the call's status.
  assert.deepEqual(of(events, 'subagent_end'), [{ kind: 'subagent_end', time: 2_800, toolUseId: 'toolu_1', status: 'async_launched' }]);
});

test('a background agent still working when claude exits: its running tool ends as unfinished, its calls are kept', () => {
  const reader = new HookSessionReader({ startTime: 1_000, version: 'x' });
  const events = backgroundAgentUntilStop(reader);
  events.push(...reader.pushTranscript(update({ calls: [call('msg_s2', 2_750, { agentId: 'agent_a', stopReason: 'tool_use' })] })));
  events.push(...reader.finish({ time: 4_000, exitCode: 0, interrupted: false }));
  const bashEnds = of(events, 'tool_end').filter((e) => e.toolUseId === 'toolu_2');
  assert.deepEqual(
    bashEnds.map((e) => [e.time, e.outcome.interrupted]),
    [[4_000, true]],
  );
  assert.deepEqual(
    of(events, 'chat')
      .filter((c) => c.agent === 'toolu_1')
      .map((c) => c.messageId),
    ['msg_s1', 'msg_s2'],
  );
  const kinds = events.map((e) => e.kind);
  assert.ok(kinds.lastIndexOf('tool_end') < kinds.indexOf('subagent_end'), 'the agent ends after its tool');
  assert.ok(kinds.lastIndexOf('chat') < kinds.indexOf('session_end'));
});

test('a compaction comes from the transcript (claude shows the command of a PreCompact hook to the person): from this run only', () => {
  const reader = new HookSessionReader({ startTime: 1_000, version: 'x' });
  reader.push({ payload: payload({ hook_event_name: 'SessionStart', source: 'resume', model: 'claude-opus-4-8' }), time: 1_100 });
  const events = reader.pushTranscript(
    update({
      compactions: [
        { time: 500, trigger: 'manual' },
        { time: 1_500, trigger: 'manual', preTokens: 900, postTokens: 120 },
      ],
    }),
  );
  assert.deepEqual(of(events, 'compaction'), [{ kind: 'compaction', time: 1_500, trigger: 'manual', preTokens: 900, postTokens: 120 }]);
});

test('the transcript reader reports the main agent’s compact_boundary lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claude-otel-compaction-'));
  try {
    const path = join(dir, 's.jsonl');
    const boundary = {
      type: 'system',
      subtype: 'compact_boundary',
      timestamp: '2026-12-07T10:00:00.000Z',
      compactMetadata: { trigger: 'auto', preTokens: 5000, postTokens: 700 },
      sessionId: 's',
    };
    appendFileSync(path, `${JSON.stringify(boundary)}\n${JSON.stringify({ ...boundary, subtype: 'turn_duration', durationMs: 5 })}\n`);
    const update = new TranscriptReader(path).poll();
    assert.deepEqual(update.compactions, [{ time: Date.parse('2026-12-07T10:00:00.000Z'), trigger: 'auto', preTokens: 5000, postTokens: 700 }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
