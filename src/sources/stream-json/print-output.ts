import type { OutputFormat, PrintRun } from '../../launch/session-kind.ts';
import type { ParsedLine } from './messages.ts';

// What bare `claude -p` would have printed, rebuilt from the stream-json lines the wrapper
// asked for instead (rules checked against the CLI in test/fixtures/streams/FINDINGS.md).
// Lines that are not JSON are claude's own words (or junk) and pass through as they came.
// Since background agents (2.1.332) one run can end several turns, each with its result:
// text prints every result, json only the last one (or one array of everything) at the end.

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
  'task_started',
  'task_progress',
  'task_updated',
  'task_notification',
  'hook_started',
  'hook_progress',
  'hook_response',
  'session_state_changed',
  'notification',
  'post_turn_summary',
  'task_summary',
  'commands_changed',
  'elicitation_complete',
  'files_persisted',
  'mirror_error',
  'background_tasks_changed',
]);
const NOT_IN_VERBOSE_JSON_TYPES = new Set([
  'stream_event',
  'control_request',
  'control_response',
  'control_cancel_request',
  'keep_alive',
  'prompt_suggestion',
  'transcript_mirror',
]);

/** Only the stream-json run advertises these (its command-lifecycle forwarder, 2.1.332; idle events, 2.1.337): json's init has no such entries. */
const STREAM_JSON_ONLY_CAPABILITIES: ReadonlySet<unknown> = new Set(['lifecycle_wakeup_source_v1', 'lifecycle_idle_v1']);
/** Added to results by --include-partial-messages. */
const PARTIAL_MESSAGES_KEY = 'begun_message_ids';
const WRITTEN_AT_KEY = 'written_at';
const PARTIAL_MESSAGES_ENTRY = new RegExp(`(?:,"${PARTIAL_MESSAGES_KEY}":\\[[^\\]]*\\]|"${PARTIAL_MESSAGES_KEY}":\\[[^\\]]*\\],?)`);

export class PrintOutput {
  /** json --verbose: the messages of the final array. */
  private readonly kept: Record<string, unknown>[] = [];
  /** json: the last result so far. */
  private lastResult: Record<string, unknown> | undefined;
  private results = 0;
  /** text: the text of the turn's last assistant message so far (the answer, should its result be cut off). */
  private answer: string | undefined;

  constructor(private readonly options: PrintOutputOptions) {}

  /**
   * Lines the wrapper's own flags added: partial messages and the `requesting` status before
   * each request. Other status lines (`compacting`, then the compaction's result) claude writes
   * without them too.
   */
  private addedByWrapper(value: Record<string, unknown>): boolean {
    if (this.options.userPartialMessages) return false;
    return value.type === 'stream_event' || (value.type === 'system' && value.subtype === 'status' && value.status === 'requesting');
  }

  /** The text to write to stdout for one line of claude's output ('' for nothing). */
  line(raw: string, newline: boolean, parsed: ParsedLine | undefined): string {
    if (parsed === undefined) return newline ? `${raw}\n` : raw;
    const { value } = parsed;
    if (this.addedByWrapper(value)) return '';
    switch (this.options.format) {
      case 'stream-json': {
        // Claude's own bytes, less the key only the wrapper's --include-partial-messages added.
        const text =
          value.type === 'result' && !this.options.userPartialMessages && PARTIAL_MESSAGES_KEY in value ? raw.replace(PARTIAL_MESSAGES_ENTRY, '') : raw;
        return newline ? `${text}\n` : text;
      }
      case 'text':
        if (value.type === 'assistant') this.noteAnswer(value);
        if (value.type !== 'result') return '';
        this.answer = undefined;
        // A later turn's result follows a blank line.
        return (this.results++ > 0 ? '\n' : '') + this.resultText(value);
      case 'json':
        if (this.options.verbose && this.inVerboseJson(value)) this.kept.push(value);
        if (value.type === 'result') this.lastResult = value;
        return '';
    }
  }

  /**
   * What to write for the last line when claude's output ended in the middle of it and it is
   * not stream-json; undefined to write it as it came. In text mode a cut JSON line is never
   * printed: the answer is rebuilt from the turn's last assistant text that did arrive.
   */
  cutShort(raw: string): string | undefined {
    if (this.options.format !== 'text' || !raw.trimStart().startsWith('{')) return undefined;
    const answer = this.answer;
    this.answer = undefined;
    if (answer === undefined) return '';
    return (this.results++ > 0 ? '\n' : '') + (answer.endsWith('\n') ? answer : `${answer}\n`);
  }

  /** A main-thread assistant message with text: the answer so far (each stream-json assistant line carries one content block). */
  private noteAnswer(value: Record<string, unknown>): void {
    if (typeof value.parent_tool_use_id === 'string' || typeof value.agent_id === 'string') return;
    const message = value.message;
    if (typeof message !== 'object' || message === null || !('content' in message) || !Array.isArray(message.content)) return;
    const texts: string[] = [];
    for (const block of message.content as unknown[]) {
      if (typeof block === 'object' && block !== null && 'type' in block && block.type === 'text' && 'text' in block && typeof block.text === 'string')
        texts.push(block.text);
    }
    if (texts.length > 0) this.answer = texts.join('');
  }

  /** What bare claude prints once its output has ended (json waits for the last turn). */
  end(): string {
    const result = this.lastResult;
    if (this.options.format !== 'json' || result === undefined) return '';
    this.lastResult = undefined;
    // 2.1.332's json writer (its results carry result_index) escapes U+2028/U+2029 as stream-json
    // does and leaves out the per-result usage; 2.1.197's is plain JSON.stringify.
    const newWriter = 'result_index' in result;
    const serialise = (value: unknown) => {
      const text = JSON.stringify(value);
      return newWriter ? text.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029') : text;
    };
    if (!this.options.verbose) return `${serialise(jsonMessage(result))}\n`;
    return `[${this.kept.map((value) => serialise(jsonMessage(value))).join(',')}]\n`;
  }

  private inVerboseJson(value: Record<string, unknown>): boolean {
    if (typeof value.type === 'string' && NOT_IN_VERBOSE_JSON_TYPES.has(value.type)) return false;
    // A background agent's own messages (2.1.332; a foreground subagent's carry no agent_id).
    if (typeof value.agent_id === 'string') return false;
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

/** A message as json output has it: without what only stream-json runs add. */
function jsonMessage(message: Record<string, unknown>): Record<string, unknown> {
  // 2.1.337 stamps stream-json lines with the time they were written; its json output does not.
  let value = message;
  if (WRITTEN_AT_KEY in value) {
    const { [WRITTEN_AT_KEY]: _writtenAt, ...rest } = value;
    value = rest;
  }
  if (value.type === 'result') {
    const { model_usage_since_last_result: _sinceLast, [PARTIAL_MESSAGES_KEY]: _begun, ...rest } = value;
    return rest;
  }
  if (value.type === 'system' && value.subtype === 'init' && Array.isArray(value.capabilities)) {
    return { ...value, capabilities: value.capabilities.filter((c) => !STREAM_JSON_ONLY_CAPABILITIES.has(c)) };
  }
  return value;
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
