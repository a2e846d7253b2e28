import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

// Writes sessions into a local store the way the wrapper lays them out (meta.json and an OTLP
// JSON chunk), with whatever attributes a test needs: the viewing commands read them as they
// would read a recorded session.

export type FixtureValue = string | number | boolean;

export interface FixtureSpan {
  name: string;
  /** Index of the parent in the session's span list; none for the root. */
  parent?: number;
  startMs: number;
  endMs: number;
  attributes?: Record<string, FixtureValue>;
  events?: { name: string; timeMs: number; attributes?: Record<string, FixtureValue> }[];
  error?: string;
}

export interface FixtureSession {
  runId: string;
  meta: Record<string, unknown>;
  spans: FixtureSpan[];
  resource?: Record<string, FixtureValue>;
}

function anyValue(value: FixtureValue): Record<string, FixtureValue> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

function attributes(record: Record<string, FixtureValue> | undefined): { key: string; value: Record<string, FixtureValue> }[] {
  return Object.entries(record ?? {}).map(([key, value]) => ({ key, value: anyValue(value) }));
}

const nanos = (ms: number): string => (BigInt(Math.round(ms)) * 1_000_000n).toString();

export function writeFixtureSession(stateDir: string, session: FixtureSession): string {
  const dir = join(stateDir, 'sessions', session.runId);
  mkdirSync(dir, { recursive: true });
  const traceId = randomBytes(16).toString('hex');
  const ids = session.spans.map(() => randomBytes(8).toString('hex'));
  const spans = session.spans.map((span, i) => ({
    traceId,
    spanId: ids[i],
    ...(span.parent !== undefined ? { parentSpanId: ids[span.parent] } : {}),
    name: span.name,
    kind: span.name.startsWith('chat ') ? 3 : 1,
    startTimeUnixNano: nanos(span.startMs),
    endTimeUnixNano: nanos(span.endMs),
    attributes: attributes(span.attributes),
    events: (span.events ?? []).map((e) => ({ name: e.name, timeUnixNano: nanos(e.timeMs), attributes: attributes(e.attributes) })),
    status: span.error ? { code: 2, message: span.error } : { code: 0 },
  }));
  const chunk = {
    traces: {
      resourceSpans: [
        {
          resource: { attributes: attributes({ 'service.name': 'claude-otel', ...session.resource }) },
          scopeSpans: [{ scope: { name: 'claude-otel' }, spans }],
        },
      ],
    },
  };
  writeFileSync(join(dir, 'chunk-0001.json'), JSON.stringify(chunk));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ runId: session.runId, traceId, ...session.meta }));
  return dir;
}

/** A run id for a session that started at `startMs`, as the wrapper names them. */
export function fixtureRunId(startMs: number, n: number): string {
  return `${new Date(startMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${1000 + n}-${String(n).padStart(6, '0')}`;
}
