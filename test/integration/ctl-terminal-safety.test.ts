import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startScenario, ALLOW_TOOLS, CTL_BIN } from '../support/scenario.ts';
import { makeSandbox, runCommand } from '../support/claude-run.ts';
import { fixtureRunId, writeFixtureSession } from '../support/store-fixture.ts';

// A session whose stored command, error and prompt hold terminal escape sequences (clear
// screen, window title, clipboard write) is shown by claude-otel-ctl without any of them.

const ESC = '\u001b';
const BEL = '\u0007';
const CLEAR = `${ESC}[2J${ESC}[H`;
const TITLE = `${ESC}]0;pwned-title${BEL}`;
const CLIPBOARD = `${ESC}]52;c;cHduZWQ=${BEL}`;
const C1_CSI = '\u009b31m';
const HOSTILE = `${CLEAR}${TITLE}${CLIPBOARD}${C1_CSI}`;

/** Any C0 control but tab and newline, DEL, or a C1 control. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

test('show, sessions, stats, --json and the HTML report print none of the escape sequences a stored command, error and prompt hold', async () => {
  const command = `echo '${HOSTILE}visible-marker' >&2; exit 3`;
  const s = await startScenario([
    { kind: 'tools', tools: [{ name: 'Bash', input: { command } }] },
    { kind: 'text', text: 'Done.' },
  ]);
  try {
    const run = await s.wrapper(['-p', `${HOSTILE}prompt-marker`, ...ALLOW_TOOLS]);
    assert.equal(run.exitCode, 0, run.stderr);
    const stored = readFileSync(
      join(s.stateDir, 'sessions', (await import('node:fs')).readdirSync(join(s.stateDir, 'sessions'))[0] ?? '', 'chunk-0001.json'),
      'utf8',
    );
    assert.match(stored, /\\u001b\]52;c;/, 'the store holds the sequences (as JSON escapes): the test is real');

    const ctl = (args: string[]) => runCommand(CTL_BIN, args, { sandbox: s.sandbox, env: s.env() });
    const show = await ctl(['show', 'last', '--width', '200']);
    assert.equal(show.exitCode, 0, show.stderr);
    const shown = show.stdout.toString();
    assert.match(shown, /visible-marker|echo/, 'the command is still shown');
    assert.match(shown, /prompt-marker/, 'the prompt is still shown');
    for (const args of [['show', 'last', '--width', '200'], ['show', 'last', '--json'], ['sessions'], ['sessions', '--json'], ['stats'], ['stats', '--json']]) {
      const out = await ctl(args);
      assert.equal(out.exitCode, 0, `${args.join(' ')}: ${out.stderr}`);
      const text = out.stdout.toString() + out.stderr;
      assert.doesNotMatch(text, CONTROL, `${args.join(' ')} printed a control character`);
      assert.doesNotMatch(text, /\\u001b|\\u0007|\\u009b/i, `${args.join(' ')} printed an escaped control character`);
    }
    const report = join(s.sandbox.home, 'report.html');
    const made = await ctl(['report', '--html', report]);
    assert.equal(made.exitCode, 0, made.stderr);
    const html = readFileSync(report, 'utf8');
    assert.doesNotMatch(html, CONTROL);
    assert.match(html, /prompt-marker/);
  } finally {
    await s.close();
  }
});

// Bidi controls reorder what a terminal or a browser shows ("Trojan Source"); zero-width
// characters hide inside names. Stored in a session's prompt, command, model and error.
const BIDI_AND_INVISIBLE = [
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
];
const INVISIBLE = /[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060\ufeff]/;

test('bidi controls and zero-width characters in stored text reach no view: tables, show, --json, the report', async () => {
  const sandbox = await makeSandbox({ apiUrl: 'http://127.0.0.1:9' });
  try {
    const stateDir = join(sandbox.home, 'state');
    const hide = (text: string): string =>
      BIDI_AND_INVISIBLE.map((c, i) => (i < text.length ? `${text[i]}${c}` : '')).join('') + text.slice(BIDI_AND_INVISIBLE.length);
    const start = Date.now() - 60_000;
    const prompt = hide('review the access list for admin users');
    const command = hide('rm -rf build && echo done-marker');
    writeFixtureSession(stateDir, {
      runId: fixtureRunId(start, 1),
      meta: {
        sessionId: 'dddddddd-4444-4444-8444-444444444444',
        mode: 'print',
        model: hide('claude-opus-4-8'),
        version: '2.1.197',
        startTime: start,
        endTime: start + 5000,
        exitCode: 0,
        promptPreview: prompt,
        git: { repositoryName: hide('widgets'), branch: hide('main'), worktree: false },
      },
      spans: [
        { name: 'claude.session', startMs: start, endMs: start + 5000, attributes: { 'session.id': 'dddddddd-4444-4444-8444-444444444444' } },
        {
          name: 'invoke_agent claude-code',
          parent: 0,
          startMs: start,
          endMs: start + 4000,
          attributes: { 'claude.prompt.index': 1, 'claude.prompt.preview': prompt },
        },
        {
          name: 'execute_tool Bash',
          parent: 1,
          startMs: start + 1000,
          endMs: start + 2000,
          attributes: { 'gen_ai.tool.name': 'Bash', 'claude.tool.input_summary': command },
          error: hide('Exit code 1 permission denied'),
        },
      ],
    });
    assert.match(
      readFileSync(join(stateDir, 'sessions', fixtureRunId(start, 1), 'chunk-0001.json'), 'utf8'),
      INVISIBLE,
      'the store holds them: the test is real',
    );
    const ctl = (args: string[]) => runCommand(CTL_BIN, args, { sandbox, env: { CLAUDE_OTEL_STATE_DIR: stateDir } });
    for (const args of [
      ['sessions', '--wide'],
      ['sessions', '--json'],
      ['show', 'last', '--width', '240'],
      ['show', 'last', '--json'],
      ['stats'],
      ['stats', '--by', 'repo', '--json'],
    ]) {
      const out = await ctl(args);
      assert.equal(out.exitCode, 0, `${args.join(' ')}: ${out.stderr}`);
      const text = out.stdout.toString() + out.stderr;
      assert.doesNotMatch(text, INVISIBLE, `${args.join(' ')} printed a bidi or zero-width character`);
      assert.doesNotMatch(text, /\\u(202[a-e]|206[6-9]|200[b-f]|2060|feff)/i, `${args.join(' ')} printed an escaped one`);
    }
    const shown = (await ctl(['show', 'last', '--width', '240'])).stdout.toString();
    assert.match(shown, /review the access list for admin users/);
    assert.match(shown, /rm -rf build && echo done-marker/);
    const report = join(sandbox.home, 'report.html');
    assert.equal((await ctl(['report', '--html', report])).exitCode, 0);
    const html = readFileSync(report, 'utf8');
    assert.doesNotMatch(html, INVISIBLE);
    assert.match(html, /review the access list for admin users/);
  } finally {
    await sandbox.cleanup();
  }
});
