import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import type { SessionEvent, TokenUsage } from '../session/events.ts';
import type { CostParts } from './pricing.ts';
import { GenAiMetrics } from './genai-metrics.ts';
import { exitedWithError } from './event-attributes.ts';
import { toolDurationMs, toolErrorType } from './tool-attributes.ts';
import { resultErrorMetricType } from './result-attributes.ts';
import {
  ATTR_CLAUDE_COST_COMPONENT,
  ATTR_CLAUDE_MODE,
  ATTR_CLAUDE_SESSION_ERROR,
  ATTR_CLAUDE_TOOL_ERROR,
  ATTR_CLAUDE_WAIT_KIND,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_TOKEN_TYPE,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_VCS_REPOSITORY_NAME,
  METRIC_CLAUDE_CACHE_REBUILDS,
  METRIC_CLAUDE_COST_USAGE,
  METRIC_CLAUDE_SESSION_COUNT,
  METRIC_CLAUDE_SESSION_DURATION,
  METRIC_CLAUDE_TOKEN_USAGE,
  METRIC_CLAUDE_TOOL_CALLS,
  METRIC_CLAUDE_TOOL_DURATION,
  METRIC_CLAUDE_USER_WAIT,
} from './names.ts';

// Session events → counters and histograms. No session ids here: metric attributes stay
// low-cardinality (tool, model, token type, mode, repository).

const SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

const COST_COMPONENTS: [keyof CostParts, string][] = [
  ['input', 'input'],
  ['output', 'output'],
  ['cacheRead', 'cache_read'],
  ['cacheWrite', 'cache_write'],
];

export class MetricMapper {
  private readonly sessions: Counter;
  private readonly sessionDuration: Histogram;
  private readonly toolCalls: Counter;
  private readonly toolDuration: Histogram;
  private readonly tokenCounter: Counter;
  private readonly cost: Counter;
  private readonly rebuilds: Counter;
  private readonly userWait: Histogram;
  private readonly genAi: GenAiMetrics;
  private readonly toolStarts = new Map<string, { name: string; time: number }>();
  private mode = 'print';
  private sessionStart = 0;

  constructor(meter: Meter, latestSemconv: boolean) {
    this.sessions = meter.createCounter(METRIC_CLAUDE_SESSION_COUNT, { description: 'Claude sessions run through the wrapper', unit: '{session}' });
    this.sessionDuration = meter.createHistogram(METRIC_CLAUDE_SESSION_DURATION, {
      description: 'Wall time of a Claude session',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    });
    this.toolCalls = meter.createCounter(METRIC_CLAUDE_TOOL_CALLS, { description: 'Tool calls', unit: '{call}' });
    this.toolDuration = meter.createHistogram(METRIC_CLAUDE_TOOL_DURATION, {
      description: 'Duration of a tool call',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    });
    this.tokenCounter = meter.createCounter(METRIC_CLAUDE_TOKEN_USAGE, { description: 'Tokens by type', unit: '{token}' });
    this.cost = meter.createCounter(METRIC_CLAUDE_COST_USAGE, { description: 'Cost of model calls', unit: 'USD' });
    this.rebuilds = meter.createCounter(METRIC_CLAUDE_CACHE_REBUILDS, {
      description: 'Model calls that wrote their whole context to the prompt cache again after it expired',
      unit: '{call}',
    });
    this.userWait = meter.createHistogram(METRIC_CLAUDE_USER_WAIT, {
      description: 'Time claude waited for the person: for the next prompt, or to allow a tool',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    });
    this.genAi = new GenAiMetrics(meter, latestSemconv);
  }

  /** The repository the session worked in (not the branch) is an attribute of the session metrics. */
  private sessionAttributes(repositoryName: string | undefined): Attributes {
    return repositoryName !== undefined ? { [ATTR_CLAUDE_MODE]: this.mode, [ATTR_VCS_REPOSITORY_NAME]: repositoryName } : { [ATTR_CLAUDE_MODE]: this.mode };
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
        this.toolCalls.add(1, { [ATTR_GEN_AI_TOOL_NAME]: start.name, [ATTR_CLAUDE_TOOL_ERROR]: event.outcome.isError });
        this.toolDuration.record(toolDurationMs(event.outcome, event.time - start.time) / 1000, { [ATTR_GEN_AI_TOOL_NAME]: start.name });
        this.genAi.toolCall(start.name, Math.max(0, event.time - start.time), toolErrorType(event.outcome));
        break;
      }
      case 'prompt_start':
        this.genAi.promptStart(event.time);
        break;
      case 'prompt_end':
        this.genAi.promptEnd(event.time, event.result && resultErrorMetricType(event.result));
        break;
      case 'session_end': {
        const failed = exitedWithError(event) || event.result?.isError === true;
        const attributes = this.sessionAttributes(event.git?.repositoryName);
        this.sessions.add(1, { ...attributes, [ATTR_CLAUDE_SESSION_ERROR]: failed });
        this.sessionDuration.record(Math.max(0, event.time - this.sessionStart) / 1000, attributes);
        break;
      }
      default:
        break;
    }
  }

  /** Model calls are counted when their span is written, with the cost known by then. */
  recordChat(model: string, usage: TokenUsage, cost: CostParts | undefined, rebuild: boolean, durationMs: number): void {
    this.genAi.chat(model, usage, durationMs);
    const byType: [string, number][] = [
      ['input', usage.input],
      ['output', usage.output],
      ['cache_read', usage.cacheRead],
      ['cache_creation', usage.cacheCreation],
    ];
    for (const [type, count] of byType) if (count > 0) this.tokenCounter.add(count, { [ATTR_TOKEN_TYPE]: type, [ATTR_GEN_AI_REQUEST_MODEL]: model });
    if (cost) {
      for (const [key, component] of COST_COMPONENTS) {
        if (cost[key] > 0) this.cost.add(cost[key], { [ATTR_GEN_AI_REQUEST_MODEL]: model, [ATTR_CLAUDE_COST_COMPONENT]: component });
      }
    }
    if (rebuild) this.rebuilds.add(1, { [ATTR_GEN_AI_REQUEST_MODEL]: model });
  }

  recordUserWait(ms: number, kind: 'prompt' | 'permission'): void {
    this.userWait.record(ms / 1000, { [ATTR_CLAUDE_WAIT_KIND]: kind });
  }
}
