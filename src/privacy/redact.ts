import { REDACTED, applyRules, patternRule, type Rule } from './redaction-engine.ts';
import { KNOWN_PREFIX_RULES } from './known-prefix-rules.ts';
import { STRUCTURAL_RULES } from './structural-rules.ts';
import { TOOL_PASSWORD_RULES } from './tool-password-flags.ts';
import { SETTING_COMMAND_RULES } from './setting-commands.ts';
import { PIPED_PASSWORD_RULES } from './piped-passwords.ts';
import { secretAssignmentRules } from './secret-assignments.ts';
import { isSecretName } from './secret-names.ts';
import { secretValuesFromEnv } from './environment-secrets.ts';
import { boundText } from './bounded-redaction.ts';
import { TRUNCATION_MARK } from './attribute-limits.ts';
import { compilePatterns } from './user-patterns.ts';
import type { PatternSetting } from './user-patterns.ts';

// Secrets never leave the machine: every text that may carry one passes through here
// before it becomes an attribute, a log body, a store file or a debug line.

export { REDACTED, secretValuesFromEnv };

/** Longer texts are cut to this many characters (at a word boundary) before redaction. */
export const MAX_REDACTED_LENGTH = 1 << 20;

export type Redactor = (text: string) => string;

export interface RedactorOptions {
  /** CLAUDE_OTEL_REDACT: extra regular expressions, separated by newlines or `,,`. */
  extraPatterns?: string;
  /** CLAUDE_OTEL_REDACT_ALLOW: what matches one of these is never redacted. */
  allowPatterns?: string;
  /** CLAUDE_OTEL_REDACT_ENTROPY=on: random-looking values after `=`/`:` are hidden too. */
  entropy?: boolean;
  /** Exact strings that are secrets wherever they appear (values of secret-named variables). */
  secretValues?: string[];
  onInvalidPattern?: (pattern: string, setting: PatternSetting) => void;
}

function literalRule(values: readonly string[]): Rule {
  return {
    id: 'secret-environment-value',
    scan(text, report) {
      for (const value of values) {
        for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) report(at, at + value.length);
      }
    },
  };
}

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const rules: Rule[] = [
    ...(options.secretValues && options.secretValues.length > 0 ? [literalRule(options.secretValues)] : []),
    ...KNOWN_PREFIX_RULES,
    ...STRUCTURAL_RULES,
    ...TOOL_PASSWORD_RULES,
    ...SETTING_COMMAND_RULES,
    ...PIPED_PASSWORD_RULES,
    ...secretAssignmentRules({ entropy: options.entropy === true }),
    ...compilePatterns(options.extraPatterns, 'CLAUDE_OTEL_REDACT', options.onInvalidPattern).map((re) => patternRule('user-pattern', re)),
  ];
  const allow = compilePatterns(options.allowPatterns, 'CLAUDE_OTEL_REDACT_ALLOW', options.onInvalidPattern);
  return (text: string): string => {
    if (typeof text !== 'string' || text.length === 0) return text;
    const bounded = boundText(text, MAX_REDACTED_LENGTH);
    const clean = applyRules(bounded, { rules, allow });
    return bounded.length === text.length ? clean : `${clean}${TRUNCATION_MARK}`;
  };
}

/** The settings a redactor is made from (resolved in src/config/privacy-config.ts). */
export interface RedactionSettings {
  extraRedactPatterns: string;
  redactAllowPatterns: string;
  redactEntropy: boolean;
}

/**
 * The wrapper's redactor: the settings, plus the values of secret-named variables (secretValuesFromEnv).
 * A pattern that is not a regular expression is skipped; the settings' warnings name it.
 */
export function redactorFor(settings: RedactionSettings, secretValues: readonly string[]): Redactor {
  return createRedactor({
    extraPatterns: settings.extraRedactPatterns,
    allowPatterns: settings.redactAllowPatterns,
    entropy: settings.redactEntropy,
    secretValues: [...secretValues],
  });
}

/** An attribute judged by its key too: `deploy.token=x` hides x whatever it looks like. */
export function redactByKey(redact: Redactor, key: string, value: string): string {
  if (value.length > 0 && isSecretName(key)) return REDACTED;
  return redact(value);
}

export function redactAttributesByKey(redact: Redactor, attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, redactByKey(redact, k, v)]));
}
