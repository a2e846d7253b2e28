import type { ToolOutcome } from './events.ts';
import { isJsonObject as isObject, type JsonObject as Json } from '../untrusted-json.ts';
import { boundText, redactedWithin, REDACTION_MARGIN } from '../privacy/bounded-redaction.ts';
import type { Redactor } from '../privacy/redact.ts';

// What a tool call did, read from its tool_result block and the CLI's `tool_use_result`.
// Bash is the interesting one: the CLI reports a non-zero exit only as "Exit code N" text,
// and a large output only as a preview plus `persistedOutputSize`.

export const ERROR_MESSAGE_LIMIT = 500;

const EXIT_CODE = /^(?:Error: )?Exit code (\d+)/;
const PERMISSION = /requested permissions to use|permission to use .* (?:was|has been) denied|doesn't want to proceed with this tool use/i;
const INTERRUPTED = /\[Request interrupted by user|interrupted by user/i;
const TIMED_OUT = /timed out|timeout/i;

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The text of a tool_result's content, which is a string or a list of text blocks. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const block of content) {
    if (isObject(block) && typeof block.text === 'string') text += (text ? '\n' : '') + block.text;
  }
  return text;
}

export function truncateText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… [truncated ${text.length - limit} chars]`;
}

/**
 * The error message as it may leave: redacted first, then cut to ERROR_MESSAGE_LIMIT. The
 * outcome keeps the raw text bounded (not cut), so a secret across the limit is seen whole.
 */
export function redactedErrorMessage(redact: Redactor, outcome: ToolOutcome): string | undefined {
  const raw = outcome.errorMessage;
  if (raw === undefined) return undefined;
  const total = outcome.errorMessageLength ?? raw.length;
  return redactedWithin(redact, raw, ERROR_MESSAGE_LIMIT, (dropped) => `… [truncated ${Math.max(dropped, total - ERROR_MESSAGE_LIMIT)} chars]`);
}

export interface ToolResultInput {
  toolName: string;
  content: unknown;
  isError: boolean;
  /** The CLI's own result object (`tool_use_result` in stream-json, `tool_response` in hooks). */
  toolUseResult: unknown;
  /** The error text hooks give on failure. */
  errorText?: string;
  durationMs?: number;
  isInterrupt?: boolean;
}

export function toolOutcome(input: ToolResultInput): ToolOutcome {
  const text = input.errorText ?? contentText(input.content);
  const detail = isObject(input.toolUseResult) ? input.toolUseResult : undefined;
  const resultText = typeof input.toolUseResult === 'string' ? input.toolUseResult : '';
  const outcome: ToolOutcome = {
    isError: input.isError,
    outputBytes: byteLength(text),
    outputTruncated: false,
    interrupted: input.isInterrupt === true || detail?.interrupted === true,
    timedOut: false,
    permissionDenied: false,
  };
  if (input.durationMs !== undefined) outcome.durationMs = input.durationMs;

  if (input.toolName === 'Bash' || input.toolName === 'BashOutput') applyBash(outcome, input, text, detail);
  if (text.startsWith('<persisted-output>')) outcome.outputTruncated = true;
  if (detail && detail.truncated === true) outcome.outputTruncated = true;

  if (input.isError) {
    const message = text || resultText;
    // Bounded, not cut: the limit applies after redaction (redactedErrorMessage).
    outcome.errorMessage = boundText(message, ERROR_MESSAGE_LIMIT + REDACTION_MARGIN);
    if (outcome.errorMessage.length < message.length) outcome.errorMessageLength = message.length;
    outcome.permissionDenied = PERMISSION.test(message);
    if (!outcome.interrupted && INTERRUPTED.test(message)) outcome.interrupted = true;
    outcome.timedOut = TIMED_OUT.test(message.split('\n', 1)[0] ?? '');
  }
  return outcome;
}

function applyBash(outcome: ToolOutcome, input: ToolResultInput, text: string, detail: Json | undefined): void {
  if (detail && typeof detail.stdout === 'string') {
    const persisted = typeof detail.persistedOutputSize === 'number' ? detail.persistedOutputSize : undefined;
    outcome.stdoutBytes = persisted ?? byteLength(detail.stdout);
    outcome.stderrBytes = typeof detail.stderr === 'string' ? byteLength(detail.stderr) : 0;
    outcome.outputBytes = outcome.stdoutBytes + outcome.stderrBytes;
    if (persisted !== undefined) outcome.outputTruncated = true;
  }
  const exit = EXIT_CODE.exec(text) ?? (typeof input.toolUseResult === 'string' ? EXIT_CODE.exec(input.toolUseResult) : null);
  if (exit?.[1] !== undefined) {
    outcome.exitCode = Number(exit[1]);
    // The output after the "Exit code N" line is stdout and stderr together.
    const newline = text.indexOf('\n');
    outcome.outputBytes = newline === -1 ? 0 : byteLength(text.slice(newline + 1));
  } else if (!input.isError) {
    outcome.exitCode = 0;
  }
  if (detail && typeof detail.returnCodeInterpretation === 'string' && /timed out/i.test(detail.returnCodeInterpretation)) {
    outcome.timedOut = true;
  }
}

/** A tool call the session ended in the middle of. */
export function unfinishedToolOutcome(): ToolOutcome {
  return {
    isError: true,
    errorMessage: 'the tool call never finished',
    outputBytes: 0,
    outputTruncated: false,
    interrupted: true,
    timedOut: false,
    permissionDenied: false,
  };
}
