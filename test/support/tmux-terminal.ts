/**
 * A real terminal for the CLI's interactive UI: a detached tmux session on a tmux server of
 * its own (`-L`), so tests never touch anyone's tmux. The command runs with exactly the
 * environment given (plus the TERM tmux sets) and its exit code is written to a file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { cliAtLeast } from './claude-cli.ts';

/** The idle prompt: 2.1.197 shows "? for shortcuts" under it, 2.1.332 its permission mode. */
export function promptReady(screen: string): boolean {
  return screen.includes('? for shortcuts') || screen.includes('(shift+tab to cycle)');
}

/** 2.1.332 starts in auto mode, which asks the model about commands that write: the default mode keeps the script's calls. */
export const DEFAULT_PERMISSION_MODE_ARGS: readonly string[] = cliAtLeast('2.1.332') ? ['--permission-mode', 'default'] : [];

export interface TerminalOptions {
  /** Working directory of the command. */
  cwd: string;
  /** The command's whole environment. */
  env: Record<string, string | undefined>;
  /** Where the launch script and the exit-code file go. */
  dir: string;
  width?: number;
  height?: number;
}

let counter = 0;

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class TmuxTerminal {
  readonly socket = `claude-otel-test-${process.pid}-${++counter}`;
  private readonly exitFile: string;
  private readonly pidFile: string;
  /** The server's socket file, which kill-server leaves behind. */
  private socketPath: string | undefined;

  private constructor(private readonly options: TerminalOptions) {
    this.exitFile = join(options.dir, `${this.socket}.exit`);
    this.pidFile = join(options.dir, `${this.socket}.pid`);
  }

  /** Starts `file args` in a new detached session. */
  static start(file: string, args: string[], options: TerminalOptions): TmuxTerminal {
    const terminal = new TmuxTerminal(options);
    terminal.launch(file, args);
    return terminal;
  }

  private launch(file: string, args: string[]): void {
    const assignments = Object.entries(this.options.env)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([k, v]) => `${k}=${shellQuote(v)}`);
    const script = join(this.options.dir, `${this.socket}.sh`);
    // `sh -c 'echo $$; exec ...'`: the pid file names the command itself (for signal tests).
    const inner = `echo $$ > ${shellQuote(this.pidFile)}; exec ${[file, ...args].map(shellQuote).join(' ')}`;
    writeFileSync(
      script,
      [
        `cd ${shellQuote(this.options.cwd)} || exit 1`,
        `env -i TERM="$TERM" ${assignments.join(' ')} sh -c ${shellQuote(inner)}`,
        `echo $? > ${shellQuote(this.exitFile)}`,
        // Keep the pane (and the screen) after the command has ended.
        'sleep 600',
        '',
      ].join('\n'),
    );
    this.tmux('new-session', '-d', '-s', 'main', '-x', String(this.options.width ?? 120), '-y', String(this.options.height ?? 40), `sh ${shellQuote(script)}`);
    this.socketPath = this.tmux('display-message', '-p', '#{socket_path}').trim() || undefined;
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  screen(): string {
    try {
      return this.tmux('capture-pane', '-p', '-t', 'main');
    } catch {
      return '';
    }
  }

  /** Types text literally, then presses Enter. */
  async type(text: string): Promise<void> {
    const occurrences = (screen: string) => screen.split(text).length - 1;
    const before = occurrences(this.screen());
    this.tmux('send-keys', '-t', 'main', '-l', text);
    // The UI reads a burst of keys as pasted text, an Enter in it included: the Enter goes once
    // the text is drawn in the input box.
    await this.waitForScreen((screen) => occurrences(screen) > before, 5_000, `"${text}" typed`);
    this.tmux('send-keys', '-t', 'main', 'Enter');
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  /** Waits until `pred(screen)` holds; throws with the screen on timeout. */
  async waitForScreen(pred: (screen: string) => boolean, timeoutMs = 20_000, what = 'the screen'): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (pred(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${screen}`);
      await sleep(100);
    }
  }

  /** The command's exit code if it has exited, else undefined. */
  exitCode(): number | undefined {
    const text = existsSync(this.exitFile) ? readFileSync(this.exitFile, 'utf8').trim() : '';
    return text === '' ? undefined : Number(text);
  }

  /** The command's exit code, once it has exited. */
  async waitForExit(timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const code = this.exitCode();
      if (code !== undefined) return code;
      if (Date.now() > deadline) throw new Error(`the command did not exit; the screen:\n${this.screen()}`);
      await sleep(100);
    }
  }

  /** The pid of the command (the wrapper), once it has started. */
  pid(): number | undefined {
    if (!existsSync(this.pidFile)) return undefined;
    const pid = Number(readFileSync(this.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  /** Ends the tmux server and everything still running in it. */
  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    if (this.socketPath) rmSync(this.socketPath, { force: true });
  }
}
