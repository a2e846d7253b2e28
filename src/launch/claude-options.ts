// claude's command line as claude reads it. claude parses its arguments with commander; this
// mirrors commander's rules, so that an option's value is never taken for the prompt:
// - `--opt <value>`: the next argument is the value, whatever it looks like;
// - `--opt [value]`: the next argument is the value unless it starts with `-`;
// - `--opt <values...>`: every following argument up to the next one that starts with `-`
//   (`claude -p --allowedTools Bash "prompt"` has no prompt: "prompt" is a tool name);
// - `--opt=value` and `-xvalue` carry their value; `-abc` is `-a -b -c` when they are flags;
// - `--` ends the options: everything after it is positional.
// The table holds every option that `claude --help` lists for each supported CLI (a test
// compares it with both CLIs' help, and with the stored help texts offline), plus the hidden
// ones the Agent SDK and the docs use.

/** How an option takes its value: none, the next argument, the next unless it is an option, or all up to the next option. */
export type OptionArity = 'flag' | 'value' | 'optional-value' | 'values';

export const CLAUDE_OPTIONS: ReadonlyMap<string, OptionArity> = new Map<string, OptionArity>([
  ['--add-dir', 'values'],
  ['--agent', 'value'],
  ['--agents', 'value'],
  ['--allow-dangerously-skip-permissions', 'flag'],
  ['--allowed-tools', 'values'],
  ['--allowedTools', 'values'],
  ['--append-system-prompt', 'value'],
  ['--autocompact', 'value'],
  ['--ax-screen-reader', 'flag'],
  ['--background', 'flag'],
  ['--bare', 'flag'],
  ['--betas', 'values'],
  ['--bg', 'flag'],
  ['--brief', 'flag'],
  ['--chrome', 'flag'],
  ['--cloud', 'optional-value'],
  ['--continue', 'flag'],
  ['--dangerously-skip-permissions', 'flag'],
  ['--debug', 'optional-value'],
  ['--debug-file', 'value'],
  ['--desktop', 'flag'],
  ['--disable-slash-commands', 'flag'],
  ['--disallowed-tools', 'values'],
  ['--disallowedTools', 'values'],
  ['--effort', 'value'],
  ['--environment', 'value'],
  ['--exclude-dynamic-system-prompt-sections', 'flag'],
  ['--fallback-model', 'value'],
  ['--file', 'values'],
  ['--fork-session', 'flag'],
  ['--forward-subagent-text', 'flag'],
  ['--from-pr', 'optional-value'],
  ['--help', 'flag'],
  ['--ide', 'flag'],
  ['--include-hook-events', 'flag'],
  ['--include-partial-messages', 'flag'],
  ['--input-format', 'value'],
  ['--json-schema', 'value'],
  ['--max-budget-usd', 'value'],
  ['--mcp-config', 'values'],
  ['--model', 'value'],
  ['--name', 'value'],
  ['--no-chrome', 'flag'],
  ['--no-session-persistence', 'flag'],
  ['--output-format', 'value'],
  ['--permission-mode', 'value'],
  ['--permission-prompts', 'value'],
  ['--plugin-dir', 'value'],
  ['--plugin-url', 'value'],
  ['--print', 'flag'],
  ['--prompt-suggestions', 'optional-value'],
  ['--remote-control', 'optional-value'],
  ['--remote-control-session-name-prefix', 'value'],
  ['--replay-user-messages', 'flag'],
  ['--restricted', 'flag'],
  ['--resume', 'optional-value'],
  ['--safe-mode', 'flag'],
  ['--session-id', 'value'],
  ['--setting-sources', 'value'],
  ['--settings', 'value'],
  ['--strict-mcp-config', 'flag'],
  ['--system-prompt', 'value'],
  ['--system-prompt-snapshot', 'value'],
  ['--teleport', 'optional-value'],
  ['--tmux', 'flag'],
  ['--tools', 'values'],
  ['--verbose', 'flag'],
  ['--version', 'flag'],
  ['--worktree', 'optional-value'],
  ['-c', 'flag'],
  ['-d', 'optional-value'],
  ['-h', 'flag'],
  ['-n', 'value'],
  ['-p', 'flag'],
  ['-r', 'optional-value'],
  ['-v', 'flag'],
  ['-w', 'optional-value'],
  // Hidden from --help.
  ['--append-system-prompt-file', 'value'],
  ['--await-initialize', 'flag'],
  ['--channels', 'values'],
  ['--debug-to-stderr', 'flag'],
  ['--initialize-fields', 'value'],
  ['--managed-settings', 'value'],
  ['--managed-settings-in-initialize', 'flag'],
  ['--max-thinking-tokens', 'value'],
  ['--max-turns', 'value'],
  ['--permission-prompt-tool', 'value'],
  ['--plugin-dir-no-mcp', 'value'],
  ['--project-config-root', 'value'],
  ['--remote', 'optional-value'],
  ['--resume-drops-turn', 'value'],
  ['--resume-session-at', 'value'],
  ['--sdk-url', 'value'],
  ['--session-mirror', 'flag'],
  ['--system-prompt-file', 'value'],
  ['--task-budget', 'value'],
  ['--thinking', 'value'],
  ['--thinking-display', 'value'],
]);

