import type { PrintRun, SdkRun } from '../launch/session-kind.ts';
import { printModeArgs, sdkModeArgs } from '../launch/session-kind.ts';
import { spawnClaude } from '../launch/spawn-claude.ts';
import type { ClaudeProcess } from '../launch/spawn-claude.ts';
import { forwardSignals } from '../launch/forward-signals.ts';

// Starting claude for a print-mode or SDK-mode session, apart from reading what it writes:
// the command starts claude with no more than this loaded, and loads the reading (the
// stream parser, the session model, the settings) while claude starts. Until then what
// claude writes is kept here (node would throw away the output of a process that exits
// before anything reads it), and a signal is passed on at once and noted for the reader.

export interface PrintLaunchOptions {
  claudeBin: string;
  claudeArgs: string[];
  run: PrintRun | SdkRun;
  /** claude's environment. */
  env: Record<string, string | undefined>;
  cwd?: string;
  /** Pipe claude's stdin (the prompt or the SDK's messages come from us), else it is the terminal's. */
  pipeStdin: boolean;
  /** The command passes the wrapper's signals on; the library uses an abort signal. */
  forwardProcessSignals: boolean;
  /** Whether a claude that cannot be started is reported on stderr (the command) or only in the result (the library). */
  reportNotStarted?: boolean;
}

/** Where claude's stdout goes once the session's reader is there. */
export interface StdoutReader {
  data(chunk: Buffer): void;
  /** The end of claude's stdout. */
  end(): void;
  /** claude's stdout could not be read on: nothing more comes. */
  error(): void;
}

export class PrintLaunch {
  readonly claude: ClaudeProcess;
  /** The arguments claude got when the wrapper asked for stream-json; undefined when it got the caller's own. */
  readonly rewritten: string[] | undefined;
  /** claude's stdin is a pipe from the wrapper (else it has the terminal). */
  readonly stdinPiped: boolean;
  private readonly received: NodeJS.Signals[] = [];
  private listener: ((signal: NodeJS.Signals) => void) | undefined;
  private readonly stop: () => void;
  private readonly early: Buffer[] = [];
  private endedEarly: 'end' | 'error' | undefined;
  private reader: StdoutReader | undefined;
  private stdoutClosed = false;

  constructor(options: PrintLaunchOptions) {
    const { run } = options;
    this.stdinPiped = options.pipeStdin;
    this.rewritten = run.kind === 'sdk' ? sdkModeArgs(options.claudeArgs, run) : printModeArgs(options.claudeArgs, run);
    const start = () =>
      spawnClaude({
        file: options.claudeBin,
        args: this.rewritten ?? options.claudeArgs,
        env: options.env,
        pipeStdout: true,
        pipeStdin: options.pipeStdin,
        ...(options.cwd ? { cwd: options.cwd } : {}),
        ...(options.reportNotStarted !== undefined ? { reportNotStarted: options.reportNotStarted } : {}),
      });
    const forwarding = options.forwardProcessSignals
      ? forwardSignals(start, {
          interactive: false,
          onSignal: (signal) => {
            this.received.push(signal);
            this.listener?.(signal);
          },
        })
      : { claude: start(), stop: () => {} };
    this.claude = forwarding.claude;
    this.stop = forwarding.stop;
    const { stdout } = this.claude;
    if (stdout) {
      stdout.on('data', (chunk: Buffer) => (this.reader ? this.reader.data(chunk) : this.early.push(chunk)));
      const ended = (how: 'end' | 'error') => () => {
        if (this.stdoutClosed) return;
        if (this.reader) this.reader[how]();
        else this.endedEarly ??= how;
      };
      stdout.on('end', ended('end'));
      stdout.on('error', ended('error'));
    }
  }

  /** Hands claude's stdout to `reader`: what came so far at once, the rest as it comes. */
  readStdout(reader: StdoutReader): void {
    for (const chunk of this.early.splice(0)) reader.data(chunk);
    if (!this.claude.stdout) reader.error();
    else if (this.endedEarly) reader[this.endedEarly]();
    else this.reader = reader;
  }

  /** Stops reading claude's stdout (our own reader is slow): claude then waits on its pipe. */
  pauseStdout(): void {
    this.claude.stdout?.pause();
  }

  resumeStdout(): void {
    this.claude.stdout?.resume();
  }

  /**
   * The caller's reader of our output has gone: claude's stdout is closed too, so that its next
   * write fails (EPIPE, SIGPIPE) as it would with claude's stdout at that reader. Nothing more is read.
   */
  closeStdout(): void {
    const { stdout } = this.claude;
    if (!stdout || this.stdoutClosed) return;
    this.stdoutClosed = true;
    stdout.destroy();
    if (this.reader) this.reader.error();
    else this.endedEarly ??= 'error';
  }

  /** Tells `listener` of every signal passed on, those before this call included. */
  onSignal(listener: (signal: NodeJS.Signals) => void): void {
    this.listener = listener;
    for (const signal of this.received) listener(signal);
  }

  stopForwarding(): void {
    this.stop();
  }
}
