// What kind of run the arguments ask claude for: a print-mode session (we read its
// stream-json), an SDK session (`--input-format stream-json`, how the Agent SDK starts
// claude: messages in on stdin, stream-json out), an interactive session, or a command
// that is not a session at all.

export type OutputFormat = 'text' | 'json' | 'stream-json';

export interface PrintRun {
  kind: 'print';
  outputFormat: OutputFormat;
  verbose: boolean;
  includePartialMessages: boolean;
  /** The positional prompt, when one can be told apart from option values. */
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

/** Sub-commands of claude that start no session. */
const NON_SESSION_COMMANDS = new Set([
  'mcp',
  'config',
  'doctor',
  'update',
  'upgrade',
  'install',
  'migrate-installer',
  'setup-token',
  'plugin',
  'plugins',
  'auth',
  'login',
  'logout',
  'help',
]);
const NON_SESSION_FLAGS = new Set(['--version', '-v', '-V', '--help', '-h']);

/** Options of claude that take a value (the next argument), so it is not the prompt. */
const OPTIONS_WITH_VALUE = new Set([
  '--output-format',
  '--input-format',
  '--model',
  '--fallback-model',
  '--permission-mode',
  '--session-id',
  '--settings',
  '--setting-sources',
  '--append-system-prompt',
  '--system-prompt',
  '--system-prompt-file',
  '--append-system-prompt-file',
  '--max-turns',
  '--max-budget-usd',
  '--agent',
  '--agents',
  '--json-schema',
  '--permission-prompt-tool',
  '--betas',
  '--debug-file',
  '--resume',
  '-r',
  '--from-pr',
  '--remote',
  '--teleport',
  '--worktree',
  '-w',
]);
/** Options that take one or more values, up to the next option. */
const VARIADIC_OPTIONS = new Set([
  '--allowedTools',
  '--allowed-tools',
  '--disallowedTools',
  '--disallowed-tools',
  '--tools',
  '--add-dir',
  '--mcp-config',
  '--plugin-dir',
  '--file',
]);

function optionName(arg: string): string {
  const eq = arg.indexOf('=');
  return eq === -1 ? arg : arg.slice(0, eq);
}

export function classifyRun(args: readonly string[]): RunKind {
  let print = false;
  let outputFormat: OutputFormat = 'text';
  let verbose = false;
  let includePartialMessages = false;
  let inputFormat: string | undefined;
  let maxTurns: string | undefined;
  let maxBudgetUsd: string | undefined;
  const positionals: string[] = [];
  let sawOption = false;

  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    sawOption = true;
    const name = optionName(arg);
    const inlineValue = name.length < arg.length ? arg.slice(name.length + 1) : undefined;
    if (NON_SESSION_FLAGS.has(name)) return { kind: 'passthrough' };
    if (name === '-p' || name === '--print') print = true;
    else if (name === '--verbose') verbose = true;
    else if (name === '--include-partial-messages') includePartialMessages = true;
    else if (name === '--output-format') {
      const v = inlineValue ?? args[++i];
      if (v === 'json' || v === 'stream-json' || v === 'text') outputFormat = v;
    } else if (name === '--input-format') {
      inputFormat = inlineValue ?? args[++i];
    } else if (name === '--max-turns' || name === '--max-budget-usd') {
      const v = inlineValue ?? args[++i];
      if (name === '--max-turns') maxTurns = v;
      else maxBudgetUsd = v;
    } else if (OPTIONS_WITH_VALUE.has(name)) {
      if (inlineValue === undefined && !(args[i + 1] ?? '-').startsWith('-')) i++;
    } else if (VARIADIC_OPTIONS.has(name)) {
      if (inlineValue === undefined) while (i + 1 < args.length && !(args[i + 1] ?? '').startsWith('-')) i++;
    }
  }

  if (!sawOption || positionals.length > 0) {
    const first = positionals[0];
    if (!print && first !== undefined && NON_SESSION_COMMANDS.has(first) && args[0] === first) return { kind: 'passthrough' };
  }
  if (inputFormat === 'stream-json') return { kind: 'sdk', outputFormat, verbose, includePartialMessages };
  if (!print) return { kind: 'interactive' };
  const run: PrintRun = { kind: 'print', outputFormat, verbose, includePartialMessages };
  if (positionals.length > 0) run.promptArg = positionals.join(' ');
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
