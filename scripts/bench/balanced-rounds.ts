import { countForeignCpu, disturbed } from './foreign-cpu.ts';
import { runOrder } from './run-order.ts';

// Rounds of every arm in a balanced order (run-order.ts); the warm-up rounds (a cold HOME,
// cold caches) are not kept. A round during which other work used a real share of the CPU is
// run again, up to `rounds` times in all.

export interface RunFailure {
  scenario: string;
  round: number;
  problem: string;
}

export interface Rounds<S> {
  samples: S[];
  failures: RunFailure[];
  /** Rounds run again because other work on the machine took a real share of the CPU. */
  rerun: number;
  /** Rounds kept although disturbed: the reruns allowed were used up. */
  disturbedKept: number;
}

export interface RoundOptions {
  rounds: number;
  warmupRounds: number;
  log: (line: string) => void;
}

export async function runBalancedRounds<A extends string, S extends { wallMs: number }>(
  arms: readonly A[],
  runOne: (arm: A, round: number) => Promise<S | RunFailure>,
  options: RoundOptions,
): Promise<Rounds<S>> {
  const result: Rounds<S> = { samples: [], failures: [], rerun: 0, disturbedKept: 0 };
  let attempt = 0;
  for (let round = -options.warmupRounds; round < options.rounds; attempt++) {
    const samples: S[] = [];
    const failures: RunFailure[] = [];
    const times: string[] = [];
    const foreign = countForeignCpu();
    const started = performance.now();
    for (const arm of runOrder(arms, attempt)) {
      const outcome = await runOne(arm, round);
      if ('problem' in outcome) failures.push(outcome);
      else samples.push(outcome);
      times.push(`${arm} ${'problem' in outcome ? 'failed' : `${Math.round(outcome.wallMs)} ms`}`);
    }
    const foreignMs = foreign();
    if (round < 0) {
      options.log('  warm-up round done');
    } else if (disturbed(foreignMs, performance.now() - started) && result.rerun < options.rounds) {
      result.rerun += 1;
      options.log(`  round ${round + 1}/${options.rounds}: other work took ${foreignMs} ms of CPU; again`);
      continue;
    } else {
      if (disturbed(foreignMs, performance.now() - started)) result.disturbedKept += 1;
      result.samples.push(...samples);
      result.failures.push(...failures);
      options.log(`  round ${round + 1}/${options.rounds}: ${times.join(', ')}`);
    }
    round += 1;
  }
  return result;
}
