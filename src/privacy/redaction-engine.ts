// The redaction engine: every rule scans the same original text and reports the character
// ranges it judges secret; the ranges are merged and each merged range becomes one
// [REDACTED]. Rules never see each other's output, so one rule's mark cannot feed or hide
// another's match, and the cost is one pass per rule over the text.
//
// Linear time is the rules' contract: each regular expression starts only at the first
// character of a run of its own characters (a lookbehind on that class), uses bounded
// quantifiers where something can follow, and never nests unbounded ones; rules that need
// more than a pattern (names, then `=`/`:`, then a value) are small scanners.

export const REDACTED = '[REDACTED]';

/** Receives a half-open range [start, end) of the scanned text that must not leave. */
export type Report = (start: number, end: number) => void;

export interface Rule {
  /** Which family the rule covers (the gitleaks rule id when it comes from there). */
  id: string;
  scan(text: string, report: Report): void;
}

export interface PatternRuleOptions {
  /** Only this named group is secret (the rest of the match stays readable). */
  group?: string;
  /** A last look at the candidate secret; false keeps it. */
  accept?: (secret: string) => boolean;
}

/** A rule made of one regular expression; its whole match (or one named group) is secret. */
export function patternRule(id: string, pattern: RegExp, options: PatternRuleOptions = {}): Rule {
  const flags = new Set(pattern.flags);
  flags.add('g');
  if (options.group) flags.add('d');
  const re = new RegExp(pattern.source, [...flags].join(''));
  return {
    id,
    scan(text, report) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        if (m[0].length === 0) re.lastIndex += 1;
        let start = m.index;
        let end = m.index + m[0].length;
        if (options.group) {
          const span = m.indices?.groups?.[options.group];
          if (!span) continue;
          [start, end] = span;
        }
        if (end <= start) continue;
        if (options.accept && !options.accept(text.slice(start, end))) continue;
        report(start, end);
      }
    },
  };
}

export interface EngineOptions {
  rules: readonly Rule[];
  /** A candidate whose text matches one of these is kept (CLAUDE_OTEL_REDACT_ALLOW). */
  allow?: readonly RegExp[];
}

function allowed(allow: readonly RegExp[], secret: string): boolean {
  for (const pattern of allow) {
    pattern.lastIndex = 0;
    if (pattern.test(secret)) return true;
  }
  return false;
}

/** Characters of a credential that a backslash line break can continue. */
const CONTINUED = /[A-Za-z0-9._~+/=%-]/;
/** How far one continuation line is read. */
const MAX_CONTINUATION = 4096;

/** Where the continuation of a word ending at `end` ends, or `end` when the word is not continued. */
function continuationStep(text: string, end: number): number {
  let at: number;
  if (text[end - 1] === '\\' && text[end] !== '\\') at = end;
  else if (text[end] === '\\') at = end + 1;
  else return end;
  if (text[at] === '\r') at += 1;
  if (text[at] !== '\n') return end;
  let i = at + 1;
  const limit = Math.min(text.length, i + MAX_CONTINUATION);
  while (i < limit && CONTINUED.test(text[i] ?? '')) i += 1;
  return i === at + 1 ? end : i;
}

/**
 * Where a secret ending at `end` really ends: a backslash right after it (or as its last
 * character) followed by a line break continues the word on the next line, as the shell reads
 * it (`TOKEN=abc\⏎def`); the continuation is secret too. `known` remembers the answers, so
 * reports that end in the same run of continued lines read it once.
 */
function continuedEnd(text: string, end: number, known: Map<number, number>): number {
  const path: number[] = [];
  let e = end;
  for (;;) {
    const cached = known.get(e);
    if (cached !== undefined) {
      e = cached;
      break;
    }
    const next = continuationStep(text, e);
    if (next === e) break;
    path.push(e);
    e = next;
  }
  for (const p of path) known.set(p, e);
  return e;
}

/** Runs every rule over `text` and replaces the merged secret ranges. */
export function applyRules(text: string, options: EngineOptions): string {
  const starts: number[] = [];
  const ends: number[] = [];
  const allow = options.allow ?? [];
  const continued = new Map<number, number>();
  const report: Report = (start, end) => {
    if (allow.length > 0 && allowed(allow, text.slice(start, end))) return;
    starts.push(start);
    ends.push(continuedEnd(text, end, continued));
  };
  for (const rule of options.rules) {
    try {
      rule.scan(text, report);
    } catch {
      // A rule that fails (a user pattern the engine cannot run) must not take the others down.
    }
  }
  if (starts.length === 0) return text;
  const order = starts.map((_s, i) => i).sort((a, b) => (starts[a] ?? 0) - (starts[b] ?? 0));
  let out = '';
  let cursor = 0;
  let openStart = -1;
  let openEnd = -1;
  const close = (): void => {
    if (openStart < 0) return;
    out += text.slice(cursor, openStart) + REDACTED;
    cursor = openEnd;
  };
  for (const i of order) {
    const start = starts[i] ?? 0;
    const end = ends[i] ?? 0;
    if (openStart >= 0 && start <= openEnd) {
      if (end > openEnd) openEnd = end;
      continue;
    }
    close();
    openStart = start;
    openEnd = end;
  }
  close();
  return out + text.slice(cursor);
}