/** Sub-commands of claude (every supported CLI's, and earlier ones'): they start no session. */
export const CLAUDE_COMMANDS: ReadonlySet<string> = new Set([
  'accept-program',
  'agents',
  'attach',
  'auth',
  'auto-mode',
  'config',
  'doctor',
  'gateway',
  'help',
  'import',
  'install',
  'kill',
  'login',
  'logout',
  'logs',
  'mcp',
  'migrate-installer',
  'plugin',
  'plugins',
  'project',
  'purge',
  'respawn',
  'rm',
  'setup-token',
  'stop',
  'ultrareview',
  'update',
  'upgrade',
]);

export interface ParsedOption {
  /** As written (`--model`, `-p`), without an `=value` part. */
  name: string;
  /** Its values: none for a flag, one for most options, any number for a variadic one. */
  values: string[];
  /** False for an option this table does not know (taken for a flag). */
  known: boolean;
}

export interface ParsedArgs {
  options: ParsedOption[];
  positionals: string[];
  /**
   * True when an unknown option is directly followed by a positional argument: that
   * argument may be the option's value, so which positional is the prompt is not known.
   */
  ambiguous: boolean;
}

function looksLikeOption(arg: string): boolean {
  return arg.length > 1 && arg.startsWith('-');
}

export function parseClaudeArgs(args: readonly string[]): ParsedArgs {
  const options: ParsedOption[] = [];
  const positionals: string[] = [];
  let ambiguous = false;
  let variadic: ParsedOption | undefined;
  let afterUnknown = false;
  const pending = [...args];
  while (pending.length > 0) {
    const arg = pending.shift() ?? '';
    if (arg === '--') {
      positionals.push(...pending);
      break;
    }
    if (!looksLikeOption(arg)) {
      if (variadic) variadic.values.push(arg);
      else {
        if (afterUnknown) ambiguous = true;
        positionals.push(arg);
      }
      continue;
    }
    variadic = undefined;
    afterUnknown = false;
    const arity = CLAUDE_OPTIONS.get(arg);
    if (arity !== undefined) {
      const option: ParsedOption = { name: arg, values: [], known: true };
      // A required value (`<value>`, `<values...>`) is the next argument, whatever it looks like.
      if ((arity === 'value' || arity === 'values') && pending.length > 0) option.values.push(pending.shift() ?? '');
      else if (arity === 'optional-value' && pending.length > 0 && !looksLikeOption(pending[0] ?? '')) {
        option.values.push(pending.shift() ?? '');
      }
      if (arity === 'values') variadic = option;
      options.push(option);
      continue;
    }
    if (!arg.startsWith('--')) {
      // -abc: a known short option first; its value is the rest, or the rest is more short options.
      const short = arg.slice(0, 2);
      const shortArity = CLAUDE_OPTIONS.get(short);
      if (shortArity !== undefined) {
        if (shortArity === 'flag') {
          options.push({ name: short, values: [], known: true });
          pending.unshift(`-${arg.slice(2)}`);
        } else options.push({ name: short, values: [arg.slice(2)], known: true });
        continue;
      }
    }
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 2) {
      // --opt=value takes nothing more, known or not.
      const name = arg.slice(0, eq);
      options.push({ name, values: [arg.slice(eq + 1)], known: CLAUDE_OPTIONS.has(name) });
      continue;
    }
    options.push({ name: arg, values: [], known: false });
    afterUnknown = true;
  }
  return { options, positionals, ambiguous };
}
