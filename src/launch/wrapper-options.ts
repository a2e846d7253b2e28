import { likelyMeant } from '../config/edit-distance.ts';

// The wrapper's own options start with --otel-; everything else goes to claude untouched.
// (`claude-otel --help` and `--version` are claude's: they pass through.)

export interface WrapperOption {
  name: string;
  /** One line, for --otel-help. */
  meaning: string;
}

export const WRAPPER_OPTIONS: readonly WrapperOption[] = [
  { name: '--otel-debug', meaning: "the wrapper's diagnostics on stderr and in the debug log (as CLAUDE_OTEL_DEBUG=1)" },
  { name: '--otel-print-trace-id', meaning: "write the session's trace id to stderr at exit (as CLAUDE_OTEL_PRINT_TRACE_ID=1)" },
  { name: '--otel-help', meaning: 'this help; claude is not started' },
  { name: '--otel-version', meaning: "the wrapper's version, and the claude it would run with its version; claude is not started" },
];

export interface WrapperOptions {
  debug: boolean;
  printTraceId: boolean;
  help: boolean;
  version: boolean;
  /** --otel- options the wrapper does not have, by name (without any `=value`). */
  unknown: string[];
}

export interface SplitArgs {
  claudeArgs: string[];
  options: WrapperOptions;
}

export function splitWrapperArgs(argv: readonly string[]): SplitArgs {
  const claudeArgs: string[] = [];
  const options: WrapperOptions = { debug: false, printTraceId: false, help: false, version: false, unknown: [] };
  let afterDoubleDash = false;
  for (const arg of argv) {
    if (afterDoubleDash || !arg.startsWith('--otel-')) {
      if (arg === '--') afterDoubleDash = true;
      claudeArgs.push(arg);
      continue;
    }
    const name = arg.split('=', 1)[0] ?? arg;
    if (name === '--otel-debug') options.debug = true;
    else if (name === '--otel-print-trace-id') options.printTraceId = true;
    else if (name === '--otel-help') options.help = true;
    else if (name === '--otel-version') options.version = true;
    // By name only: a value given with it may be anything, a secret too.
    else options.unknown.push(name);
  }
  return { claudeArgs, options };
}

/** The one line that refuses an unknown --otel- option, with the option probably meant. */
/** Up to this many edits make an unknown --otel- option a likely misspelling of one the wrapper has. */
const MAX_OPTION_EDITS = 3;

export function unknownOptionMessage(name: string): string {
  // Printable characters only, so the message stays one line on any terminal.
  const shown = name.replace(/[^\x20-\x7e]/g, '?');
  const meant = likelyMeant(
    name,
    WRAPPER_OPTIONS.map((o) => o.name),
    MAX_OPTION_EDITS,
  );
  return `claude-otel: unknown option ${shown}${meant ? `; did you mean ${meant}?` : ''}`;
}
