import assert from 'node:assert/strict';
import type { ReceivedSpan } from './otlp-receiver.ts';

// A trace's times must nest: a span never starts before its parent, and (where the parent
// waits for it) never ends after it. Checked over everything a scenario's receiver decoded.

export interface NestingOptions {
  /** Children allowed to outlive their parent: e.g. a background agent, whose Agent call returns at once. */
  mayOutlive?: (child: ReceivedSpan, parent: ReceivedSpan) => boolean;
}

/** One line per span that starts before its parent, or ends after it. */
export function nestingViolations(spans: ReceivedSpan[], options: NestingOptions = {}): string[] {
  const byId = new Map(spans.map((span) => [`${span.traceId}/${span.spanId}`, span]));
  const problems: string[] = [];
  for (const child of spans) {
    const parent = byId.get(`${child.traceId}/${child.parentSpanId}`);
    if (!parent) continue;
    const early = parent.startTimeUnixNano - child.startTimeUnixNano;
    if (early > 0n) problems.push(`${child.name} starts ${early / 1000n} µs before its parent ${parent.name}`);
    const late = child.endTimeUnixNano - parent.endTimeUnixNano;
    if (late > 0n && !options.mayOutlive?.(child, parent)) problems.push(`${child.name} ends ${late / 1000n} µs after its parent ${parent.name}`);
  }
  return problems;
}

export function assertNested(spans: ReceivedSpan[], options: NestingOptions = {}): void {
  assert.deepEqual(nestingViolations(spans, options), [], 'every span lies within its parent');
}

/** A background agent's span runs to its completion, past the Agent call that returned at once. */
export function backgroundAgentOutlives(child: ReceivedSpan): boolean {
  return child.attributes['claude.agent.background'] === true;
}
