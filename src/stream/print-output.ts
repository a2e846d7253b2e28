import type { OutputFormat, PrintRun } from '../launch/session-kind.ts';
import type { ParsedLine } from './messages.ts';

// What bare `claude -p` would have printed, rebuilt from the stream-json lines the wrapper
// asked for instead (rules checked against the CLI in test/fixtures/streams/FINDINGS.md).
// Lines that are not JSON are claude's own words (or junk) and pass through as they came.

export interface PrintOutputOptions {
  format: OutputFormat;
  /** The user asked for --verbose (json then prints the messages as one array). */
  verbose: boolean;
  /** The user asked for --include-partial-messages themselves. */
  userPartialMessages: boolean;
  maxTurns?: string;
  maxBudgetUsd?: string;
}

export function printOutputOptions(run: PrintRun): PrintOutputOptions {
  const options: PrintOutputOptions = { format: run.outputFormat, verbose: run.verbose, userPartialMessages: run.includePartialMessages };
  if (run.maxTurns !== undefined) options.maxTurns = run.maxTurns;
  if (run.maxBudgetUsd !== undefined) options.maxBudgetUsd = run.maxBudgetUsd;
  return options;
}

/** Messages that `--output-format json --verbose` leaves out of its array. */
const NOT_IN_VERBOSE_JSON_SYSTEM = new Set([
  'task_started', 'task_progress', 'task_updated', 'task_notification', 'hook_started', 'hook_progress', 'hook_response',
  'session_state_changed', 'notification', 'post_turn_summary', 'task_summary', 'commands_changed', 'elicitation_complete',
  'files_persisted', 'mirror_error',
]);
const NOT_IN_VERBOSE_JSON_TYPES = new Set(['stream_event', 'control_request', 'control_response', 'control_cancel_request', 'keep_alive', 'prompt_suggestion', 'transcript_mirror']);

export class PrintOutput {
  private readonly kept: string[] = [];

  constructor(private readonly options: PrintOutputOptions) {}

  /** Lines the wrapper's own flags added: partial messages and the status lines that frame them. */
  private addedByWrapper(value: Record<string, unknown>): boolean {
    if (this.options.userPartialMessages) return false;
    return value.type === 'stream_event' || (value.type === 'system' && value.subtype === 'status');
  }

  /** The text to write to stdout for one line of claude's output ('' for nothing). */
  line(raw: string, newline: boolean, parsed: ParsedLine | undefined): string {
    if (parsed === undefined) return newline ? `${raw}\n` : raw;
    const { value } = parsed;
    if (this.addedByWrapper(value)) return '';
    switch (this.options.format) {
      case 'stream-json':
        return newline ? `${raw}\n` : raw;
      case 'text':
        return value.type === 'result' ? this.resultText(value) : '';
      case 'json':
        // Re-serialised, not copied: claude escapes U+2028/U+2029 in stream-json only.
        if (!this.options.verbose) return value.type === 'result' ? `${JSON.stringify(value)}\n` : '';
        if (this.inVerboseJson(value)) this.kept.push(JSON.stringify(value));
        return value.type === 'result' ? `[${this.kept.join(',')}]\n` : '';
    }
  }

  private inVerboseJson(value: Record<string, unknown>): boolean {
    if (typeof value.type === 'string' && NOT_IN_VERBOSE_JSON_TYPES.has(value.type)) return false;
    if (value.type === 'system' && typeof value.subtype === 'string' && NOT_IN_VERBOSE_JSON_SYSTEM.has(value.subtype)) return false;
    return true;
  }

  private resultText(result: Record<string, unknown>): string {
    switch (result.subtype) {
      case 'success': {
        const text = typeof result.result === 'string' ? result.result : '';
        return text.endsWith('\n') ? text : `${text}\n`;
      }
      case 'error_max_turns':
        return `Error: Reached max turns (${this.options.maxTurns ?? quotedNumber(result.errors) ?? ''})`;
      case 'error_during_execution':
        return 'Execution error';
      case 'error_max_budget_usd':
        return `Error: Exceeded USD budget (${this.options.maxBudgetUsd ?? quotedNumber(result.errors) ?? ''})`;
      case 'error_max_structured_output_retries':
        return 'Error: Failed to provide valid structured output after maximum retries';
      default:
        return typeof result.result === 'string' ? `${result.result}\n` : '';
    }
  }
}

/** "Reached maximum number of turns (1)" → "1". */
function quotedNumber(errors: unknown): string | undefined {
  if (!Array.isArray(errors)) return undefined;
  for (const e of errors) {
    const match = typeof e === 'string' ? /\(([\d.]+)\)/.exec(e) : null;
    if (match?.[1]) return match[1];
  }
  return undefined;
}
