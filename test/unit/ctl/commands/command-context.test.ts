import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { configForStateDir, resolveStateDir } from '../../../../src/ctl/commands/command-context.ts';
import { ctlEnvironment } from '../../../../src/ctl/ctl-environment.ts';
import { CtlFailure, EXIT_NOT_FOUND } from '../../../../src/ctl/ctl-failure.ts';

// Which state dir a command reads: the wrapper's, or the one --state-dir names.

const notATerminal = { isTTY: false };
const ctl = (env: Record<string, string>) => ctlEnvironment({ HOME: '/home/you', ...env }, notATerminal);

test('a relative state dir from the environment is refused, as the wrapper refuses it, naming where it came from', () => {
  assert.throws(
    () => resolveStateDir({}, ctl({ CLAUDE_OTEL_STATE_DIR: 'relative-state' })),
    (e: unknown) =>
      e instanceof CtlFailure &&
      e.exitCode === EXIT_NOT_FOUND &&
      e.message === 'state dir not used: relative-state is not an absolute path (CLAUDE_OTEL_STATE_DIR)',
  );
  assert.throws(
    () => resolveStateDir({}, ctl({ XDG_STATE_HOME: 'state' })),
    (e: unknown) => e instanceof CtlFailure && e.message === `state dir not used: ${join('state', 'claude-otel')} is not an absolute path (XDG_STATE_HOME)`,
  );
});

test('an absolute state dir is the wrapper’s; --state-dir wins, a relative one read from the current directory', () => {
  assert.equal(resolveStateDir({}, ctl({ CLAUDE_OTEL_STATE_DIR: '/var/state' })), '/var/state');
  assert.equal(resolveStateDir({}, ctl({})), '/home/you/.local/state/claude-otel');
  assert.equal(resolveStateDir({ stateDir: '/elsewhere' }, ctl({ CLAUDE_OTEL_STATE_DIR: 'relative-state' })), '/elsewhere');
  assert.equal(resolveStateDir({ stateDir: ' copy ' }, ctl({})), resolve('copy'));
});

test('a state dir or sessions/ that is a file or a FIFO is a store that cannot be read (exit 1), not an empty one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claude-otel-unreadable-'));
  try {
    const file = join(dir, 'state-file');
    writeFileSync(file, '');
    const fifoState = join(dir, 'fifo-state');
    mkdirSync(fifoState);
    execFileSync('mkfifo', [join(fifoState, 'sessions')]);
    const missing = join(dir, 'not-yet');
    for (const [stateDir, message] of [
      [file, `cannot read the store: ${file} is not a directory`],
      [fifoState, `cannot read the store: ${join(fifoState, 'sessions')} is not a directory`],
    ] as const) {
      assert.throws(
        () => resolveStateDir({ stateDir }, ctl({})),
        (error) => error instanceof CtlFailure && error.exitCode === EXIT_NOT_FOUND && error.message === message,
      );
    }
    assert.equal(resolveStateDir({ stateDir: missing }, ctl({})), missing);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with --state-dir, the environment’s unusable state dir is neither used nor warned about; its other warnings stay', () => {
  const env = ctl({ CLAUDE_OTEL_STATE_DIR: 'relative-state', CLAUDE_OTEL_DEBUG: 'maybe' });
  assert.ok(env.config.warnings.some((w) => w.startsWith('state dir not used')));
  const config = configForStateDir({ stateDir: '/elsewhere' }, env);
  assert.equal(config.stateDir, '/elsewhere');
  assert.equal(config.stateDirProblem, undefined);
  assert.deepEqual(
    config.warnings,
    env.config.warnings.filter((w) => !w.startsWith('state dir not used')),
  );
  assert.ok(config.warnings.some((w) => w.includes('CLAUDE_OTEL_DEBUG')));
  assert.throws(
    () => configForStateDir({}, env),
    (e: unknown) => e instanceof CtlFailure && e.exitCode === EXIT_NOT_FOUND,
  );
});
