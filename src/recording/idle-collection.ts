import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// One full garbage collection while claude runs and the wrapper has nothing else to do.
// Loading the telemetry fills V8's young generation and brings the old one near its first
// limit; left alone, V8 collects both at the next burst of allocation, which is the flush
// after claude exits: about 15 ms more of the user's wait there (bench, 3-tool sessions).
// Collected early, the heap then has room for the flush. Only the command does this: in a
// host program (runClaude) the heap, and when to collect it, are the host's.

let collected = false;

export function collectGarbageOnce(): void {
  if (collected) return;
  collected = true;
  try {
    // V8's gc() is exposed to contexts made while the flag is on; it is turned off again at once.
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    setFlagsFromString('--no-expose-gc');
    if (typeof gc === 'function') gc();
  } catch {
    // Not possible here: V8 collects when it would have.
  }
}
