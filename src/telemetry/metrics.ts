import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import type { SessionEvent, TokenUsage } from '../session/events.ts';

// Session events → counters and histograms. No session ids here: metric attributes stay
// low-cardinality (tool, model, token type, mode).

const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

export class MetricMapper {
  private readonly sessions: Counter;
  private readonly sessionDuration: Histogram;
  private readonly toolCalls: Counter;
  private readonly toolDuration: Histogram;
  private readonly tokenHistogram: Histogram;
  private readonly tokenCounter: Counter;
  private readonly cost: Counter;
  private readonly toolStarts = new Map<string, { name: string; time: number }>();
  private mode = 'print';
  private sessionStart = 0;

  constructor(meter: Meter) {
    this.sessions = meter.createCounter('claude.session.count', { description: 'Claude sessions run through the wrapper', unit: '{session}' });
    this.sessionDuration = meter.createHistogram('claude.session.duration', {
      description: 'Wall time of a Claude session',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    });
    this.toolCalls = meter.createCounter('claude.tool.calls', { description: 'Tool calls', unit: '{call}' });
    this.toolDuration = meter.createHistogram('claude.tool.duration', { description: 'Duration of a tool call', unit: 's', advice: { explicitBucketBoundaries: SECONDS_BUCKETS } });
    this.tokenHistogram = meter.createHistogram('gen_ai.client.token.usage', {
      description: 'Measures number of input and output tokens used',
      unit: '{token}',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
    this.tokenCounter = meter.createCounter('claude.token.usage', { description: 'Tokens by type', unit: '{token}' });
    this.cost = meter.createCounter('claude.cost.usage', { description: 'Cost of model calls', unit: 'USD' });
  }

  handle(event: SessionEvent): void {
    switch (event.kind) {
      case 'session_start':
        this.mode = event.mode;
        this.sessionStart = event.time;
        break;
      case 'tool_start':
        this.toolStarts.set(event.toolUseId, { name: event.name, time: event.time });
        break;
      case 'tool_end': {
        const start = this.toolStarts.get(event.toolUseId);
        if (!start) break;
        this.toolStarts.delete(event.toolUseId);
        this.toolCalls.add(1, { 'gen_ai.tool.name': start.name, 'claude.tool.error': event.outcome.isError });
        const ms = event.outcome.durationMs ?? Math.max(0, event.time - start.time);
        this.toolDuration.record(ms / 1000, { 'gen_ai.tool.name': start.name });
        break;
      }
      case 'session_end': {
        const failed = event.exitCode !== 0 || event.result?.isError === true;
        this.sessions.add(1, { 'claude.mode': this.mode, 'claude.session.error': failed });
        this.sessionDuration.record(Math.max(0, event.time - this.sessionStart) / 1000, { 'claude.mode': this.mode });
        break;
      }
      default:
        break;
    }
  }

  /** Model calls are counted when their span is written, with the cost known by then. */
  recordChat(model: string, usage: TokenUsage, cost: number | undefined): void {
    const base: Attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': model };
    this.tokenHistogram.record(usage.input + usage.cacheRead + usage.cacheCreation, { ...base, 'gen_ai.token.type': 'input' });
    this.tokenHistogram.record(usage.output, { ...base, 'gen_ai.token.type': 'output' });
    const byType: [string, number][] = [
      ['input', usage.input],
      ['output', usage.output],
      ['cache_read', usage.cacheRead],
      ['cache_creation', usage.cacheCreation],
    ];
    for (const [type, count] of byType) if (count > 0) this.tokenCounter.add(count, { type, 'gen_ai.request.model': model });
    if (cost !== undefined && cost > 0) this.cost.add(cost, { 'gen_ai.request.model': model });
  }
}
