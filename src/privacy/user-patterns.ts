// CLAUDE_OTEL_REDACT and CLAUDE_OTEL_REDACT_ALLOW: the user's own regular expressions. Apart
// from the redaction rules, so that reading the settings can report a bad one without loading them.

export type PatternSetting = 'CLAUDE_OTEL_REDACT' | 'CLAUDE_OTEL_REDACT_ALLOW';

/** The user's patterns; one that does not compile is reported and skipped, never thrown. */
export function compilePatterns(raw: string | undefined, setting: PatternSetting, onInvalid?: (pattern: string, setting: PatternSetting) => void): RegExp[] {
  const text = raw?.trim();
  if (!text) return [];
  const out: RegExp[] = [];
  for (const source of text
    .split(/\n|,,/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    try {
      out.push(new RegExp(source, 'g'));
    } catch {
      try {
        onInvalid?.(source, setting);
      } catch {
        // reporting is best effort
      }
    }
  }
  return out;
}
