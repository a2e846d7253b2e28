// What may leave the machine and how much: prompt and response text levels, attribute
// limits, sampling. Read from the environment once, like every other setting.

import { booleanSetting } from './boolean-setting.ts';
import { compilePatterns } from '../privacy/user-patterns.ts';
import type { PatternSetting } from '../privacy/user-patterns.ts';

type Env = Record<string, string | undefined>;

export interface AttributeLimits {
  /** Longer string values are cut to this many characters, the last one a "…". */
  valueLength: number;
  count: number;
}

export type SamplerName = 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';

export interface PrivacyConfig {
  prompts: TextLevel;
  responses: TextLevel;
  spanLimits: AttributeLimits;
  logLimits: AttributeLimits;
  sampler: SamplerName;
  samplerRatio: number;
  keepErrors: boolean;
  /** CLAUDE_OTEL_REDACT: the user's own patterns. */
  extraRedactPatterns: string;
  /** CLAUDE_OTEL_REDACT_ALLOW: patterns that are never redacted. */
  redactAllowPatterns: string;
  /** CLAUDE_OTEL_REDACT_ENTROPY=on: random-looking values after `=`/`:` are hidden too. */
  redactEntropy: boolean;
}

const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];
/** How much of a prompt or response text the log records carry. */
export type TextLevel = 'off' | 'preview' | 'full';

const LEVELS: readonly TextLevel[] = ['off', 'preview', 'full'];

function level(env: Env, name: string, fallback: TextLevel, warnings: string[]): TextLevel {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if ((LEVELS as readonly string[]).includes(raw)) return raw as TextLevel;
  warnings.push(`${name}=${raw} is not one of off, preview, full; using ${fallback}`);
  return fallback;
}

function positiveInt(env: Env, names: string[], fallback: number, warnings: string[]): number {
  for (const name of names) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    const n = Number(raw);
    if (Number.isInteger(n) && n >= 0) return n;
    warnings.push(`${name}=${raw} is not a whole number; ignoring it`);
  }
  return fallback;
}

/** The setting as written; each pattern in it that is not a regular expression is reported (the redactor skips it). */
function patterns(env: Env, name: PatternSetting, warnings: string[]): string {
  const raw = env[name] ?? '';
  compilePatterns(raw, name, (pattern) => warnings.push(`${name}: "${pattern}" is not a regular expression; ignoring it`));
  return raw;
}

export function resolvePrivacyConfig(env: Env, warnings: string[]): PrivacyConfig {
  const samplerRaw = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  let sampler: SamplerName = 'parentbased_always_on';
  if (samplerRaw) {
    if ((SAMPLERS as readonly string[]).includes(samplerRaw)) sampler = samplerRaw as SamplerName;
    else warnings.push(`OTEL_TRACES_SAMPLER=${samplerRaw} is not supported; using parentbased_always_on`);
  }
  let samplerRatio = 1;
  const ratioRaw = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (ratioRaw && sampler.endsWith('traceidratio')) {
    const n = Number(ratioRaw);
    if (Number.isFinite(n) && n >= 0 && n <= 1) samplerRatio = n;
    else warnings.push(`OTEL_TRACES_SAMPLER_ARG=${ratioRaw} is not a ratio between 0 and 1; using 1`);
  }
  return {
    prompts: level(env, 'CLAUDE_OTEL_LOG_PROMPTS', 'preview', warnings),
    responses: level(env, 'CLAUDE_OTEL_LOG_RESPONSES', 'off', warnings),
    spanLimits: {
      valueLength: positiveInt(env, ['OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'], Number.POSITIVE_INFINITY, warnings),
      count: positiveInt(env, ['OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'], 128, warnings),
    },
    logLimits: {
      valueLength: positiveInt(env, ['OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'], Number.POSITIVE_INFINITY, warnings),
      count: positiveInt(env, ['OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'], 128, warnings),
    },
    sampler,
    samplerRatio,
    keepErrors: booleanSetting(env, 'CLAUDE_OTEL_KEEP_ERRORS', true, warnings),
    extraRedactPatterns: patterns(env, 'CLAUDE_OTEL_REDACT', warnings),
    redactAllowPatterns: patterns(env, 'CLAUDE_OTEL_REDACT_ALLOW', warnings),
    redactEntropy: booleanSetting(env, 'CLAUDE_OTEL_REDACT_ENTROPY', false, warnings),
  };
}
