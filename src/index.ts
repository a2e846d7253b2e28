// The library: run Claude Code from a Node program (a bot, a service, a script) with the
// same telemetry the command gives.

export { ClaudeRunError, runClaude } from './api.ts';
export type { RunClaudeOptions, RunClaudeResult } from './api.ts';
