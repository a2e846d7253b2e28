// The wrapper's own options start with --otel-; everything else goes to claude untouched.

export interface WrapperOptions {
  debug: boolean;
  printTraceId: boolean;
  unknown: string[];
}

export interface SplitArgs {
  claudeArgs: string[];
  options: WrapperOptions;
}

export function splitWrapperArgs(argv: readonly string[]): SplitArgs {
  const claudeArgs: string[] = [];
  const options: WrapperOptions = { debug: false, printTraceId: false, unknown: [] };
  let afterDoubleDash = false;
  for (const arg of argv) {
    if (afterDoubleDash || !arg.startsWith('--otel-')) {
      if (arg === '--') afterDoubleDash = true;
      claudeArgs.push(arg);
      continue;
    }
    const name = arg.split('=', 1)[0];
    if (name === '--otel-debug') options.debug = true;
    else if (name === '--otel-print-trace-id') options.printTraceId = true;
    else options.unknown.push(arg);
  }
  return { claudeArgs, options };
}
