import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listRuns } from '../store/local-store.ts';
import type { RunListing } from '../store/local-store.ts';
import { booleanField, isRecord, numberField, stringField } from './json-value.ts';
import type { JsonRecord } from './json-value.ts';
import { parseChunk } from './stored-spans.ts';
import type { ParsedChunk, StoredSpan } from './stored-spans.ts';
import { figuresFromSpans } from './session-from-spans.ts';
import { withoutControlCharsDeep } from './terminal-text.ts';
import { gitFromMeta } from './git-figures.ts';
import type { SessionFigures, SessionRecord } from './session-record.ts';

// Reads the local store for the viewing commands. Other wrappers may be writing to it at the
// same time, and a file may be damaged (a full disk, a crash): such a file is skipped with a
// one-line warning, and the rest of the store is still shown.

export type Warn = (message: string) => void;

type FileRead = { ok: true; value: unknown } | { ok: false; reason: string };

function readJson(path: string): FileRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = isRecord(error) ? stringField(error, 'code') : undefined;
    return { ok: false, reason: `cannot read it (${code ?? String(error)})` };
  }
  try {
    return { ok: true, value: withoutControlCharsDeep(JSON.parse(text)) };
  } catch {
    return { ok: false, reason: text.trim() === '' ? 'it is empty' : 'it is not valid JSON (truncated or corrupt)' };
  }
}

/** meta.json → the session's figures; undefined if it does not have the fields a summary has. */
export function figuresFromMeta(meta: unknown): SessionFigures | undefined {
  if (!isRecord(meta)) return undefined;
  const sessionId = stringField(meta, 'sessionId');
  const startTime = numberField(meta, 'startTime');
  if (sessionId === undefined || startTime === undefined) return undefined;
  const count = (record: JsonRecord, key: string): number => numberField(record, key) ?? 0;
  const endTime = numberField(meta, 'endTime');
  const figures: SessionFigures = {
    sessionId,
    mode: stringField(meta, 'mode') ?? 'unknown',
    model: stringField(meta, 'model') ?? 'unknown',
    version: stringField(meta, 'version') ?? 'unknown',
    startTime,
    ended: true,
    prompts: count(meta, 'prompts'),
    toolCalls: count(meta, 'toolCalls'),
    toolErrors: count(meta, 'toolErrors'),
    // meta.json's inputTokens is the uncached input, as the session's events count it.
    tokens: {
      input: count(meta, 'inputTokens'),
      output: count(meta, 'outputTokens'),
      cacheRead: count(meta, 'cacheReadTokens'),
      cacheCreation: count(meta, 'cacheCreationTokens'),
    },
    costUsd: count(meta, 'costUsd'),
    isError: booleanField(meta, 'isError') === true,
    interrupted: booleanField(meta, 'interrupted') === true,
  };
  const traceId = stringField(meta, 'traceId');
  if (traceId) figures.traceId = traceId;
  // The wrapper writes 0 for a time it never saw; that is no end time.
  if (endTime !== undefined && endTime > 0) figures.endTime = endTime;
  const exitCode = numberField(meta, 'exitCode');
  if (exitCode !== undefined) figures.exitCode = exitCode;
  const preview = stringField(meta, 'promptPreview');
  if (preview !== undefined) figures.promptPreview = preview;
  const git = gitFromMeta(meta.git);
  if (git) figures.git = git;
  return figures;
}

/** When the wrapper started the run: from the run id (`20260131T080509Z-...`), else the directory's time. */
export function runStartTime(run: Pick<RunListing, 'runId' | 'mtimeMs'>): number {
  const stamp = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(run.runId);
  if (!stamp) return run.mtimeMs;
  const [year, month, day, hour, minute, second] = stamp.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

export class StoreReader {
  private listed: SessionRecord[] | undefined;
  private readonly parsed = new Map<string, ParsedChunk>();
  private readonly runs = new Map<string, RunListing>();

  constructor(readonly stateDir: string, private readonly warn: Warn) {}

  /** Every readable session, newest first. */
  sessions(): SessionRecord[] {
    if (!this.listed) {
      this.listed = [];
      for (const run of listRuns(this.stateDir)) {
        this.runs.set(run.runId, run);
        const record = this.load(run);
        if (record) this.listed.push(record);
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
    const metaPath = join(run.dir, 'meta.json');
    let figures: SessionFigures | undefined;
    let source: SessionRecord['source'] = 'meta';
    if (existsSync(metaPath)) {
      const read = readJson(metaPath);
      if (!read.ok) this.warn(`skipped ${metaPath}: ${read.reason}`);
      else {
        figures = figuresFromMeta(read.value);
        if (!figures) this.warn(`skipped ${metaPath}: it is not a session summary`);
      }
    }
    if (!figures) {
      source = 'spans';
      const chunks = this.chunksOf(run);
      figures = figuresFromSpans(chunks.spans, chunks.logSessionIds);
    }
    // A run with no readable file yet: a print session that has not ended, or one whose
    // files were all damaged (each already reported).
    if (!figures) return undefined;
    return {
      ...figures,
      // A claude that never reported its start leaves 0 in meta.json; the run id knows better.
      startTime: figures.startTime > 0 ? figures.startTime : runStartTime(run),
      runId: run.runId,
      dir: run.dir,
      chunks: run.chunks.length,
      delivered: run.chunks.length > 0 && run.chunks.every((c) => c.delivered),
      source,
    };
  }

  private chunksOf(run: RunListing): ParsedChunk {
    const cached = this.parsed.get(run.runId);
    if (cached) return cached;
    const spans = new Map<string, StoredSpan>();
    const logSessionIds = new Set<string>();
    for (const chunk of run.chunks) {
      const path = join(run.dir, `${chunk.name}.json`);
      const read = readJson(path);
      if (!read.ok) {
        this.warn(`skipped ${path}: ${read.reason}`);
        continue;
      }
      try {
        const parsed = parseChunk(read.value);
        for (const span of parsed.spans) spans.set(span.spanId, span);
        for (const id of parsed.logSessionIds) logSessionIds.add(id);
      } catch (error) {
        this.warn(`skipped ${path}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const result: ParsedChunk = { spans: [...spans.values()], logSessionIds: [...logSessionIds] };
    this.parsed.set(run.runId, result);
    return result;
  }
}
