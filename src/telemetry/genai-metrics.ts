import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import type { TokenUsage } from '../session/events.ts';
import { genAiInputTokens } from './usage-attributes.ts';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_TOKEN_MODALITY,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_TOOL_NAME,
  MAIN_AGENT_NAME,
  METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_READ_INPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_WRITE_INPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  METRIC_GEN_AI_EXECUTE_TOOL_DURATION,
  METRIC_GEN_AI_INVOKE_AGENT_DURATION,
  OPERATION_CHAT,
  OPERATION_EXECUTE_TOOL,
  OPERATION_INVOKE_AGENT,
  PROVIDER_ANTHROPIC,
} from './names.ts';

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

const PROVIDER = { [ATTR_GEN_AI_PROVIDER_NAME]: PROVIDER_ANTHROPIC } as const;

export class GenAiMetrics {
  private readonly legacyTokens: Histogram | undefined;
  private readonly latest: LatestInstruments | undefined;
  private promptStartTime: number | undefined;

  constructor(meter: Meter, latestSemconv: boolean) {
    if (!latestSemconv) {
      this.legacyTokens = meter.createHistogram(METRIC_GEN_AI_CLIENT_TOKEN_USAGE, {
        description: 'Measures number of input and output tokens used',
        unit: '{token}',
        advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
      });
      return;
    }
    const counter = (name: string, description: string) => meter.createCounter(name, { description, unit: '{token}' });
    const tokens = (name: string, description: string) =>
      meter.createHistogram(name, { description, unit: '{token}', advice: { explicitBucketBoundaries: TOKEN_BUCKETS } });
    const seconds = (name: string, description: string) =>
      meter.createHistogram(name, { description, unit: 's', advice: { explicitBucketBoundaries: SECONDS_BUCKETS } });
    this.latest = {
      inputTokens: counter(METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS, 'The number of input (prompt) tokens used, including cached tokens'),
      outputTokens: counter(METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS, 'The number of output (completion) tokens used'),
      cacheReadTokens: counter(METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_READ_INPUT_TOKENS, 'The number of input tokens served from a provider-managed cache'),
      cacheWriteTokens: counter(
        METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_WRITE_INPUT_TOKENS,
        'The number of input tokens written to a provider-managed cache',
      ),
      operationInputTokens: tokens(METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS, 'The number of input (prompt) tokens used per inference operation'),
      operationOutputTokens: tokens(
        METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS,
        'The number of output (completion) tokens used per inference operation',
      ),
      operationDuration: seconds(METRIC_GEN_AI_CLIENT_OPERATION_DURATION, 'GenAI operation duration'),
      agentDuration: seconds(METRIC_GEN_AI_INVOKE_AGENT_DURATION, 'The end-to-end duration of a single agent invocation'),
      toolDuration: seconds(METRIC_GEN_AI_EXECUTE_TOOL_DURATION, 'The duration of a single tool execution'),
    };
  }

  chat(model: string, usage: TokenUsage, durationMs: number): void {
    const base: Attributes = { [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_CHAT, ...PROVIDER, [ATTR_GEN_AI_REQUEST_MODEL]: model };
    if (this.legacyTokens) {
      this.legacyTokens.record(genAiInputTokens(usage), { ...base, [ATTR_GEN_AI_TOKEN_TYPE]: 'input' });
      this.legacyTokens.record(usage.output, { ...base, [ATTR_GEN_AI_TOKEN_TYPE]: 'output' });
    }
    const m = this.latest;
    if (!m) return;
    // Anthropic does not break usage down by modality.
    const byModality = { ...base, [ATTR_GEN_AI_TOKEN_MODALITY]: 'unknown' };
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

  /** `errorType`: the prompt span's, from a bounded set (never a free-form string). */
  promptEnd(time: number, errorType: string | undefined): void {
    if (!this.latest || this.promptStartTime === undefined) return;
    const attributes: Attributes = { [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_INVOKE_AGENT, ...PROVIDER, [ATTR_GEN_AI_AGENT_NAME]: MAIN_AGENT_NAME };
    if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
    this.latest.agentDuration.record(Math.max(0, time - this.promptStartTime) / 1000, attributes);
    this.promptStartTime = undefined;
  }

  toolCall(name: string, durationMs: number, errorType: string | undefined): void {
    if (!this.latest) return;
    const attributes: Attributes = { [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_EXECUTE_TOOL, [ATTR_GEN_AI_TOOL_NAME]: name };
    if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
    this.latest.toolDuration.record(durationMs / 1000, attributes);
  }
}
