// Between claude's exit and the moment its session is complete in the local store, a signal
// that would end the wrapper waits: the store is written first, then the signal takes effect
// as it would have (the default action, once nobody listens for it). Sending to the collector
// comes after, and a signal then ends the wrapper at once: the stored session stays
// undelivered and a replay or a later run sends it.

import { clampTimerMs } from '../config/timer-limit.ts';
import { ENDING_SIGNALS } from './ending-signals.ts';

// The signals forwarded to claude while it ran: with no listener, one of them would now end the
// wrapper before the session is stored (or, SIGUSR1, open Node's inspector).
const HELD = ENDING_SIGNALS;

export interface SignalHold {
  /** Lets the held signal (if any) take effect now; later calls do nothing. */
  release(): void;
}

/** Holds terminating signals for at most `maxMs`, in case storing never ends. */
export function holdTerminationSignals(maxMs: number, onHeld?: (signal: NodeJS.Signals) => void): SignalHold {
  let held: NodeJS.Signals | undefined;
  let released = false;
  const handler = (signal: NodeJS.Signals) => {
    held ??= signal;
    onHeld?.(signal);
  };
  for (const signal of HELD) process.on(signal, handler);
  const timer = setTimeout(() => release(), clampTimerMs(maxMs));
  timer.unref();
  const release = () => {
    if (released) return;
    released = true;
    clearTimeout(timer);
    // From here a signal ends the process at once. A listener that does so takes the hold's place
    // before the hold's goes: with no listener at all for a moment, node would stop watching the
    // signal, and one it had caught but not yet handed on would be dropped without effect.
    for (const signal of HELD) {
      process.on(signal, endBySignal);
      process.off(signal, handler);
    }
    if (held) endBySignal(held);
  };
  return { release };
}

/** Ends the process by `signal`: with no listener left, the signal's default action applies. */
function endBySignal(signal: NodeJS.Signals): void {
  for (const s of HELD) process.off(s, endBySignal);
  process.kill(process.pid, signal);
}
