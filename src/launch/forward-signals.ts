import { isatty } from 'node:tty';
import type { ClaudeProcess } from './spawn-claude.ts';

// Signals sent to the wrapper reach claude, and never end the wrapper before claude ends.
// A terminal's Ctrl-C already reaches claude itself (same process group): in interactive
// mode the wrapper only ignores it; in print mode it passes it on after a moment, in case
// it came from `kill` rather than the terminal.

export interface ForwardOptions {
  interactive: boolean;
  onSignal?: (signal: NodeJS.Signals) => void;
}

const TERMINAL_SIGINT_GRACE_MS = 250;

export function forwardSignals(claude: ClaudeProcess, options: ForwardOptions): () => void {
  // isatty rather than process.stdin.isTTY: creating the stdin stream costs claude's start about 3 ms.
  const fromTerminal = isatty(0) || isatty(2);
  let exited = false;
  void claude.exited.then(() => {
    exited = true;
  });
  const handlers: [NodeJS.Signals, () => void][] = [];
  const on = (signal: NodeJS.Signals, handler: () => void) => {
    handlers.push([signal, handler]);
    process.on(signal, handler);
  };
  on('SIGINT', () => {
    options.onSignal?.('SIGINT');
    if (options.interactive) return;
    if (!fromTerminal) return claude.kill('SIGINT');
    setTimeout(() => {
      if (!exited) claude.kill('SIGINT');
    }, TERMINAL_SIGINT_GRACE_MS).unref();
  });
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGQUIT'] as const) {
    on(signal, () => {
      options.onSignal?.(signal);
      claude.kill(signal);
    });
  }
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
