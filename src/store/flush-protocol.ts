import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Signal } from '../config/otlp-config.ts';
import { writePrivateFile } from '../private-files.ts';
import type { Deadline } from '../deadline.ts';
import { RunLock } from './run-lock.ts';
import { MAX_SMALL_FILE_BYTES, readStoreFile } from './store-file.ts';

// How a session goes from the wrapper's memory to the collector through the local store, and
// every file that records where it is on that way. One flush, in this order:
//
//   1. chunk      the batch is written as `chunk-NNNN.json` (local work, never waits on the network)
//   2. meta       at the session's end, `meta.json` (last of the run's files: a run that has it is complete)
//   3. mark       `<state dir>/undelivered`, unless there already, so that a wrapper killed while
//                 it sends leaves it behind; then the caller hears that the session is stored
//   4. send       every signal at once, until the deadline aborts
//   5. delivered  all accepted: `chunk-NNNN.delivered` and this run's own mark goes; otherwise each
//                 accepted signal's `chunk-NNNN.<signal>.delivered`, the mark, and why in `delivery-failure`
//   6. prune      the store kept within its retention limits
//   7. missed     with the session delivered (the collector answers again) and the mark there,
//                 what earlier wrapper runs left undelivered (never an imported session, which
//                 goes only when asked), in what is left of the deadline; the mark goes when
//                 nothing is left and no run wrote it meanwhile
//
// Sending is the caller's (the export stage's request exporters); this module only orders the
// steps and writes the marks, so it is tested with exporters that fail, hang and succeed.
// `claude-otel-ctl replay` uses the chunk and signal marks below, and the viewing commands read them.

// ---------------------------------------------------------------------------------------------
// The marks of a run directory (`<state dir>/sessions/<run id>/`)
// ---------------------------------------------------------------------------------------------

/** The file in each run directory that marks it as the store's own (prune removes nothing else). */
export const RUN_MARKER_FILE = 'claude-otel-run';

/**
 * The file that marks a run as read from a transcript by `claude-otel-ctl import`, written with
 * the run marker, before the first chunk: an import killed before its meta.json (which says so
 * too) is still never sent unasked.
 */
export const IMPORTED_RUN_FILE = 'imported';

export function writeRunMarker(runDir: string, runId: string, source: 'wrapper' | 'transcript'): void {
  if (source === 'transcript') writePrivateFile(join(runDir, IMPORTED_RUN_FILE), runId);
  writePrivateFile(join(runDir, RUN_MARKER_FILE), runId);
}

/** The name of the file that says the collector accepted every signal of `chunk`. */
export function chunkDeliveredFile(chunk: string): string {
  return `${chunk}.delivered`;
}

/** A chunk the collector took whole: never sent again. */
export function markChunkDelivered(runDir: string, chunk: string): void {
  writePrivateFile(join(runDir, chunkDeliveredFile(chunk)), new Date().toISOString());
}

function signalMarker(runDir: string, chunk: string, signal: Signal): string {
  return join(runDir, `${chunk}.${signal}.delivered`);
}

/** Records that the collector accepted one signal of a chunk, so no replay sends it again. */
export function markSignalDelivered(runDir: string, chunk: string, signal: Signal): void {
  writePrivateFile(signalMarker(runDir, chunk, signal), new Date().toISOString());
}

/** A signal of a chunk that a collector already accepted (the rest of the chunk was not). */
export function isSignalDelivered(runDir: string, chunk: string, signal: Signal): boolean {
  return existsSync(signalMarker(runDir, chunk, signal));
}

/** Why the last attempt to send a chunk of a run failed: one line of text, its time the file's. */
export const DELIVERY_FAILURE_FILE = 'delivery-failure';

/** Longer reasons are cut: the file is read by every listing of the store. */
const MAX_REASON = 500;

