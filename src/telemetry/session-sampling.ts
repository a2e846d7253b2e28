import { SpanKind, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, SamplingDecision, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import type { Sampler } from '@opentelemetry/sdk-trace-base';
import type { PrivacyConfig } from '../config/privacy-config.ts';
import { SPAN_SESSION } from './names.ts';

// Sampling decided per session, with the whole session in view: the configured sampler
// (OTEL_TRACES_SAMPLER) decides on the session's trace, and a session that failed is kept
// anyway when CLAUDE_OTEL_KEEP_ERRORS is on. All spans of a session go, or none do.

export function createSampler(config: Pick<PrivacyConfig, 'sampler' | 'samplerRatio'>): Sampler {
  switch (config.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(config.samplerRatio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.samplerRatio) });
  }
}

/** What the configured sampler says of this session's trace. */
export function samplerKeeps(sampler: Sampler, traceId: string, parentContext: Context | undefined): boolean {
  const result = sampler.shouldSample(parentContext ?? ROOT_CONTEXT, traceId, SPAN_SESSION, SpanKind.INTERNAL, {}, []);
  return result.decision === SamplingDecision.RECORD_AND_SAMPLED;
}

export type SpanVerdict = 'keep' | 'drop' | 'undecided';

/**
 * The verdict on a session's spans. Before the session ends, a sampled-out session is
 * undecided while errors may still save it.
 */
export function spanVerdict(options: { sampled: boolean; keepErrors: boolean; failed: boolean; ended: boolean }): SpanVerdict {
  if (options.sampled) return 'keep';
  if (options.keepErrors && options.failed) return 'keep';
  if (options.keepErrors && !options.ended) return 'undecided';
  return 'drop';
}
