import { chunkPath, listRuns, metaPath, readChunkSpans, readDeliveryFailure, readMeta, readStart, runStartTime, startPath } from '../../store/reader.ts';
import type { ParsedChunk, RunListing, StoredSpan, Warn } from '../../store/reader.ts';
import { figuresFromSpans } from './session-from-spans.ts';
import { withStart } from './session-from-start.ts';
import { PLACEHOLDER_MODEL } from './stored-spans.ts';
import { withoutControlChars, withoutControlCharsDeep } from './terminal-text.ts';
import type { SessionFigures, SessionRecord } from './session-record.ts';
import type { SessionSource } from '../../session/events.ts';

// The recorded sessions as the viewing commands see them, read through the store's reader: a
// damaged file is skipped with a one-line warning, and the rest of the store is still shown.

export type { Warn };
export { runStartTime };

export class StoreReader {
  private listed: SessionRecord[] | undefined;
  private readonly parsed = new Map<string, ParsedChunk>();
  private readonly runs = new Map<string, RunListing>();

  constructor(
    readonly stateDir: string,
    private readonly warn: Warn,
    /** Only the sessions of this source (`--source`). */
    readonly source?: SessionSource,
  ) {}

  /** Every readable session, newest first. */
  sessions(): SessionRecord[] {
    if (!this.listed) {
      this.listed = [];
      for (const run of listRuns(this.stateDir)) {
        this.runs.set(run.runId, run);
        const record = this.load(run);
        if (record && (this.source === undefined || (record.source ?? 'wrapper') === this.source)) this.listed.push(record);
      }
      this.listed.sort((a, b) => b.startTime - a.startTime || (a.runId < b.runId ? 1 : -1));
    }
    return this.listed;
  }

  /** The session's spans from every readable chunk. */
  spans(record: Pick<SessionRecord, 'runId'>): StoredSpan[] {
    const run = this.runs.get(record.runId);
    return run ? this.chunksOf(run).spans : [];
  }

  private load(run: RunListing): SessionRecord | undefined {
    let figures: SessionFigures | undefined;
    let figuresFrom: SessionRecord['figuresFrom'] = 'meta';
    const meta = readMeta(run.dir, withoutControlCharsDeep);
    // A session with a meta.json has ended: the wrapper writes it last.
    if (meta?.ok) figures = { ...meta.value, ended: true };
    else if (meta) this.warn(`skipped ${metaPath(run.dir)}: ${meta.reason}`);
    if (!figures) {
      figuresFrom = 'spans';
      const chunks = this.chunksOf(run);
      figures = figuresFromSpans(chunks.spans, chunks.logSessionIds);
      // A running session: started.json says what its spans cannot say until it ends.
      const start = figures?.ended ? undefined : readStart(run.dir, withoutControlCharsDeep);
      if (start?.ok) figures = withStart(figures, start.value);
      else if (start) this.warn(`skipped ${startPath(run.dir)}: ${start.reason}`);
    }
    // A run with no readable file yet: a session that has not started yet, or one whose
    // files were all damaged (each already reported).
    if (!figures) return undefined;
    const delivered = run.chunks.length > 0 && run.chunks.every((c) => c.delivered);
    const failure = !delivered && run.chunks.length > 0 ? readDeliveryFailure(run.dir) : undefined;
    return {
      ...figures,
      // Sessions stored before the wrapper left claude's placeholder out may name it as their model.
      model: figures.model === PLACEHOLDER_MODEL ? 'unknown' : figures.model,
      // A claude that never reported its start leaves 0 in meta.json; the run id knows better.
      startTime: figures.startTime > 0 ? figures.startTime : runStartTime(run),
      runId: run.runId,
      dir: run.dir,
      chunks: run.chunks.length,
      delivered,
      ...(failure ? { deliveryFailure: { reason: withoutControlChars(failure.reason), timeMs: failure.timeMs } } : {}),
      figuresFrom,
    };
  }

  private chunksOf(run: RunListing): ParsedChunk {
    const cached = this.parsed.get(run.runId);
    if (cached) return cached;
    const spans = new Map<string, StoredSpan>();
    const logSessionIds = new Set<string>();
    for (const chunk of run.chunks) {
      const read = readChunkSpans(run.dir, chunk.name, withoutControlCharsDeep);
      if (!read.ok) {
        this.warn(`skipped ${chunkPath(run.dir, chunk.name)}: ${read.reason}`);
        continue;
      }
      const parsed = read.value;
      for (const span of parsed.spans) spans.set(span.spanId, span);
      for (const id of parsed.logSessionIds) logSessionIds.add(id);
    }
    const result: ParsedChunk = { spans: [...spans.values()], logSessionIds: [...logSessionIds] };
    this.parsed.set(run.runId, result);
    return result;
  }
}
