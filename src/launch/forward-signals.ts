import { isatty } from 'node:tty';
import type { ClaudeProcess } from './spawn-claude.ts';
import { ENDING_SIGNALS } from './ending-signals.ts';

// Signals sent to the wrapper reach claude, and never end the wrapper before claude ends (every
// signal that would end it: ending-signals.ts).
// A terminal's Ctrl-C already reaches claude itself (same process group): in interactive
// mode the wrapper only ignores it; in print mode it passes it on after a moment, in case
// it came from `kill` rather than the terminal.
// The handlers are in place before claude starts: starting it takes the wrapper some
// milliseconds after claude already runs, and a signal then would end the wrapper alone,
// leaving claude running. A signal caught while claude is being started is handled once that
// is done (handlers run from the event loop), and so reaches the claude just started.

export interface ForwardOptions {
  interactive: boolean;
  onSignal?: (signal: NodeJS.Signals) => void;
}

const TERMINAL_SIGINT_GRACE_MS = 250;

export interface Forwarding {
  claude: ClaudeProcess;
  /** Removes the handlers. */
  stop(): void;
}

/** Starts claude with `start` (which must start it synchronously) and passes the wrapper's signals on to it. */
export function forwardSignals(start: () => ClaudeProcess, options: ForwardOptions): Forwarding {
  // isatty rather than process.stdin.isTTY: creating the stdin stream costs claude's start about 3 ms.
  const fromTerminal = isatty(0) || isatty(2);
  let exited = false;
  // Set before any handler can run: handlers run from the event loop, after this function.
  let started: ClaudeProcess | undefined;
  const target = { kill: (signal: NodeJS.Signals) => started?.kill(signal) };
  const handlers: [NodeJS.Signals, () => void][] = [];
  const on = (signal: NodeJS.Signals, handler: () => void) => {
    handlers.push([signal, handler]);
    process.on(signal, handler);
  };
  on('SIGINT', () => {
    options.onSignal?.('SIGINT');
    if (options.interactive) return;
    if (!fromTerminal) return target.kill('SIGINT');
    setTimeout(() => {
      if (!exited) target.kill('SIGINT');
    }, TERMINAL_SIGINT_GRACE_MS).unref();
  });
  for (const signal of ENDING_SIGNALS) {
    if (signal === 'SIGINT') continue;
    on(signal, () => {
      options.onSignal?.(signal);
      target.kill(signal);
    });
  }
  const stop = () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
  try {
    started = start();
  } catch (error) {
    stop();
    throw error;
  }
  void started.exited.then(() => {
    exited = true;
  });
  return { claude: started, stop };
}
