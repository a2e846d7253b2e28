// What kind of run the arguments ask claude for: a print-mode session (we read its
// stream-json), an SDK session (`--input-format stream-json`, how the Agent SDK starts
// claude: messages in on stdin, stream-json out), an interactive session, or a command
// that is not a session at all.

import { CLAUDE_COMMANDS, parseClaudeArgs } from './claude-options.ts';

export type OutputFormat = 'text' | 'json' | 'stream-json';

export interface PrintRun {
  kind: 'print';
  outputFormat: OutputFormat;
  verbose: boolean;
  includePartialMessages: boolean;
  /**
   * The positional prompt, when one can be told apart from option values: claude's arguments
   * are read as claude reads them (claude-options.ts); undefined when an option this wrapper
   * does not know stands right before a positional argument.
   */
  promptArg?: string;
  /** --max-turns and --max-budget-usd as given: claude's text output quotes them. */
  maxTurns?: string;
  maxBudgetUsd?: string;
}
/** Streaming input, with or without -p: the caller talks to claude over stdin and stdout. */
export interface SdkRun {
  kind: 'sdk';
  outputFormat: OutputFormat;
  verbose: boolean;
  includePartialMessages: boolean;
}
export interface InteractiveRun {
  kind: 'interactive';
}
export interface PassthroughRun {
  kind: 'passthrough';
}
export type RunKind = PrintRun | SdkRun | InteractiveRun | PassthroughRun;

const NON_SESSION_FLAGS = new Set(['--version', '-v', '-V', '--help', '-h']);

function outputFormatOf(value: string | undefined): OutputFormat | undefined {
  return value === 'json' || value === 'stream-json' || value === 'text' ? value : undefined;
}

export function classifyRun(args: readonly string[]): RunKind {
  const parsed = parseClaudeArgs(args);
  let print = false;
  let outputFormat: OutputFormat = 'text';
  let verbose = false;
  let includePartialMessages = false;
  let inputFormat: string | undefined;
  let maxTurns: string | undefined;
  let maxBudgetUsd: string | undefined;

  for (const { name, values } of parsed.options) {
    const value = values[0];
    if (NON_SESSION_FLAGS.has(name)) return { kind: 'passthrough' };
    if (name === '-p' || name === '--print') print = true;
    else if (name === '--verbose') verbose = true;
    else if (name === '--include-partial-messages') includePartialMessages = true;
    else if (name === '--output-format') outputFormat = outputFormatOf(value) ?? outputFormat;
    else if (name === '--input-format') inputFormat = value;
    else if (name === '--max-turns') maxTurns = value;
    else if (name === '--max-budget-usd') maxBudgetUsd = value;
  }

  const first = parsed.positionals[0];
  if (!print && first !== undefined && CLAUDE_COMMANDS.has(first) && args[0] === first) return { kind: 'passthrough' };
  if (inputFormat === 'stream-json') return { kind: 'sdk', outputFormat, verbose, includePartialMessages };
  if (!print) return { kind: 'interactive' };
  const run: PrintRun = { kind: 'print', outputFormat, verbose, includePartialMessages };
  // An unknown option right before a positional may have taken it for its value: no prompt then, rather than a wrong one.
  if (parsed.positionals.length > 0 && !parsed.ambiguous) run.promptArg = parsed.positionals.join(' ');
  if (maxTurns !== undefined) run.maxTurns = maxTurns;
  if (maxBudgetUsd !== undefined) run.maxBudgetUsd = maxBudgetUsd;
  return run;
}

/**
 * The arguments claude gets in print mode: stream-json with every message, so the wrapper
 * sees the whole session. Returns undefined when the user's output cannot be rebuilt from
 * it faithfully (then claude runs with the user's own arguments).
 */
export function printModeArgs(args: readonly string[], run: PrintRun): string[] | undefined {
  // Combinations claude refuses: let claude say so itself.
  if (run.outputFormat === 'stream-json' && !run.verbose) return undefined;
  if (run.outputFormat !== 'stream-json' && run.includePartialMessages) return undefined;
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (arg === '--output-format') {
      i++;
      continue;
    }
    if (arg.startsWith('--output-format=')) continue;
    out.push(arg);
  }
  const extra = ['--output-format', 'stream-json'];
  if (!run.verbose) extra.push('--verbose');
  if (!run.includePartialMessages) extra.push('--include-partial-messages');
  // In front, so that no variadic option of the user's can swallow them.
  return [...extra, ...out];
}

/**
 * The arguments claude gets in SDK mode: the caller's, plus the partial messages that give
 * each model call its exact usage (their lines are kept from the caller). Undefined when
 * claude will refuse the combination anyway (then it runs with the caller's arguments).
 */
export function sdkModeArgs(args: readonly string[], run: SdkRun): string[] | undefined {
  if (run.outputFormat !== 'stream-json' || !run.verbose) return undefined;
  // In front, so that no variadic option of the caller's can swallow it.
  return run.includePartialMessages ? [...args] : ['--include-partial-messages', ...args];
}

/**
 * runClaude() reads claude's answer itself: whatever format the caller asked for, the session
 * runs as a text-mode one (printModeArgs then asks claude for stream-json).
 */
export function asTextRun(args: readonly string[], run: PrintRun): { args: string[]; run: PrintRun } {
  return { args: args.filter((arg) => arg !== '--include-partial-messages'), run: { ...run, outputFormat: 'text', includePartialMessages: false } };
}
