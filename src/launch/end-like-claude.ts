import { constants } from 'node:os';

// The wrapper ends as claude ended: with its exit code, or, when a signal ended claude, by
// that same signal, so that the caller (a shell, Python's subprocess, Node's child_process)
// sees what it sees with bare claude. Called once everything is cleaned up and flushed.

export interface WrapperExit {
  /** claude's exit code; 128+N when signal N ended it, as a shell reports it. */
  exitCode: number;
  signal?: string;
}

/** A signal the platform knows, as Node names it. */
export function knownSignal(name: string | undefined): NodeJS.Signals | undefined {
  return name !== undefined && Object.hasOwn(constants.signals, name) ? (name as NodeJS.Signals) : undefined;
}

/** How long to wait for a re-raised signal to end the process before exiting with 128+N. */
const SIGNAL_GRACE_MS = 200;

/**
 * Node starts with SIGPIPE and SIGXFSZ ignored, so sending them to ourselves would do nothing.
 * When its last listener for a signal goes, Node (libuv) sets the signal's action back to the
 * default: listening for a moment and stopping again does that for any signal.
 */
function restoreDefaultAction(signal: NodeJS.Signals): void {
  const ignore = () => {};
  try {
    process.on(signal, ignore);
  } catch {
    // SIGKILL and SIGSTOP take no listener; their action is always the default
  } finally {
    process.removeListener(signal, ignore);
  }
}

export function endLikeClaude(exit: WrapperExit): void {
  const signal = knownSignal(exit.signal);
  if (signal) {
    // Our own handlers (forwarding SIGTERM/SIGINT to claude) would catch it: drop them all.
    process.removeAllListeners(signal);
    restoreDefaultAction(signal);
    try {
      process.kill(process.pid, signal);
    } catch {
      // not allowed here: fall through to the exit code
    }
    // Should the signal not end us after all: the shell's figure then.
    setTimeout(() => process.exit(exit.exitCode), SIGNAL_GRACE_MS);
    return;
  }
  process.exit(exit.exitCode);
}
