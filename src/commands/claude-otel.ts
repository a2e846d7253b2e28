import { fileURLToPath } from 'node:url';
import { splitWrapperArgs } from '../launch/wrapper-options.ts';
import { classifyRun } from '../launch/session-kind.ts';
import { resolveClaude, ClaudeNotFoundError } from '../launch/resolve-claude.ts';
import { resolveWrapperConfig } from '../config/wrapper-config.ts';
import { createDebugLog } from '../sinks/debug-log.ts';
import { createRedactor, secretValuesFromEnv } from '../privacy/redact.ts';
import { describeConfig } from '../config/describe-config.ts';
import { runPassthrough } from '../runs/passthrough-run.ts';
import { runPrintSession } from '../runs/print-run.ts';
import type { TelemetryRuntime } from '../runs/telemetry-runtime.ts';

// `claude-otel [--otel-...] <claude arguments>`: runs claude exactly as asked and records
// the session. The exit code is claude's.

export const EXIT_CLAUDE_NOT_FOUND = 127;

export async function main(argv: string[], env: Record<string, string | undefined>, selfPaths: string[]): Promise<number> {
  const startTime = Date.now();
  const { claudeArgs, options } = splitWrapperArgs(argv);
  const config = resolveWrapperConfig(env, { debugFlag: options.debug });

  let claudeBin: string;
  try {
    claudeBin = resolveClaude({ env, selfPaths });
  } catch (error) {
    if (error instanceof ClaudeNotFoundError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_CLAUDE_NOT_FOUND;
    }
    throw error;
  }

  const run = classifyRun(claudeArgs);
  if (config.sdkDisabled || run.kind !== 'print') {
    return runPassthrough(claudeBin, claudeArgs, env, run.kind !== 'print');
  }

  const invalidPatterns: string[] = [];
  const redact = createRedactor({
    extraPatterns: config.privacy.extraRedactPatterns,
    secretValues: secretValuesFromEnv(env),
    onInvalidPattern: (pattern) => invalidPatterns.push(pattern),
  });
  const debugLog = createDebugLog({ enabled: config.debug, stateDir: config.stateDir, redact });
  for (const warning of config.warnings) debugLog.log('warn', warning);
  for (const pattern of invalidPatterns) debugLog.log('warn', `CLAUDE_OTEL_REDACT: "${pattern}" is not a regular expression; ignoring it`);
  for (const unknown of options.unknown) debugLog.log('warn', `unknown wrapper option ${unknown} (ignored)`);
  debugLog.log('debug', 'configuration', describeConfig(config));

  const loadRuntime = async (): Promise<TelemetryRuntime> => {
    const { TelemetryRuntime } = await import('../runs/telemetry-runtime.ts');
    return new TelemetryRuntime({ config, debugLog, redact, startTime, prompts: config.privacy.prompts, responses: config.privacy.responses });
  };
  const result = await runPrintSession({ claudeBin, claudeArgs, run, config, env, debugLog, redact, startTime, loadRuntime });
  if (options.printTraceId && result.traceId) process.stderr.write(`claude-otel: trace ${result.traceId}\n`);
  await debugLog.close();
  return result.exitCode;
}

export function selfPathsFrom(metaUrl: string, argv1: string | undefined): string[] {
  const paths = [fileURLToPath(metaUrl)];
  if (argv1) paths.push(argv1);
  return paths;
}
