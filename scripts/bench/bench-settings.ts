import type { BenchSettings } from './results.ts';
import { DEFAULT_FLUSH_BUDGET_MS } from './targets.ts';

// What the bench runs and how often, from BENCH_* variables.

export const SCENARIOS = ['sessions', 'sdk', 'startup', 'long', 'parser', 'redaction', 'profile', 'imports', 'volume', 'serve', 'native', 'import'] as const;
export type Scenario = (typeof SCENARIOS)[number];

function count(env: Record<string, string | undefined>, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name}=${raw}: expected a whole number ≥ ${min}`);
  return value;
}

export function benchSettings(env: Record<string, string | undefined>): BenchSettings {
  return {
    rounds: count(env, 'BENCH_ROUNDS', 20),
    warmupRounds: count(env, 'BENCH_WARMUP_ROUNDS', 1, 0),
    longRealCalls: count(env, 'BENCH_LONG_CALLS', 1000),
    longRealPerTurn: count(env, 'BENCH_LONG_CALLS_PER_TURN', 20),
    longRealRounds: count(env, 'BENCH_LONG_ROUNDS', 3, 0),
    replayCalls: count(env, 'BENCH_REPLAY_CALLS', 1000),
    replayRounds: count(env, 'BENCH_REPLAY_ROUNDS', 5),
    outputBytes: count(env, 'BENCH_OUTPUT_BYTES', 30_000),
    parserLines: count(env, 'BENCH_PARSER_LINES', 100_000),
    protocol: 'grpc',
    flushBudgetMs: DEFAULT_FLUSH_BUDGET_MS,
  };
}

/** BENCH_ONLY=sessions,parser runs just those (results then go to bench/tmp/, not bench/results/). */
export function selectedScenarios(env: Record<string, string | undefined>): Set<Scenario> | undefined {
  const raw = env.BENCH_ONLY?.trim();
  if (!raw) return undefined;
  const chosen = new Set<Scenario>();
  for (const name of raw.split(',').map((s) => s.trim())) {
    const scenario = SCENARIOS.find((s) => s === name);
    if (!scenario) throw new Error(`BENCH_ONLY: unknown scenario "${name}" (known: ${SCENARIOS.join(', ')})`);
    chosen.add(scenario);
  }
  return chosen;
}
