import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import type { TokenUsage } from '../session/events.ts';
import { genAiInputTokens } from './usage-attributes.ts';
import { MAIN_AGENT_NAME } from './spans.ts';

// The GenAI conventions' own metrics. By default the one claude-otel has always emitted
// (the gen_ai.client.token.usage histogram); with OTEL_SEMCONV_STABILITY_OPT_IN=
// gen_ai_latest_experimental the current set instead: token usage counters by kind,
// per-operation token histograms, and operation, agent and tool durations.

const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const SECONDS_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92, 163.84, 327.68, 655.36];

interface LatestInstruments {
  inputTokens: Counter;
  outputTokens: Counter;
  cacheReadTokens: Counter;
  cacheWriteTokens: Counter;
  operationInputTokens: Histogram;
  operationOutputTokens: Histogram;
  operationDuration: Histogram;
  agentDuration: Histogram;
  toolDuration: Histogram;
}

const PROVIDER = { 'gen_ai.provider.name': 'anthropic' } as const;

export class GenAiMetrics {
  private readonly legacyTokens: Histogram | undefined;
  private readonly latest: LatestInstruments | undefined;
  private promptStartTime: number | undefined;

  constructor(meter: Meter, latestSemconv: boolean) {
    if (!latestSemconv) {
      this.legacyTokens = meter.createHistogram('gen_ai.client.token.usage', {
        description: 'Measures number of input and output tokens used',
        unit: '{token}',
        advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
      });
      return;
    }
    const counter = (name: string, description: string) => meter.createCounter(name, { description, unit: '{token}' });
    const tokens = (name: string, description: string) => meter.createHistogram(name, { description, unit: '{token}', advice: { explicitBucketBoundaries: TOKEN_BUCKETS } });
    const seconds = (name: string, description: string) => meter.createHistogram(name, { description, unit: 's', advice: { explicitBucketBoundaries: SECONDS_BUCKETS } });
    this.latest = {
      inputTokens: counter('gen_ai.client.inference.usage.input_tokens', 'The number of input (prompt) tokens used, including cached tokens'),
      outputTokens: counter('gen_ai.client.inference.usage.output_tokens', 'The number of output (completion) tokens used'),
      cacheReadTokens: counter('gen_ai.client.inference.usage.cache_read.input_tokens', 'The number of input tokens served from a provider-managed cache'),
      cacheWriteTokens: counter('gen_ai.client.inference.usage.cache_write.input_tokens', 'The number of input tokens written to a provider-managed cache'),
      operationInputTokens: tokens('gen_ai.client.inference.operation.input_tokens', 'The number of input (prompt) tokens used per inference operation'),
      operationOutputTokens: tokens('gen_ai.client.inference.operation.output_tokens', 'The number of output (completion) tokens used per inference operation'),
      operationDuration: seconds('gen_ai.client.operation.duration', 'GenAI operation duration'),
      agentDuration: seconds('gen_ai.invoke_agent.duration', 'The end-to-end duration of a single agent invocation'),
      toolDuration: seconds('gen_ai.execute_tool.duration', 'The duration of a single tool execution'),
    };
  }

  chat(model: string, usage: TokenUsage, durationMs: number): void {
    const base: Attributes = { 'gen_ai.operation.name': 'chat', ...PROVIDER, 'gen_ai.request.model': model };
    if (this.legacyTokens) {
      this.legacyTokens.record(genAiInputTokens(usage), { ...base, 'gen_ai.token.type': 'input' });
      this.legacyTokens.record(usage.output, { ...base, 'gen_ai.token.type': 'output' });
    }
    const m = this.latest;
    if (!m) return;
    // Anthropic does not break usage down by modality.
    const byModality = { ...base, 'gen_ai.token.modality': 'unknown' };
    m.inputTokens.add(genAiInputTokens(usage), byModality);
    m.outputTokens.add(usage.output, byModality);
    m.cacheReadTokens.add(usage.cacheRead, byModality);
    m.cacheWriteTokens.add(usage.cacheCreation, byModality);
    m.operationInputTokens.record(genAiInputTokens(usage), base);
    m.operationOutputTokens.record(usage.output, base);
    m.operationDuration.record(durationMs / 1000, base);
  }

  promptStart(time: number): void {
    this.promptStartTime = time;
  }

  promptEnd(time: number, failed: boolean): void {
    if (!this.latest || this.promptStartTime === undefined) return;
    const attributes: Attributes = { 'gen_ai.operation.name': 'invoke_agent', ...PROVIDER, 'gen_ai.agent.name': MAIN_AGENT_NAME };
    if (failed) attributes['error.type'] = '_OTHER';
    this.latest.agentDuration.record(Math.max(0, time - this.promptStartTime) / 1000, attributes);
    this.promptStartTime = undefined;
  }

  toolCall(name: string, durationMs: number, failed: boolean): void {
    if (!this.latest) return;
    const attributes: Attributes = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': name };
    if (failed) attributes['error.type'] = '_OTHER';
    this.latest.toolDuration.record(durationMs / 1000, attributes);
  }
}
