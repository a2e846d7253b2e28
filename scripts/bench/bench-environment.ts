import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { makeSandbox, CLAUDE_BIN } from '../../test/support/claude-run.ts';
import type { Sandbox } from '../../test/support/claude-run.ts';
import { closedPort, startOtlpReceiver } from '../../test/support/otlp-receiver.ts';
import type { OtlpReceiver } from '../../test/support/otlp-receiver.ts';
import { WRAPPER_BIN } from '../../test/support/scenario.ts';
import { installUsageProbe } from './usage-probe.ts';
import type { UsageProbe } from './usage-probe.ts';
import { assertNanosecondDate, shellQuote, writeStampingShim } from './shell-scripts.ts';
import { makeGitWorkTree } from './bench-git-repo.ts';

// What every scenario shares: a throwaway HOME for claude, the collectors (a live OTLP/gRPC
// receiver, a black hole, a port nobody listens on), the stamping shims and the usage probe.

export interface BenchEnvironment {
  sandbox: Sandbox;
  /** Scratch files (stamps, usage records, streams), removed with the sandbox. */
  scratch: string;
  realClaude: string;
  wrapperBin: string;
  /** The real claude behind the stamping shim. */
  stampedClaude: string;
  /** A claude that does nothing, behind the stamping shim: start-up without a session. */
  stampedNothing: string;
  live: OtlpReceiver;
  blackHole: OtlpReceiver;
  refusedEndpoint: string;
  probe: UsageProbe;
  /** A new scratch file name for one run. */
  scratchFile(prefix: string): string;
  /** The environment of one run: the sandbox's, with `extra` on top. */
  env(extra: Record<string, string>): Record<string, string | undefined>;
  close(): Promise<void>;
}

export async function openBenchEnvironment(): Promise<BenchEnvironment> {
  assertNanosecondDate();
  // Every run starts its own scripted API and says where it is; this address is never used.
  const sandbox = await makeSandbox({ apiUrl: 'http://127.0.0.1:9' });
  if (process.env.BENCH_NO_GIT !== '1') makeGitWorkTree(sandbox.cwd);
  const scratch = join(dirname(sandbox.home), 'bench');
  await mkdir(scratch, { recursive: true });
  const [live, blackHole, refusedPort] = await Promise.all([
    startOtlpReceiver({ protocol: 'grpc' }),
    startOtlpReceiver({ protocol: 'grpc', behaviour: 'black-hole' }),
    closedPort(),
  ]);
  let counter = 0;
  return {
    sandbox,
    scratch,
    realClaude: CLAUDE_BIN,
    wrapperBin: WRAPPER_BIN,
    stampedClaude: await writeStampingShim(scratch, 'claude-stamped', shellQuote(CLAUDE_BIN)),
    stampedNothing: await writeStampingShim(scratch, 'claude-nothing', ':'),
    live,
    blackHole,
    refusedEndpoint: `http://127.0.0.1:${refusedPort}`,
    probe: await installUsageProbe(scratch),
    scratchFile: (prefix) => join(scratch, `${prefix}-${++counter}`),
    env: (extra) => ({ ...sandbox.env, ...extra }),
    close: async () => {
      await Promise.all([live.close(), blackHole.close()]);
      await sandbox.cleanup();
    },
  };
}
