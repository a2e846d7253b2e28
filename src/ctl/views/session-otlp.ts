import { readdirSync } from 'node:fs';
import { chunkPath, readChunk } from '../../store/reader.ts';
import type { Warn } from '../../store/reader.ts';
import type { SessionRecord } from './session-record.ts';

// Sessions as one OTLP JSON trace export request (`{"resourceSpans": [...]}`), the form any
// OpenTelemetry tool reads: the spans exactly as the wrapper stored them, chunk by chunk. What
// `export --otlp-json` writes and what `serve` answers on /api/traces/{id}/spans, byte for byte.

/** The request's text for these sessions, in the order given; damaged chunks are skipped with a warning. */
export function sessionsAsOtlpJson(sessions: readonly Pick<SessionRecord, 'dir'>[], warn: Warn): string {
  const resourceSpans: unknown[] = [];
  for (const session of sessions) resourceSpans.push(...storedResourceSpans(session.dir, warn));
  return JSON.stringify({ resourceSpans });
}

function storedResourceSpans(runDir: string, warn: Warn): unknown[] {
  const out: unknown[] = [];
  for (const chunk of chunkNames(runDir)) {
    const read = readChunk(runDir, chunk);
    if (!read.ok) {
      warn(`skipped ${chunkPath(runDir, chunk)}: ${read.reason}`);
      continue;
    }
    const traces = read.value.traces?.parsed;
    // The reader checked the request's three levels: resourceSpans is an array when present.
    if (typeof traces === 'object' && traces !== null && 'resourceSpans' in traces && Array.isArray(traces.resourceSpans)) out.push(...traces.resourceSpans);
  }
  return out;
}

/** The run's chunks in the order they were written. */
function chunkNames(runDir: string): string[] {
  try {
    return readdirSync(runDir)
      .filter((f) => /^chunk-\d+\.json$/.test(f))
      .sort()
      .map((file) => file.slice(0, -'.json'.length));
  } catch {
    return [];
  }
}
