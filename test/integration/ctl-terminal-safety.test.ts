import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startScenario, ALLOW_TOOLS, CTL_BIN } from '../support/scenario.ts';
import { runCommand } from '../support/claude-run.ts';

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
