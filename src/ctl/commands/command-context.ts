import { resolve } from 'node:path';
import { CommanderError } from 'commander';
import type { Command } from 'commander';
import type { CtlEnvironment } from '../ctl-environment.ts';
import { stateDirWarning } from '../../config/wrapper-config.ts';
import type { WrapperConfig } from '../../config/wrapper-config.ts';
import { CtlFailure, EXIT_NOT_FOUND, EXIT_USAGE } from '../ctl-failure.ts';
import { parseSince } from './option-values.ts';
import { StoreReader } from '../views/store-reader.ts';
import { storeReadProblem } from '../../store/reader.ts';
import { withoutControlChars } from '../views/terminal-text.ts';
import { fileWriteReason } from '../render/file-write-failure.ts';
import type { SessionRecord } from '../views/session-record.ts';
import type { SessionSource } from '../../session/events.ts';

/** How a command reports its exit status to the program that registered it. */
export type SetExitCode = (code: number) => void;

// What the viewing commands share: where the store is, how warnings and failures reach the
// user, and which sessions a `--since` period holds.

export interface StoreOptions {
  stateDir?: string;
  /** `--source wrapper|transcript`, as typed. */
  source?: string;
}

export const SOURCE_HELP = 'only sessions run through the wrapper (wrapper) or imported from transcripts (transcript)';

/** `--source`, checked; undefined when not given. */
export function sourceOption(raw: string | undefined): SessionSource | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (value === 'wrapper' || value === 'transcript') return value;
  throw new CtlFailure(`--source ${JSON.stringify(raw)}: expected wrapper or transcript`, EXIT_USAGE);
}

export const STATE_DIR_HELP =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's notation, shown as it is
  'the state dir to read (default: $CLAUDE_OTEL_STATE_DIR, else ${XDG_STATE_HOME:-~/.local/state}/claude-otel, as the wrapper uses)';

export const EXIT_CODES_HELP = `
Exit codes: 0 done (also when nothing is recorded yet), 1 the session asked for is not
recorded (or a file or stdout could not be written, or the state dir is relative or cannot be
read), 2 a wrong option or argument.`;

/**
 * The state dir exactly as the wrapper resolves it, unless `--state-dir` names another (a path
 * typed on the command line is relative to the current directory, as any other). A relative one
 * from the environment is refused, as the wrapper refuses it.
 */
export function resolveStateDir(options: StoreOptions, ctl: CtlEnvironment): string {
  const given = options.stateDir?.trim();
  if (!given && ctl.stateDirRefusal) throw new CtlFailure(`state dir not used: ${ctl.stateDirRefusal}`, EXIT_NOT_FOUND);
  const stateDir = given ? resolve(given) : ctl.config.stateDir;
  // Listed as it is, a store that cannot be read would look empty.
  const problem = storeReadProblem(stateDir);
  if (problem) throw new CtlFailure(problem, EXIT_NOT_FOUND);
  return stateDir;
}

/**
 * The wrapper's settings for a command that stores or sends, with the state dir it uses. A state
 * dir given with --state-dir replaces the environment's, which is then not warned about either.
 */
export function configForStateDir(options: StoreOptions, ctl: CtlEnvironment): WrapperConfig {
  const stateDir = resolveStateDir(options, ctl);
  const envProblem = ctl.config.stateDirProblem;
  if (!options.stateDir?.trim() || envProblem === undefined) return { ...ctl.config, stateDir };
  const dropped = stateDirWarning(envProblem);
  return { ...ctl.config, stateDir, stateDirProblem: undefined, warnings: ctl.config.warnings.filter((w) => w !== dropped) };
}

export function warnOnStderr(message: string): void {
  process.stderr.write(`claude-otel-ctl: warning: ${withoutControlChars(message)}\n`);
}

export function openStore(options: StoreOptions, ctl: CtlEnvironment): StoreReader {
  return new StoreReader(resolveStateDir(options, ctl), warnOnStderr, sourceOption(options.source));
}

export function noSessionsMessage(stateDir: string, source?: SessionSource): string {
  return source === undefined
    ? `no sessions recorded yet (state dir: ${stateDir})`
    : `no ${source} sessions recorded (--source ${source}; state dir: ${stateDir})`;
}

/** Sessions that started at or after `since` (a `--since` value), newest first. */
export function sessionsSince(sessions: SessionRecord[], since: string | undefined, now: number): SessionRecord[] {
  if (since === undefined) return sessions;
  const from = parseSince(since, now);
  return sessions.filter((s) => s.startTime >= from);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The first error writing stdout met: EPIPE when its reader went away (`| head`), ENOSPC on a full disk. */
let stdoutError: NodeJS.ErrnoException | undefined;
const stdoutFailureListeners = new Set<() => void>();
let watchingStdout = false;

/** A write error of stdout with no listener would crash the process with a stack trace. */
function watchStdout(): void {
  if (watchingStdout) return;
  watchingStdout = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    stdoutError ??= error;
    for (const listener of stdoutFailureListeners) listener();
  });
}

/** Calls `listener` once stdout can take no more (its reader went away or a write failed); returns how to stop listening. */
export function whenStdoutFails(listener: () => void): () => void {
  watchStdout();
  if (stdoutError) {
    listener();
    return () => {};
  }
  stdoutFailureListeners.add(listener);
  return () => stdoutFailureListeners.delete(listener);
}

/**
 * Resolves once what was written to stdout has been handed on: true, or false when it could not
 * be. The process exits as soon as the command returns, which would cut a long listing short in a pipe.
 */
export function stdoutWritten(): Promise<boolean> {
  return new Promise((resolve) => {
    const stop = whenStdoutFails(() => resolve(false));
    if (process.stdout.destroyed) resolve(stdoutError === undefined);
    else
      process.stdout.write('', (error) => {
        stop();
        resolve(!error && stdoutError === undefined);
      });
  });
}

/** Why stdout could not be written, or undefined when it was, or its reader stopped early (`| head`), which is no error. */
export function stdoutFailure(): string | undefined {
  if (stdoutError === undefined || stdoutError.code === 'EPIPE') return undefined;
  return `cannot write to stdout: ${fileWriteReason(stdoutError)}`;
}

/**
 * Runs a command's action: a `CtlFailure` becomes one line on stderr and its exit code,
 * never a stack trace; so does a failed write of stdout (exit 1), but for a reader that went away.
 */
export async function runAction(setExitCode: SetExitCode, action: () => Promise<number> | number): Promise<void> {
  watchStdout();
  try {
    setExitCode(await action());
  } catch (error) {
    if (!(error instanceof CtlFailure)) throw error;
    process.stderr.write(`claude-otel-ctl: ${error.message}\n`);
    setExitCode(error.exitCode);
  }
  await stdoutWritten();
  const failure = stdoutFailure();
  if (failure) {
    process.stderr.write(`claude-otel-ctl: ${failure}\n`);
    setExitCode(EXIT_NOT_FOUND);
  }
}

/** Commander's own usage errors (unknown option, missing argument) exit 2, like ours. */
export function usageErrorsExitTwo(command: Command): Command {
  return command.exitOverride((error) => {
    if (error.exitCode === 0) throw error;
    throw new CommanderError(EXIT_USAGE, error.code, error.message);
  });
}
