import { spawnClaude } from '../launch/spawn-claude.ts';
import { forwardSignals } from '../launch/forward-signals.ts';
import type { WrapperExit } from '../launch/end-like-claude.ts';

// Commands that are not sessions (and everything when OTEL_SDK_DISABLED=true): claude gets
// the terminal and the arguments as they are; the wrapper only waits and exits the same way.

export async function runPassthrough(file: string, args: string[], env: Record<string, string | undefined>, interactive: boolean): Promise<WrapperExit> {
  const { claude, stop } = forwardSignals(() => spawnClaude({ file, args, env, pipeStdout: false, pipeStdin: false }), { interactive });
  const exit = await claude.exited;
  stop();
  return { exitCode: exit.exitCode, ...(exit.signal ? { signal: exit.signal } : {}) };
}