/** Keeps why the collector did not take a chunk of the run, for the viewing commands to say. */
export function recordDeliveryFailure(runDir: string, reason: string): void {
  const line = reason.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON);
  writePrivateFile(join(runDir, DELIVERY_FAILURE_FILE), `${line}\n`);
}

/** Why the last attempt to send a chunk of the run failed, and when; undefined when none was recorded. */
export function readDeliveryFailure(runDir: string): { reason: string; timeMs: number } | undefined {
  const path = join(runDir, DELIVERY_FAILURE_FILE);
  try {
    const read = readStoreFile(path, MAX_SMALL_FILE_BYTES);
    if (!read.ok) return undefined;
    const reason = (read.text.split('\n')[0] ?? '').trim();
    return reason ? { reason, timeMs: statSync(path).mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The undelivered mark: `<state dir>/undelivered` says the store may hold sessions the collector
// has not accepted, so that runs do not look through the whole store on every exit. Each write
// holds a token of its own, so a run removes it only when nobody wrote it since that run looked.
// ---------------------------------------------------------------------------------------------

export const UNDELIVERED_MARK_FILE = 'undelivered';

function markToken(): string {
  return `${new Date().toISOString()} ${process.pid}-${randomBytes(4).toString('hex')}`;
}

export function markUndelivered(stateDir: string): void {
  writePrivateFile(join(stateDir, UNDELIVERED_MARK_FILE), markToken());
}

/** Whether the store may hold sessions the collector has not accepted (a stat, no reading). */
export function hasUndeliveredMark(stateDir: string): boolean {
  try {
    statSync(join(stateDir, UNDELIVERED_MARK_FILE));
    return true;
  } catch {
    return false;
  }
}

/**
 * Sets the mark before a session is sent, so that a wrapper killed while sending leaves it
 * behind; returns its token when this run set it, for `clearMark` once the session was
 * delivered. A mark that was there already belongs to earlier sessions and stays.
 */
export function markBeforeSending(stateDir: string): string | undefined {
  const token = markToken();
  try {
    writeFileSync(join(stateDir, UNDELIVERED_MARK_FILE), token, { flag: 'wx', mode: 0o600 });
    return token;
  } catch {
    return undefined;
  }
}

/** The mark's token; undefined when there is none, or it is not a regular file of ours. */
function readMark(stateDir: string): string | undefined {
  try {
    // Opened without following a link or waiting on a FIFO: only our own regular file is read.
    const fd = openSync(join(stateDir, UNDELIVERED_MARK_FILE), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    try {
      return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : undefined;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** Removes the mark if it still holds `token` (nobody wrote it since it was read or set). */
export function clearMark(stateDir: string, token: string): void {
  if (readMark(stateDir) !== token) return;
  try {
    unlinkSync(join(stateDir, UNDELIVERED_MARK_FILE));
  } catch {
    // another run removed it
  }
}

// ---------------------------------------------------------------------------------------------
// One flush, in order
// ---------------------------------------------------------------------------------------------

/** What the send step says of one signal (the export stage's ExportAttempt is one). */
export type SignalOutcome = { ok: true } | { ok: false; failure: { reason: string } };

export interface SendResult<O extends SignalOutcome> {
  outcomes: Partial<Record<Signal, O>>;
  /** Whether the deadline cut the send short. */
  timedOut: boolean;
}

export interface FlushSteps<O extends SignalOutcome> {
  stateDir: string;
  /** The run's directory in the store; undefined when the store is off. */
  runDir: string | undefined;
  /** Takes what goes out now and writes it to the store: the chunk's name, undefined when nothing was stored. */
  writeChunk(): Promise<string | undefined>;
  /** At the session's end: writes `meta.json`. */
  writeMeta?(): void;
  /** Called once the session is as complete in the store as it will be, before anything waits on the network. */
  stored?(): void;
  /** Sends what writeChunk took; stops waiting when `deadline` aborts. */
  send(deadline: AbortSignal): Promise<SendResult<O>>;
  /** Where a signal goes, as it may be printed (no userinfo). */
  endpoint(signal: Signal): string;
  prune?(): void;
  /** Sends what earlier runs left undelivered, within the deadline; whether nothing is left to send. */
  sendMissed?(deadline: Deadline): Promise<{ nothingLeft: boolean }>;
  /** A step that failed locally (the store could not be written): logged, never thrown. */
  onError?(what: string, error: unknown): void;
}

export interface FlushReport<O extends SignalOutcome> {
  chunk?: string;
  outcomes: Partial<Record<Signal, O>>;
  /** Every signal sent was accepted (false when nothing was sent). */
  delivered: boolean;
  timedOut: boolean;
  /** Whether earlier runs' undelivered sessions were looked at, and whether any were left. */
  missed?: 'all-sent' | 'some-left';
}

export async function flushSession<O extends SignalOutcome>(steps: FlushSteps<O>, deadline: Deadline): Promise<FlushReport<O>> {
  const { stateDir, runDir } = steps;
  let chunk: string | undefined;
  let ownMark: string | undefined;
  let lock: RunLock | undefined;
  try {
    chunk = await steps.writeChunk();
    // Held while this run sends its own chunk: another run sending what was missed, or a replay,
    // leaves it alone, so a session that ends beside others is delivered once.
    if (chunk && runDir) lock = RunLock.acquire(runDir);
    if (steps.writeMeta) attempt(steps, 'could not write session metadata', () => steps.writeMeta?.());
    if (chunk) ownMark = markBeforeSending(stateDir);
  } finally {
    steps.stored?.();
  }

  let sent: Awaited<ReturnType<typeof steps.send>>;
  try {
    sent = await steps.send(deadline.signal);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const report: FlushReport<O> = { outcomes: sent.outcomes, delivered: false, timedOut: sent.timedOut };
  if (chunk) report.chunk = chunk;
  const outcomes = Object.entries(sent.outcomes) as [Signal, O][];
  report.delivered = outcomes.length > 0 && outcomes.every(([, o]) => o.ok);
  if (chunk && runDir) {
    const written = chunk;
    attempt(steps, 'could not mark a chunk delivered', () => {
      if (report.delivered) {
        markChunkDelivered(runDir, written);
        if (ownMark) clearMark(stateDir, ownMark);
        return;
      }
      // A chunk taken in part gets a mark per accepted signal, so that a replay never sends those again.
      for (const [signal, outcome] of outcomes) if (outcome.ok) markSignalDelivered(runDir, written, signal);
      markUndelivered(stateDir);
      recordDeliveryFailure(runDir, failureLine(steps, outcomes, sent.timedOut));
    });
  }
  lock?.release();

  if (steps.prune) attempt(steps, 'could not prune the local store', () => steps.prune?.());

  // The collector took this session: it may take what it missed before, in what is left.
  if (report.delivered && steps.sendMissed && !deadline.signal.aborted && hasUndeliveredMark(stateDir)) {
    const seen = readMark(stateDir);
    try {
      const { nothingLeft } = await steps.sendMissed(deadline);
      report.missed = nothingLeft ? 'all-sent' : 'some-left';
      if (nothingLeft && seen !== undefined) clearMark(stateDir, seen);
    } catch (error) {
      steps.onError?.('could not send earlier sessions', error);
    }
  }
  return report;
}

function attempt(steps: Pick<FlushSteps<SignalOutcome>, 'onError'>, what: string, step: () => void): void {
  try {
    step();
  } catch (error) {
    steps.onError?.(what, error);
  }
}

/** One line for the store: the first signal that failed, where it went and why. */
function failureLine<O extends SignalOutcome>(steps: FlushSteps<O>, outcomes: [Signal, O][], timedOut: boolean): string {
  for (const [signal, outcome] of outcomes) {
    if (!outcome.ok) return `${signal} to ${steps.endpoint(signal)}: ${outcome.failure.reason}`;
  }
  return timedOut ? 'not sent within the flush budget' : 'not sent';
}
