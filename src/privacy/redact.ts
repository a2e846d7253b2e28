// Secrets never leave the machine: every text that may carry one passes through here
// before it becomes an attribute, a log body, a store file or a debug line.

export const REDACTED = '[REDACTED]';

const SECRET_NAMES = String.raw`[A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|auth|credential|session[_-]?key)[A-Za-z0-9_.-]*`;

/** Patterns whose whole match is a secret. */
const WHOLE_MATCH: RegExp[] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  /\bsk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic
  /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g, // OpenAI
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, // GitHub
  /\bgithub_pat_[A-Za-z0-9_]{40,}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g, // GitLab
  /\bgl(?:dt|rt|ptt|cbt|soat|ft|imt|agent)-[A-Za-z0-9_-]{20,}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, // Slack
  /\bxapp-\d-[A-Za-z0-9-]{10,}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API key
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, // JWT
];

/** Patterns that keep a readable prefix (group 1) and hide what follows. */
const KEEP_PREFIX: RegExp[] = [
  /(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /(\bBasic\s+)[A-Za-z0-9+/=]{8,}/g,
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+(?=@)/gi, // URL credentials: keep the user, hide the password
  // NAME=value, NAME: value, "name": "value"
  new RegExp(String.raw`(\b${SECRET_NAMES}["']?\s*[=:]\s*["']?)(?!\[REDACTED\]|(?:Bearer|Basic)\s)[^\s"',;&|)]+`, 'gi'),
  // --password value, --api-key=value
  new RegExp(String.raw`(--${SECRET_NAMES}(?:=|\s+))(?!\[REDACTED\])[^\s"',;&|)]+`, 'gi'),
];

export type Redactor = (text: string) => string;

export interface RedactorOptions {
  /** CLAUDE_OTEL_REDACT: extra regular expressions, separated by newlines or `,,`. */
  extraPatterns?: string;
  /** Exact strings that are secrets wherever they appear (values of secret-named variables). */
  secretValues?: string[];
  onInvalidPattern?: (pattern: string) => void;
}

const SECRET_VARIABLE = /(?:SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH|DSN|HEADERS)/i;
const MIN_SECRET_VALUE_LENGTH = 8;

/**
 * The values of environment variables whose names say they hold secrets (GITHUB_TOKEN,
 * AWS_SECRET_ACCESS_KEY, OTEL_EXPORTER_OTLP_HEADERS, ...): if one shows up in a command's
 * output or an error message, it is hidden even when no pattern knows its shape.
 */
export function secretValuesFromEnv(env: Record<string, string | undefined>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value || !SECRET_VARIABLE.test(name)) continue;
    // Header lists hold one secret per value.
    const parts = name.endsWith('HEADERS') ? value.split(',').map((p) => p.slice(p.indexOf('=') + 1).trim()) : [value.trim()];
    for (const part of parts) if (part.length >= MIN_SECRET_VALUE_LENGTH) values.add(part);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileExtra(options: RedactorOptions): RegExp[] {
  const raw = options.extraPatterns?.trim();
  if (!raw) return [];
  const out: RegExp[] = [];
  for (const source of raw.split(/\n|,,/).map((s) => s.trim()).filter(Boolean)) {
    try {
      out.push(new RegExp(source, 'g'));
    } catch {
      options.onInvalidPattern?.(source);
    }
  }
  return out;
}

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const extra = compileExtra(options);
  const literal = options.secretValues && options.secretValues.length > 0 ? new RegExp(options.secretValues.map(escapeRegExp).join('|'), 'g') : undefined;
  return (text: string): string => {
    if (text.length === 0) return text;
    let out = literal ? text.replace(literal, REDACTED) : text;
    for (const pattern of WHOLE_MATCH) out = out.replace(pattern, REDACTED);
    for (const pattern of KEEP_PREFIX) out = out.replace(pattern, (_match, prefix: string) => `${prefix}${REDACTED}`);
    for (const pattern of extra) out = out.replace(pattern, REDACTED);
    return out;
  };
}
